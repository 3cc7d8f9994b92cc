/**
 * Loads usage for a range grouped by model, provider or API key: the totals per group over
 * the whole range (one summary), and the same grouping per hour or day for the chart (one
 * summary per bucket, a few at a time).
 */
import { api, type Schemas, unwrap } from "../../api/client";
import { type ApiState, useApi } from "../../api/use-api";
import { type Bucket, bucketsOf, type RangeId } from "./usage-range";

export type GroupBy = "model" | "provider" | "key";
export type UsageSummary = Schemas["UsageSummary"];
export type UsageRow = UsageSummary["rows"][number];
export type UsageView = { buckets: Bucket[]; total: UsageSummary; perBucket: UsageSummary[] };

export const GROUPS: { id: GroupBy; label: string }[] = [
  { id: "model", label: "Model" },
  { id: "provider", label: "Provider" },
  { id: "key", label: "API key" },
];

export function isGroupBy(v: string | null): v is GroupBy {
  return v === "model" || v === "provider" || v === "key";
}

/** Calls in flight at once while loading the chart's buckets. */
const PARALLEL = 6;

function summaryOf(b: Bucket, groupBy: GroupBy): Promise<UsageSummary> {
  return unwrap(api.GET("/usage/summary", { params: { query: { from: String(b.from), to: String(b.to), groupBy } } }));
}

/** `fn` over `items` with at most `limit` calls in flight; results in the items' order. */
async function mapLimited<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** `refresh` is a counter: bumping it reloads. */
export function useUsage(range: RangeId, groupBy: GroupBy, refresh: number): ApiState<UsageView> {
  return useApi(async () => {
    const buckets = bucketsOf(range, Date.now());
    const whole = { from: (buckets[0] as Bucket).from, to: (buckets[buckets.length - 1] as Bucket).to };
    const [total, perBucket] = await Promise.all([summaryOf(whole, groupBy), mapLimited(buckets, PARALLEL, (b) => summaryOf(b, groupBy))]);
    return { buckets, total, perBucket };
  }, [range, groupBy, refresh]);
}
