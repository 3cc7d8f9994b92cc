/**
 * This isolate's metric increments, waiting to be flushed to a MetricsStore shard.
 * Recording is synchronous and never fails: a counter adds to one series, an observation
 * adds one to the bucket it falls in and its value to `_sum` (the renderer makes buckets
 * cumulative and derives `_count`). A flush takes everything; a failed one puts it back.
 */
import { METRICS, type CounterName, type HistogramName, type LabelsOf } from "./registry";
import { encodeLabels, MAX_LABELS_LENGTH, MAX_NAME_LENGTH, seriesKey, type SeriesEntry } from "./series";

/** Distinct series one isolate holds before it stops taking new ones (the store is away). */
export const MAX_BUFFERED_SERIES = 10_000;

export type MetricsBuffer = {
  /** Adds `by` (default 1) to counter `name`; negative or non-finite amounts are ignored. */
  inc<N extends CounterName>(name: N, labels: LabelsOf<N>, by?: number): void;
  /** Records one observation of `seconds` in histogram `name`. */
  observe<N extends HistogramName>(name: N, labels: LabelsOf<N>, seconds: number): void;
  /** How many distinct series are waiting. */
  size(): number;
  /** Removes and returns everything waiting. */
  take(): SeriesEntry[];
  /** Adds entries back (after a failed flush), summed into what arrived meanwhile. */
  putBack(entries: readonly SeriesEntry[]): void;
};

/** The `le` label of the bucket `value` falls in: its first bound at or above it, else +Inf. */
export function bucketOf(bounds: readonly number[], value: number): string {
  for (const b of bounds) if (value <= b) return String(b);
  return "+Inf";
}

export function createMetricsBuffer(maxSeries = MAX_BUFFERED_SERIES): MetricsBuffer {
  let pending = new Map<string, SeriesEntry>();
  const add = (name: string, labels: string, value: number): void => {
    // The store refuses a batch holding an oversized series; one must never block the rest.
    if (name.length > MAX_NAME_LENGTH || labels.length > MAX_LABELS_LENGTH) return;
    const key = seriesKey(name, labels);
    const found = pending.get(key);
    if (found) found[2] += value;
    else if (pending.size < maxSeries) pending.set(key, [name, labels, value]);
  };
  return {
    inc(name, labels, by = 1) {
      // The types rule these out; the checks keep an untyped caller from breaking a request.
      const def: { type: string; labels: readonly string[] } | undefined = METRICS[name];
      if (def?.type !== "counter" || !Number.isFinite(by) || by < 0) return;
      add(name, encodeLabels(def.labels, labels), by);
    },
    observe(name, labels, seconds) {
      const def: { type: string; labels: readonly string[]; buckets: readonly number[] } | undefined = METRICS[name];
      if (def?.type !== "histogram" || !Number.isFinite(seconds)) return;
      const value = Math.max(0, seconds);
      add(`${name}_bucket`, encodeLabels(def.labels, labels, [["le", bucketOf(def.buckets, value)]]), 1);
      add(`${name}_sum`, encodeLabels(def.labels, labels), value);
    },
    size: () => pending.size,
    take() {
      const out = [...pending.values()];
      pending = new Map();
      return out;
    },
    putBack(entries) {
      for (const [name, labels, value] of entries) add(name, labels, value);
    },
  };
}

/** The isolate's buffer: what instrumentation records into and flushes send. */
export const metrics: MetricsBuffer = createMetricsBuffer();
