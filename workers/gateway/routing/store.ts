/**
 * Where a tenant's routing rules live: the current version in routing_rules, every saved
 * version in routing_rules_history. The gateway reads the rules on every call, so each
 * isolate keeps them a few seconds; saving invalidates this isolate's copy at once.
 */
import { and, desc, eq, lt, notExists, sql } from "drizzle-orm";
import { routingRules, routingRulesHistory } from "../../../d1/schema";
import type { Db, TenantScope } from "../../db";
import { AppError } from "../../errors";
import { newId } from "../../lib/ids";
import { log } from "../../lib/log";
import { ttlCache } from "../../lib/ttl-cache";
import { rulesFromStored } from "./parse";
import type { RoutingRules } from "./types";

export type RoutingRulesRow = typeof routingRules.$inferSelect;
export type RoutingVersion = { id: string; version: number; yaml: string; createdAt: number; createdBy: string | null };

const cache = ttlCache<RoutingRules | null>(5_000);

/** The tenant's current rules row, or null when it never saved any. */
export async function currentRoutingRules(scope: TenantScope): Promise<RoutingRulesRow | null> {
  const rows = await scope.db.select().from(routingRules).where(eq(routingRules.tenantId, scope.tenantId));
  return rows[0] ?? null;
}

/** Reads and validates the stored rules, bypassing the cache. */
export async function readRoutingRules(db: Db, tenantId: string): Promise<RoutingRules | null> {
  const row = await currentRoutingRules({ db, tenantId });
  if (!row) return null;
  const rules = rulesFromStored(row.parsed);
  // Stored rules were valid when saved; if the schema has since moved on, route directly rather than fail calls.
  if (!rules) log.error("stored routing rules no longer validate; routing directly", { tenantId, version: row.version });
  return rules;
}

/** The tenant's rules, at most a few seconds old; null when it has none. */
export function loadRoutingRules(db: Db, tenantId: string, now = Date.now()): Promise<RoutingRules | null> {
  return cache.get(tenantId, () => readRoutingRules(db, tenantId), now);
}

/** Forgets this isolate's copy of one tenant's rules (or every tenant's). */
export function invalidateRoutingRules(tenantId?: string): void {
  cache.forget(tenantId);
}

export type SaveInput = { yaml: string; document: unknown; actorId: string | null; expectedVersion?: number };

/**
 * Saves a new version. The upsert and the history row are one D1 batch (one transaction),
 * and the version is incremented in SQL, so concurrent saves get distinct versions.
 * With `expectedVersion`, a save over someone else's newer version is refused (409).
 */
export async function saveRoutingRules(scope: TenantScope, input: SaveInput, now = Date.now()): Promise<RoutingVersion> {
  const { db, tenantId } = scope;
  const expected = input.expectedVersion;
  const values = { yaml: input.yaml, parsed: input.document, updatedAt: now, updatedBy: input.actorId };
  const upsert = db
    .insert(routingRules)
    .values({ tenantId, ...values, version: 1 })
    .onConflictDoUpdate({
      target: routingRules.tenantId,
      set: { ...values, version: sql`${routingRules.version} + 1` },
      ...(expected === undefined ? {} : { setWhere: eq(routingRules.version, expected) }),
    })
    .returning({ version: routingRules.version });
  const id = newId("rrv");
  // Copies the row just written; when the upsert was refused, that version is already in history and nothing is copied.
  const alreadyKept = db
    .select({ one: sql`1` })
    .from(routingRulesHistory)
    .where(and(eq(routingRulesHistory.tenantId, routingRules.tenantId), eq(routingRulesHistory.version, routingRules.version)));
  const history = db.insert(routingRulesHistory).select(
    db
      .select({ id: sql<string>`${id}`.as("id"), tenantId: routingRules.tenantId, version: routingRules.version, yaml: routingRules.yaml, createdAt: routingRules.updatedAt, createdBy: routingRules.updatedBy })
      .from(routingRules)
      .where(and(eq(routingRules.tenantId, tenantId), notExists(alreadyKept))),
  );
  const [written] = await db.batch([upsert, history]);
  const version = written[0]?.version;
  if (version === undefined || (expected !== undefined && version !== expected + 1)) {
    throw new AppError("conflict", `The routing rules changed since version ${expected ?? 0}: load the current version and apply your change to it`);
  }
  invalidateRoutingRules(tenantId);
  return { id, version, yaml: input.yaml, createdAt: now, createdBy: input.actorId };
}

/** Saved versions, newest first; `before` pages on (a version number). */
export async function routingHistory(scope: TenantScope, opts: { limit: number; before?: number }): Promise<{ data: RoutingVersion[]; nextBefore: number | null }> {
  const rows = await scope.db
    .select()
    .from(routingRulesHistory)
    .where(and(eq(routingRulesHistory.tenantId, scope.tenantId), opts.before === undefined ? undefined : lt(routingRulesHistory.version, opts.before)))
    .orderBy(desc(routingRulesHistory.version))
    .limit(opts.limit + 1);
  const page = rows.slice(0, opts.limit).map(versionOf);
  const last = page[page.length - 1];
  return { data: page, nextBefore: rows.length > opts.limit && last ? last.version : null };
}

/** One saved version by id; 404 when this tenant has none by that id. */
export async function routingVersion(scope: TenantScope, id: string): Promise<RoutingVersion> {
  const rows = await scope.db
    .select()
    .from(routingRulesHistory)
    .where(and(eq(routingRulesHistory.tenantId, scope.tenantId), eq(routingRulesHistory.id, id)));
  const row = rows[0];
  if (!row) throw new AppError("not_found", `No routing rules version '${id}'`);
  return versionOf(row);
}

function versionOf(row: typeof routingRulesHistory.$inferSelect): RoutingVersion {
  return { id: row.id, version: row.version, yaml: row.yaml, createdAt: row.createdAt, createdBy: row.createdBy };
}
