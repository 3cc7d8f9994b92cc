/**
 * The Prometheus text exposition format (version 0.0.4): for every registered metric its
 * `# HELP` and `# TYPE` lines, then its series sorted by labels. Histograms arrive as
 * per-bucket counts and leave as cumulative `_bucket` lines ending in `le="+Inf"`, with
 * `_sum` and `_count`. Stored series the registry no longer declares are left out.
 */
import { METRIC_NAMES, METRICS, type GaugeName, type LabelsOf, type MetricName } from "./registry";
import { decodeLabels, type SeriesEntry } from "./series";

export const EXPOSITION_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

/** Current values of the gauges, computed at scrape time. */
export type GaugeSample<N extends GaugeName> = { labels: LabelsOf<N>; value: number };
export type GaugeSamples = { [N in GaugeName]?: GaugeSample<N>[] };

type Pairs = [string, string][];

/** A label value as the format wants it: backslash, double quote and newline escaped. */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

function escapeHelp(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
}

export function formatValue(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Number.POSITIVE_INFINITY) return "+Inf";
  if (value === Number.NEGATIVE_INFINITY) return "-Inf";
  return String(value);
}

function labelText(pairs: Pairs): string {
  return pairs.length === 0 ? "" : `{${pairs.map(([k, v]) => `${k}="${escapeLabelValue(v)}"`).join(",")}}`;
}

function line(name: string, pairs: Pairs, value: number): string {
  return `${name}${labelText(pairs)} ${formatValue(value)}`;
}

function byLabels<T extends { pairs: Pairs }>(rows: T[]): T[] {
  const keyed = rows.map((r) => ({ r, key: labelText(r.pairs) }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return keyed.map((k) => k.r);
}

/** Stored series of one name as label pairs and totals. */
function rowsNamed(index: Map<string, SeriesEntry[]>, name: string): { pairs: Pairs; value: number }[] {
  const out: { pairs: Pairs; value: number }[] = [];
  for (const [, labels, value] of index.get(name) ?? []) {
    const pairs = decodeLabels(labels);
    if (pairs) out.push({ pairs, value });
  }
  return out;
}

function renderCounter(index: Map<string, SeriesEntry[]>, name: MetricName): string[] {
  return byLabels(rowsNamed(index, name)).map((r) => line(name, r.pairs, r.value));
}

type HistogramGroup = { pairs: Pairs; buckets: Map<string, number>; sum: number };

function renderHistogram(index: Map<string, SeriesEntry[]>, name: MetricName, bounds: readonly number[]): string[] {
  const groups = new Map<string, HistogramGroup>();
  const groupOf = (pairs: Pairs): HistogramGroup => {
    const key = labelText(pairs);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { pairs, buckets: new Map(), sum: 0 }));
    return g;
  };
  for (const { pairs, value } of rowsNamed(index, `${name}_bucket`)) {
    const le = pairs.find(([k]) => k === "le")?.[1] ?? "+Inf";
    // A bound that is no longer declared counts in the next declared one up.
    const at = Number(le);
    const bound = bounds.find((b) => at <= b);
    const into = bound === undefined ? "+Inf" : String(bound);
    const g = groupOf(pairs.filter(([k]) => k !== "le"));
    g.buckets.set(into, (g.buckets.get(into) ?? 0) + value);
  }
  for (const { pairs, value } of rowsNamed(index, `${name}_sum`)) groupOf(pairs).sum += value;
  const lines: string[] = [];
  for (const g of byLabels([...groups.values()])) {
    let cumulative = 0;
    for (const le of [...bounds.map(String), "+Inf"]) {
      cumulative += g.buckets.get(le) ?? 0;
      lines.push(line(`${name}_bucket`, [...g.pairs, ["le", le]], cumulative));
    }
    lines.push(line(`${name}_sum`, g.pairs, g.sum));
    lines.push(line(`${name}_count`, g.pairs, cumulative));
  }
  return lines;
}

type AnySample = { labels: Readonly<Record<string, string>>; value: number };

function renderGauge(name: MetricName, samples: readonly AnySample[] | undefined): string[] {
  const labelNames = METRICS[name].labels;
  const rows = (samples ?? []).map((s) => ({ pairs: labelNames.map((n): [string, string] => [n, s.labels[n] ?? ""]), value: s.value }));
  return byLabels(rows).map((r) => line(name, r.pairs, r.value));
}

/** The whole exposition: stored counters and histograms (summed over shards) and the gauges. */
export function renderMetrics(stored: readonly SeriesEntry[], gauges: GaugeSamples): string {
  const index = new Map<string, SeriesEntry[]>();
  for (const entry of stored) {
    const list = index.get(entry[0]);
    if (list) list.push(entry);
    else index.set(entry[0], [entry]);
  }
  const samples: Partial<Record<MetricName, readonly AnySample[]>> = gauges;
  const out: string[] = [];
  for (const name of METRIC_NAMES) {
    const def = METRICS[name];
    out.push(`# HELP ${name} ${escapeHelp(def.help)}`, `# TYPE ${name} ${def.type}`);
    if (def.type === "counter") out.push(...renderCounter(index, name));
    else if (def.type === "histogram") out.push(...renderHistogram(index, name, def.buckets));
    else out.push(...renderGauge(name, samples[name]));
  }
  return `${out.join("\n")}\n`;
}
