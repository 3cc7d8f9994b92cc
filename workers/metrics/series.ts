/**
 * How one series travels and is stored: `[name, labels, value]`, where labels is a JSON
 * object whose keys follow the registry's label order (histogram buckets add `le` last).
 * The same labels always give the same string, so it is the key wherever series are summed.
 */
import { z } from "zod";

/** One additive series: what to add to (or the total of) `name{labels}`. */
export type SeriesEntry = [name: string, labels: string, value: number];

/** Limits that keep one series (and one batch) small; the store refuses anything larger. */
export const MAX_NAME_LENGTH = 200;
export const MAX_LABELS_LENGTH = 2_000;
export const MAX_BATCH_ENTRIES = 2_000;

const SeriesEntrySchema = z.tuple([z.string().min(1).max(MAX_NAME_LENGTH), z.string().max(MAX_LABELS_LENGTH), z.number().finite()]);
export const SeriesBatchSchema = z.array(SeriesEntrySchema).max(MAX_BATCH_ENTRIES);
/** A shard's whole content, as snapshot answers it. */
export const SeriesListSchema = z.array(SeriesEntrySchema);

/** The labels string of `values`, in the order of `names`; `extra` pairs come after. */
export function encodeLabels(names: readonly string[], values: Readonly<Record<string, string>>, extra: readonly (readonly [string, string])[] = []): string {
  const pairs: [string, string][] = names.map((n) => [n, values[n] ?? ""]);
  for (const [k, v] of extra) pairs.push([k, v]);
  return JSON.stringify(Object.fromEntries(pairs));
}

const LabelObject = z.record(z.string(), z.string());

/** The label pairs of a stored labels string, in their stored order; null when it is not one. */
export function decodeLabels(labels: string): [string, string][] | null {
  let raw: unknown;
  try {
    raw = JSON.parse(labels);
  } catch {
    return null;
  }
  const parsed = LabelObject.safeParse(raw);
  return parsed.success ? Object.entries(parsed.data) : null;
}

/** The key two entries of the same series share. */
export function seriesKey(name: string, labels: string): string {
  return `${name} ${labels}`;
}

/** Sums entries of the same series (several shards, or a failed flush put back). */
export function mergeSeries(...lists: readonly (readonly SeriesEntry[])[]): SeriesEntry[] {
  const sums = new Map<string, SeriesEntry>();
  for (const list of lists) {
    for (const [name, labels, value] of list) {
      const key = seriesKey(name, labels);
      const found = sums.get(key);
      if (found) found[2] += value;
      else sums.set(key, [name, labels, value]);
    }
  }
  return [...sums.values()];
}
