/**
 * The usage log read as 5-minute windows for anomaly detection: the current window (the
 * trailing 5 minutes) per tenant and provider, and the 24 hours of windows before it for
 * the tenants and providers worth judging.
 *
 * Every query starts from `tenants` and reaches usage_events through its (tenant_id,
 * created_at) index (CROSS JOIN fixes that order in SQLite), so a run reads the rows of the
 * last day only, never the whole log.
 */
import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../db";
import { chunks } from "./chunks";

export const WINDOW_MS = 5 * 60_000;
/** 24 hours of windows before the current one. */
export const BASELINE_WINDOWS = 288;
// Lists bind one parameter per value, next to a few others.
const VALUES_PER_QUERY = 80;

/** The windows a run at `now` looks at: [start, end) is current, [baselineStart, start) the baseline. */
export type DetectionWindows = { start: number; end: number; baselineStart: number };

export function windowsAt(now: number): DetectionWindows {
  const start = now - WINDOW_MS;
  return { start, end: now, baselineStart: start - BASELINE_WINDOWS * WINDOW_MS };
}

/** Gateway calls of one window, summed. `upstream*` count calls that reached a provider (not cache hits). */
export type WindowTotals = {
  calls: number;
  costNanoUsd: number;
  upstreamCalls: number;
  /** Upstream calls that failed with 5xx (provider errors, timeouts, unreachable). */
  upstreamErrors: number;
  /** Upstream calls that succeeded, and their summed latency. */
  okCalls: number;
  okLatencyMs: number;
};

export type CurrentUsage = WindowTotals & { tenantId: string; provider: string | null };

const TOTALS = sql`count(*) as calls,
  coalesce(sum(u.cost_nano_usd), 0) as costNanoUsd,
  coalesce(sum(case when u.cache_hit = 0 and u.provider is not null then 1 else 0 end), 0) as upstreamCalls,
  coalesce(sum(case when u.cache_hit = 0 and u.provider is not null and u.status >= 500 then 1 else 0 end), 0) as upstreamErrors,
  coalesce(sum(case when u.cache_hit = 0 and u.provider is not null and u.status < 400 then 1 else 0 end), 0) as okCalls,
  coalesce(sum(case when u.cache_hit = 0 and u.provider is not null and u.status < 400 then u.latency_ms else 0 end), 0) as okLatencyMs`;

/** The current window's calls per tenant and provider. */
export async function currentUsage(db: Db, w: DetectionWindows): Promise<CurrentUsage[]> {
  return db.all<CurrentUsage>(sql`select u.tenant_id as tenantId, u.provider as provider, ${TOTALS}
    from tenants t cross join usage_events u on u.tenant_id = t.id
    where u.created_at >= ${w.start} and u.created_at < ${w.end}
    group by u.tenant_id, u.provider`);
}

const listOf = (values: readonly string[]): SQL => sql.join(values.map((v) => sql`${v}`), sql`, `);

/** Window index of a row in the baseline: 0 is the window just before the current one. */
// D1 binds numbers as reals, so the division is cast back to a whole window number.
const windowIndex = (w: DetectionWindows): SQL => sql`cast((${w.start - 1} - u.created_at) / ${WINDOW_MS} as integer)`;

/** Per tenant: calls and spend of each baseline window, index 0 the most recent; windows without calls are 0. */
export type TenantBaseline = { calls: number[]; costNanoUsd: number[] };

export async function tenantBaselines(db: Db, w: DetectionWindows, tenantIds: readonly string[]): Promise<Map<string, TenantBaseline>> {
  const out = new Map<string, TenantBaseline>(tenantIds.map((id) => [id, { calls: new Array<number>(BASELINE_WINDOWS).fill(0), costNanoUsd: new Array<number>(BASELINE_WINDOWS).fill(0) }]));
  for (const ids of chunks(tenantIds, VALUES_PER_QUERY)) {
    const rows = await db.all<{ tenantId: string; idx: number; calls: number; costNanoUsd: number }>(sql`select u.tenant_id as tenantId, ${windowIndex(w)} as idx,
        count(*) as calls, coalesce(sum(u.cost_nano_usd), 0) as costNanoUsd
      from usage_events u
      where u.tenant_id in (${listOf(ids)}) and u.created_at >= ${w.baselineStart} and u.created_at < ${w.start}
      group by u.tenant_id, idx`);
    for (const r of rows) {
      const b = out.get(r.tenantId);
      if (!b || r.idx < 0 || r.idx >= BASELINE_WINDOWS) continue;
      b.calls[r.idx] = r.calls;
      b.costNanoUsd[r.idx] = r.costNanoUsd;
    }
  }
  return out;
}

/** Per provider: the totals of each baseline window that had calls, across all tenants. */
export async function providerBaselines(db: Db, w: DetectionWindows, providers: readonly string[]): Promise<Map<string, WindowTotals[]>> {
  const out = new Map<string, WindowTotals[]>(providers.map((p) => [p, []]));
  for (const names of chunks(providers, VALUES_PER_QUERY)) {
    const rows = await db.all<WindowTotals & { provider: string; idx: number }>(sql`select u.provider as provider, ${windowIndex(w)} as idx, ${TOTALS}
      from tenants t cross join usage_events u on u.tenant_id = t.id
      where u.created_at >= ${w.baselineStart} and u.created_at < ${w.start} and u.provider in (${listOf(names)})
      group by u.provider, idx`);
    for (const r of rows) out.get(r.provider)?.push(r);
  }
  return out;
}

/** Adds up totals (a provider's current window over every tenant that called it). */
export function sumTotals(rows: readonly WindowTotals[]): WindowTotals {
  const sum: WindowTotals = { calls: 0, costNanoUsd: 0, upstreamCalls: 0, upstreamErrors: 0, okCalls: 0, okLatencyMs: 0 };
  for (const r of rows) {
    sum.calls += r.calls;
    sum.costNanoUsd += r.costNanoUsd;
    sum.upstreamCalls += r.upstreamCalls;
    sum.upstreamErrors += r.upstreamErrors;
    sum.okCalls += r.okCalls;
    sum.okLatencyMs += r.okLatencyMs;
  }
  return sum;
}
