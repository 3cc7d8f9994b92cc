/**
 * What platform API handlers take from the request context: the tenant scope and the
 * audit actor. Keeps handlers to "validate, call the domain function, map the result".
 */
import type { Context } from "hono";
import { actorOf } from "../auth/principal";
import { makeDb, type TenantScope } from "../db";
import type { AppEnv } from "../env";
import { type AuditActor, type AuditEntry, recordAudit } from "../platform/audit";

export function scopeOf(c: Context<AppEnv>): TenantScope {
  return { db: makeDb(c.env.DB), tenantId: c.get("principal").tenantId };
}

export function auditActorOf(c: Context<AppEnv>): AuditActor {
  return { ...actorOf(c.get("principal")), requestId: c.get("requestId"), ip: c.req.header("cf-connecting-ip") ?? null };
}

/** Records a call made before anyone is signed in (sign-up, login, logout) as `userId`'s. */
export function auditAsUser(c: Context<AppEnv>, scope: { tenantId: string; userId: string }, entry: AuditEntry): Promise<void> {
  const actor: AuditActor = { actorType: "user", actorId: scope.userId, requestId: c.get("requestId"), ip: c.req.header("cf-connecting-ip") ?? null };
  return recordAudit({ db: makeDb(c.env.DB), tenantId: scope.tenantId }, actor, entry);
}

/** Records a mutating call in the tenant's audit log. */
export function audit(c: Context<AppEnv>, entry: AuditEntry): Promise<void> {
  return recordAudit(scopeOf(c), auditActorOf(c), entry);
}
