/**
 * Baseline statistics kept between detector runs. Recomputing a 24-hour baseline means
 * reading a day of usage rows, and a day barely changes in a minute, so each subject's
 * statistics are reused for 20 to 40 minutes (the spread, fixed per key, keeps every subject
 * from expiring in the same run).
 */
import { inArray, sql } from "drizzle-orm";
import { anomalyBaselines } from "../../d1/schema";
import type { Db } from "../db";
import { chunks } from "./chunks";
import type { StatsByKind } from "./series";

export const BASELINE_FRESH_MS = 20 * 60_000;
const SPREAD_MS = 20 * 60_000;
// inArray binds one parameter per key (D1 allows 100 per statement); an upserted row binds 3.
const KEYS_PER_QUERY = 80;
const ROWS_PER_UPSERT = 30;

export const tenantBaselineKey = (tenantId: string) => `tenant:${tenantId}`;
export const providerBaselineKey = (provider: string) => `provider:${provider}`;

/** A stable offset in [0, SPREAD_MS) for a key (FNV-1a). */
function spreadOf(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return (h >>> 0) % SPREAD_MS;
}

/** Whether statistics computed at `computedAt` may still be used at `now`. */
export function isFresh(key: string, computedAt: number, now: number): boolean {
  const age = now - computedAt;
  return age >= 0 && age < BASELINE_FRESH_MS + spreadOf(key);
}

async function fresh(db: Db, keys: readonly string[], now: number): Promise<Map<string, StatsByKind>> {
  const out = new Map<string, StatsByKind>();
  for (const part of chunks(keys, KEYS_PER_QUERY)) {
    const rows = await db.select().from(anomalyBaselines).where(inArray(anomalyBaselines.key, part));
    for (const r of rows) if (isFresh(r.key, r.computedAt, now)) out.set(r.key, r.stats);
  }
  return out;
}

async function save(db: Db, computed: Map<string, StatsByKind>, now: number): Promise<void> {
  const rows = [...computed].map(([key, stats]) => ({ key, stats, computedAt: now }));
  for (const part of chunks(rows, ROWS_PER_UPSERT)) {
    await db
      .insert(anomalyBaselines)
      .values(part)
      .onConflictDoUpdate({ target: anomalyBaselines.key, set: { stats: sql`excluded.stats`, computedAt: sql`excluded.computed_at` } });
  }
}

/**
 * Statistics for every key: from the cache where fresh, from `compute` (given the keys that
 * were not) for the rest, which are then cached.
 */
export async function baselinesFor(db: Db, keys: readonly string[], now: number, compute: (stale: string[]) => Promise<Map<string, StatsByKind>>): Promise<Map<string, StatsByKind>> {
  const out = await fresh(db, keys, now);
  const stale = keys.filter((k) => !out.has(k));
  if (stale.length === 0) return out;
  const computed = await compute(stale);
  await save(db, computed, now);
  for (const [k, v] of computed) out.set(k, v);
  return out;
}
