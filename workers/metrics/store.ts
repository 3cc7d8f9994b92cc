/**
 * What a MetricsStore shard keeps in its SQLite: one row per series, `(name, labels) ->
 * value`. A batch is applied in one transaction, so a flush counts entirely or not at all.
 */
import { z } from "zod";
import type { SeriesEntry } from "./series";

/** Series one shard keeps; a batch's new series past this are dropped (the existing ones still add up). */
export const MAX_STORED_SERIES = 50_000;

const SCHEMA = `CREATE TABLE IF NOT EXISTS series (
  name TEXT NOT NULL,
  labels TEXT NOT NULL,
  value REAL NOT NULL,
  PRIMARY KEY (name, labels)
) WITHOUT ROWID`;

const Row = z.object({ name: z.string(), labels: z.string(), value: z.number() });
const Count = z.object({ n: z.number() });

/** Creates the table if needed; answers how many series it holds. */
export function openSeriesStore(sql: SqlStorage): number {
  sql.exec(SCHEMA);
  return Count.parse(sql.exec("SELECT count(*) AS n FROM series").one()).n;
}

export type ApplyResult = { applied: number; dropped: number; stored: number };

/**
 * Adds each entry to its series (creating it while under `maxSeries`). Run inside the
 * caller's transaction; `stored` is how many series exist afterwards.
 */
export function applySeries(sql: SqlStorage, batch: readonly SeriesEntry[], stored: number, maxSeries = MAX_STORED_SERIES): ApplyResult {
  let applied = 0;
  let dropped = 0;
  let count = stored;
  for (const [name, labels, value] of batch) {
    const updated = sql.exec("UPDATE series SET value = value + ? WHERE name = ? AND labels = ?", value, name, labels).rowsWritten;
    if (updated > 0) {
      applied++;
    } else if (count < maxSeries) {
      sql.exec("INSERT INTO series (name, labels, value) VALUES (?, ?, ?)", name, labels, value);
      count++;
      applied++;
    } else {
      dropped++;
    }
  }
  return { applied, dropped, stored: count };
}

/** Every series with its total. */
export function readSeries(sql: SqlStorage): SeriesEntry[] {
  return sql
    .exec("SELECT name, labels, value FROM series")
    .toArray()
    .map((r) => {
      const row = Row.parse(r);
      return [row.name, row.labels, row.value];
    });
}
