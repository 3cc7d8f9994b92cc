/**
 * The audit log: who did what to which resource, when, with a before/after summary.
 * Secret-looking fields are masked before they are stored.
 */
import { auditLog } from "../../d1/schema";
import type { TenantScope } from "../db";
import { randomString } from "../lib/ids";

export type AuditActor = { actorType: "user" | "api_key" | "system"; actorId: string | null; requestId?: string | null; ip?: string | null };

export type AuditEntry = {
  action: string;
  resourceType: string;
  resourceId?: string | null;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
};

const SECRET_FIELD = /(secret|password|token|api_?key|hash|_enc$|Enc$)/i;

/** Masks secret-looking fields, so a summary can never leak a credential. */
export function redact(value: Record<string, unknown> | null | undefined): Record<string, unknown> | null {
  if (!value) return null;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (SECRET_FIELD.test(k)) out[k] = v === null || v === undefined ? v : "[redacted]";
    else if (v && typeof v === "object" && !Array.isArray(v)) out[k] = redact(v as Record<string, unknown>);
    else out[k] = v;
  }
  return out;
}

let sequence = 0;

/**
 * Audit ids sort in the order entries were written (time, then a per-isolate counter), so
 * entries written within the same millisecond still list newest first.
 */
function auditId(now: number): string {
  sequence = (sequence + 1) % 36 ** 4;
  return `aud_${now.toString(36).padStart(9, "0")}${sequence.toString(36).padStart(4, "0")}${randomString(8)}`;
}

export async function recordAudit(scope: TenantScope, actor: AuditActor, entry: AuditEntry, now = Date.now()): Promise<void> {
  await scope.db.insert(auditLog).values({
    id: auditId(now),
    tenantId: scope.tenantId,
    actorType: actor.actorType,
    actorId: actor.actorId,
    action: entry.action,
    resourceType: entry.resourceType,
    resourceId: entry.resourceId ?? null,
    before: redact(entry.before),
    after: redact(entry.after),
    requestId: actor.requestId ?? null,
    ip: actor.ip ?? null,
    createdAt: now,
  });
}
