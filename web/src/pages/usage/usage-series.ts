/**
 * Turns usage summaries into what the page shows: a group's readable name, the value of a
 * metric, and one chart line per leading group (the rest folded into "Other").
 */
import type { Series } from "../../components/Charts";
import { num } from "../../lib/format";
import { cost } from "./money";
import type { GroupBy, UsageRow, UsageView } from "./usage-data";

export type Metric = "cost" | "calls" | "tokens";

export const METRICS: { id: Metric; label: string; format: (v: number) => string }[] = [
  { id: "cost", label: "Cost", format: cost },
  // Axis ticks fall between whole numbers on small counts: keep a decimal there.
  { id: "calls", label: "Calls", format: (v) => num(v, v < 10 ? 1 : 0) },
  { id: "tokens", label: "Tokens", format: (v) => num(v, v < 10 ? 1 : 0) },
];

export function isMetric(v: string | null): v is Metric {
  return v === "cost" || v === "calls" || v === "tokens";
}

export function metricValue(row: Pick<UsageRow, "costNanoUsd" | "calls" | "inputTokens" | "outputTokens">, metric: Metric): number {
  if (metric === "cost") return row.costNanoUsd;
  if (metric === "calls") return row.calls;
  return row.inputTokens + row.outputTokens;
}

const NONE: Record<GroupBy, string> = { model: "(no model)", provider: "No provider reached", key: "Signed-in users (no API key)" };

export function groupName(row: Pick<UsageRow, "key" | "label">, groupBy: GroupBy): string {
  if (row.key === "(none)") return NONE[groupBy];
  return groupBy === "key" && row.label ? row.label : row.key;
}

/** At most `lines` lines: the groups with the most of `metric`, then "Other" for the rest. */
export function chartSeries(view: UsageView, metric: Metric, groupBy: GroupBy, lines = 6): Series[] {
  const ranked = [...view.total.rows].sort((a, b) => metricValue(b, metric) - metricValue(a, metric));
  const top = ranked.slice(0, ranked.length > lines ? lines - 1 : lines);
  const topKeys = new Set(top.map((r) => r.key));
  const names = new Map<string, string>();
  for (const r of top) {
    const name = groupName(r, groupBy);
    // Two keys may share a name: keep chart lines apart.
    names.set(r.key, [...names.values()].includes(name) ? `${name} (${r.key})` : name);
  }
  const series: Series[] = top.map((r) => ({
    name: names.get(r.key) as string,
    points: view.buckets.map((b, i) => {
      const row = view.perBucket[i]?.rows.find((x) => x.key === r.key);
      return { x: b.from, y: row ? metricValue(row, metric) : 0 };
    }),
  }));
  if (ranked.length > top.length) {
    series.push({
      name: "Other",
      points: view.buckets.map((b, i) => ({
        x: b.from,
        y: (view.perBucket[i]?.rows ?? []).filter((x) => !topKeys.has(x.key)).reduce((s, x) => s + metricValue(x, metric), 0),
      })),
    });
  }
  return series;
}
