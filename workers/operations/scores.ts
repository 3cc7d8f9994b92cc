/**
 * One detector run's measurements: every tenant's spend and volume scores and every
 * provider's latency and error-rate scores for the current window. Only subjects that
 * could be anomalous are scored (enough traffic now, someone listening); anything not
 * scored counts as normal. Baselines come from the cache, or from the usage log when stale.
 */
import type { AnomalyKind, Sensitivity } from "../../d1/schema";
import type { Db } from "../db";
import { baselinesFor, providerBaselineKey, tenantBaselineKey } from "./baseline-cache";
import { METRIC_RULES, scoreSeries, type Scored } from "./detect";
import { MIN_CALLS_PER_WINDOW, PROVIDER_KINDS, providerCurrent, providerStats, type StatsByKind, TENANT_KINDS, TENANT_SUBJECT, tenantCurrent, tenantStats } from "./series";
import { type CurrentUsage, type DetectionWindows, providerBaselines, sumTotals, tenantBaselines } from "./usage-windows";

export type RunScores = {
  /** Keyed by `${tenantId}|${kind}`. */
  tenant: Map<string, { tenantId: string; scored: Scored }>;
  /** Keyed by `${kind}|${provider}`. */
  provider: Map<string, Scored>;
  /** The tenants whose calls reached each provider in the current window. */
  callers: Map<string, string[]>;
};

export const tenantKey = (tenantId: string, kind: AnomalyKind) => `${tenantId}|${kind}`;
export const providerKey = (kind: AnomalyKind, provider: string) => `${kind}|${provider}`;

const NO_HISTORY = { median: 0, mad: 0, activeWindows: 0 };

function groupBy<T>(rows: readonly T[], key: (row: T) => string | null): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    if (k === null) continue;
    const list = out.get(k);
    if (list) list.push(row);
    else out.set(k, [row]);
  }
  return out;
}

/** Stale keys back to the ids they name, computed, and keyed again. */
async function computeFor<T>(stale: string[], prefix: string, load: (ids: string[]) => Promise<Map<string, T>>, stats: (v: T) => StatsByKind): Promise<Map<string, StatsByKind>> {
  const loaded = await load(stale.map((k) => k.slice(prefix.length)));
  return new Map([...loaded].map(([id, v]) => [`${prefix}${id}`, stats(v)]));
}

async function scoreTenants(db: Db, w: DetectionWindows, current: readonly CurrentUsage[], sensitivityOf: (t: string) => Sensitivity): Promise<RunScores["tenant"]> {
  const totals = [...groupBy(current, (r) => r.tenantId)].map(([tenantId, rows]) => ({ tenantId, ...sumTotals(rows) }));
  const worth = totals.filter(
    (t) => sensitivityOf(t.tenantId) !== "off" && (t.costNanoUsd >= METRIC_RULES.tenant_spend.minObserved || t.calls >= METRIC_RULES.tenant_volume.minObserved),
  );
  const stats = await baselinesFor(db, worth.map((t) => tenantBaselineKey(t.tenantId)), w.end, (stale) =>
    computeFor(stale, tenantBaselineKey(""), (ids) => tenantBaselines(db, w, ids), tenantStats),
  );
  const out: RunScores["tenant"] = new Map();
  for (const t of worth) {
    const baseline = stats.get(tenantBaselineKey(t.tenantId)) ?? {};
    const now = tenantCurrent(t);
    for (const kind of TENANT_KINDS) {
      const scored = scoreSeries({ kind, subject: TENANT_SUBJECT, current: now[kind], baseline: baseline[kind] ?? NO_HISTORY });
      out.set(tenantKey(t.tenantId, kind), { tenantId: t.tenantId, scored });
    }
  }
  return out;
}

async function scoreProviders(db: Db, w: DetectionWindows, byProvider: Map<string, CurrentUsage[]>, sensitivityOf: (t: string) => Sensitivity): Promise<Map<string, Scored>> {
  const worth = [...byProvider]
    .map(([provider, rows]) => ({ provider, rows, totals: sumTotals(rows) }))
    .filter((p) => p.totals.upstreamCalls >= MIN_CALLS_PER_WINDOW && p.rows.some((r) => r.upstreamCalls > 0 && sensitivityOf(r.tenantId) !== "off"));
  const stats = await baselinesFor(db, worth.map((p) => providerBaselineKey(p.provider)), w.end, (stale) =>
    computeFor(stale, providerBaselineKey(""), (names) => providerBaselines(db, w, names), providerStats),
  );
  const out = new Map<string, Scored>();
  for (const p of worth) {
    const baseline = stats.get(providerBaselineKey(p.provider)) ?? {};
    const now = providerCurrent(p.totals);
    for (const kind of PROVIDER_KINDS) {
      out.set(providerKey(kind, p.provider), scoreSeries({ kind, subject: p.provider, current: now[kind], baseline: baseline[kind] ?? NO_HISTORY }));
    }
  }
  return out;
}

/** Scores the current window `current` (from currentUsage) against the baselines. */
export async function scoreRun(db: Db, w: DetectionWindows, current: readonly CurrentUsage[], sensitivityOf: (t: string) => Sensitivity): Promise<RunScores> {
  const byProvider = groupBy(current, (r) => r.provider);
  const callers = new Map([...byProvider].map(([provider, rows]) => [provider, rows.filter((r) => r.upstreamCalls > 0).map((r) => r.tenantId)]));
  const [tenant, provider] = await Promise.all([scoreTenants(db, w, current, sensitivityOf), scoreProviders(db, w, byProvider, sensitivityOf)]);
  return { tenant, provider, callers };
}
