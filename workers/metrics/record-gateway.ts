/**
 * Gateway series. Calls are counted where their usage rows are written (the usage queue's
 * consumer), and only for rows the batch really inserted: a redelivered message whose row
 * already exists counts nothing, so a call counts once, and the series agree with
 * /api/v1/usage. The price is a delay of about the queue's batch timeout (1 s).
 *
 * Cache lookups are counted on the call path; outcomes reported to the circuit breakers are
 * counted as they are reported (they also name the targets whose circuits /metrics shows).
 */
import { z } from "zod";
import type { Outcome } from "../gateway/health/circuit";
import { parseHealthKey } from "../gateway/health/keys";
import { metrics } from "./buffer";
import { flushMetricsSoon } from "./flush";

/** The fields of a usage row these series read. */
export type RecordedUsage = {
  provider?: string | null;
  modelServed?: string | null;
  status: number;
  inputTokens?: number;
  outputTokens?: number;
  cachedTokens?: number;
  costNanoUsd?: number;
  latencyMs?: number;
  ttftMs?: number | null;
  stream?: boolean;
};

const Inserted = z.object({ meta: z.object({ changes: z.number() }) });

function countCall(row: RecordedUsage): void {
  const provider = row.provider ?? "none";
  const model = row.modelServed ?? "none";
  metrics.inc("auterity_gateway_requests_total", { provider, model, status: String(row.status) });
  metrics.inc("auterity_gateway_tokens_total", { provider, model, kind: "input" }, row.inputTokens ?? 0);
  metrics.inc("auterity_gateway_tokens_total", { provider, model, kind: "output" }, row.outputTokens ?? 0);
  metrics.inc("auterity_gateway_tokens_total", { provider, model, kind: "cached" }, row.cachedTokens ?? 0);
  metrics.inc("auterity_gateway_cost_usd_total", { provider, model }, (row.costNanoUsd ?? 0) / 1e9);
  if (row.latencyMs !== undefined) metrics.observe("auterity_gateway_request_duration_seconds", { provider }, row.latencyMs / 1000);
  if (row.stream && row.ttftMs !== null && row.ttftMs !== undefined) metrics.observe("auterity_gateway_ttft_seconds", { provider }, row.ttftMs / 1000);
}

/**
 * The usage rows a D1 batch inserted: `results[i]` is the insert of `rows[i]`, and an insert
 * that changed nothing met a row already written by an earlier delivery.
 */
export function insertedRows<T>(rows: readonly T[], results: readonly unknown[]): T[] {
  return rows.filter((_, i) => {
    const inserted = Inserted.safeParse(results[i]);
    return inserted.success && inserted.data.meta.changes > 0;
  });
}

/** Counts newly written usage rows (see insertedRows). */
export function countRecordedUsage(rows: readonly RecordedUsage[]): void {
  for (const row of rows) countCall(row);
}

/** One response-cache lookup of a call whose tenant has the cache on. */
export function countCacheLookup(hit: boolean): void {
  metrics.inc("auterity_gateway_cache_total", { result: hit ? "hit" : "miss" });
}

/**
 * One outcome reported against health key `key`. Reports can come after the response (a
 * stream cut), so this also schedules the isolate's flush.
 */
export function countProviderOutcome(env: Env, waitUntil: (p: Promise<unknown>) => void, key: string, outcome: Outcome): void {
  const target = parseHealthKey(key);
  if (!target) return;
  metrics.inc("auterity_provider_outcomes_total", { ...target, result: outcome.ok ? "ok" : outcome.kind });
  flushMetricsSoon(env, waitUntil);
}
