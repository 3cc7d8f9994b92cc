/**
 * From window totals to what the detector judges: a tenant's spend and call volume, a
 * provider's mean latency and error rate, for the current window and summarised over the
 * baseline windows.
 */
import type { AnomalyKind, BaselineStats } from "../../d1/schema";
import { baselineStats } from "./detect";
import type { TenantBaseline, WindowTotals } from "./usage-windows";

/** Latency and error rate mean little over fewer calls than this; such windows are left out. */
export const MIN_CALLS_PER_WINDOW = 10;

/** The subject of a tenant's own metrics. */
export const TENANT_SUBJECT = "tenant";

export const TENANT_KINDS = ["tenant_spend", "tenant_volume"] as const satisfies readonly AnomalyKind[];
export const PROVIDER_KINDS = ["provider_latency", "provider_error_rate"] as const satisfies readonly AnomalyKind[];

/** Baseline statistics per metric kind, as the cache stores them. */
export type StatsByKind = Partial<Record<AnomalyKind, BaselineStats>>;

/** Mean latency of the successful upstream calls; null below MIN_CALLS_PER_WINDOW. */
export function latencyOf(t: WindowTotals): number | null {
  return t.okCalls >= MIN_CALLS_PER_WINDOW ? t.okLatencyMs / t.okCalls : null;
}

/** Share of upstream calls that failed; null below MIN_CALLS_PER_WINDOW. */
export function errorRateOf(t: WindowTotals): number | null {
  return t.upstreamCalls >= MIN_CALLS_PER_WINDOW ? t.upstreamErrors / t.upstreamCalls : null;
}

function measured(values: (number | null)[]): BaselineStats {
  const known = values.filter((v): v is number => v !== null);
  return baselineStats(known, known.length);
}

/** A provider's baseline: only windows with enough calls to measure count. */
export function providerStats(windows: readonly WindowTotals[]): StatsByKind {
  return { provider_latency: measured(windows.map(latencyOf)), provider_error_rate: measured(windows.map(errorRateOf)) };
}

/** A tenant's baseline: every window counts, quiet ones as 0. */
export function tenantStats(b: TenantBaseline): StatsByKind {
  const active = b.calls.filter((c) => c > 0).length;
  return { tenant_spend: baselineStats(b.costNanoUsd, active), tenant_volume: baselineStats(b.calls, active) };
}

/** The current window's value of each provider metric. */
export function providerCurrent(t: WindowTotals): Record<(typeof PROVIDER_KINDS)[number], number | null> {
  return { provider_latency: latencyOf(t), provider_error_rate: errorRateOf(t) };
}

/** The current window's value of each tenant metric. */
export function tenantCurrent(t: { calls: number; costNanoUsd: number }): Record<(typeof TENANT_KINDS)[number], number> {
  return { tenant_spend: t.costNanoUsd, tenant_volume: t.calls };
}
