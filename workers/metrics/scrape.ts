/**
 * One scrape: flush this isolate's own increments, read every shard and sum them, compute
 * the gauges, render. A shard that cannot be read fails the scrape (a partial sum would
 * look like counters going backwards); a gauge that cannot be computed is left out.
 */
import { AppError } from "../errors";
import { log } from "../lib/log";
import { flushMetrics, metricsShard, SHARD_NAMES, type MetricsShard } from "./flush";
import { backlogGauge } from "./gauges/backlog";
import { budgetGauge } from "./gauges/budgets";
import { circuitGauge } from "./gauges/circuits";
import { renderMetrics, type GaugeSamples } from "./render";
import { mergeSeries, SeriesListSchema, type SeriesEntry } from "./series";

/** Every shard's series summed; throws when one cannot be read. */
export async function readShards(shards: readonly MetricsShard[]): Promise<SeriesEntry[]> {
  const lists = await Promise.all(shards.map(async (s) => SeriesListSchema.parse(await s.snapshot())));
  return mergeSeries(...lists);
}

async function orNothing<T>(what: string, work: Promise<T[]>): Promise<T[]> {
  try {
    return await work;
  } catch (err) {
    log.error("metrics: gauge left out of this scrape", { gauge: what, err });
    return [];
  }
}

async function gaugesOf(env: Env, stored: readonly SeriesEntry[], now: number): Promise<GaugeSamples> {
  const [circuits, budgets, backlog] = await Promise.all([
    orNothing("auterity_provider_circuit_state", circuitGauge(env, stored, now)),
    orNothing("auterity_budget_utilisation_ratio", budgetGauge(env, now)),
    orNothing("auterity_queue_backlog", backlogGauge(env, now)),
  ]);
  return { auterity_provider_circuit_state: circuits, auterity_budget_utilisation_ratio: budgets, auterity_queue_backlog: backlog };
}

/** The exposition text of the whole platform, as of now. */
export async function scrapeMetrics(env: Env, now = Date.now()): Promise<string> {
  await flushMetrics(env);
  let stored: SeriesEntry[];
  try {
    stored = await readShards(SHARD_NAMES.map((name) => metricsShard(env, name)));
  } catch (err) {
    log.error("metrics: a shard could not be read", { err });
    throw new AppError("provider_unavailable", "The metrics store is unavailable; try the scrape again shortly.");
  }
  return renderMetrics(stored, await gaugesOf(env, stored, now));
}
