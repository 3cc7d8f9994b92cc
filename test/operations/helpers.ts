/**
 * What the operations tests share: usage history written straight into D1 (generated in
 * SQL, so a day of calls is one statement), a clock per test far from every other test's
 * rows, and an env whose events queue records what the detector publishes.
 */
import { env } from "cloudflare:workers";
import { z } from "zod";
import { newId, randomString } from "../../workers/lib/ids";
import { WINDOW_MS } from "../../workers/operations/usage-windows";
import { RecordingQueue } from "../webhooks/helpers";

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
export { WINDOW_MS };

// Each test file starts at its own random week (files may share storage); each test in it takes the next fortnight.
const fileStart = Date.UTC(2031, 0, 1) + Math.floor(Math.random() * 1_000) * 100 * DAY;
let clockSeq = 0;

/**
 * A `now` of this test's own: detector runs look at every tenant's calls in their window,
 * so each test gets time that no other test (or real traffic) writes into.
 */
export function testClock(): number {
  clockSeq += 1;
  return fileStart + clockSeq * 14 * DAY;
}

/** A provider name no other test uses. */
export function uniqueProvider(label: string): string {
  return `${label}-${randomString(8).toLowerCase()}`;
}

export type Calls = {
  tenantId: string;
  /** First call's time. */
  from: number;
  /** Calls up to (not including) this time. */
  to: number;
  /** One call every this many ms. */
  everyMs: number;
  provider?: string | null;
  costNanoUsd?: number;
  latencyMs?: number;
  status?: number;
  cacheHit?: boolean;
  apiKeyId?: string | null;
  tags?: string[];
};

// Calls name this provider unless a test picks one: unique to the file, so no other file's calls mix in.
const DEFAULT_PROVIDER = uniqueProvider("steady");

/** Writes calls at from, from + everyMs, … before `to`, as the usage queue would have. */
export async function insertCalls(c: Calls): Promise<number> {
  const count = Math.max(0, Math.ceil((c.to - c.from) / c.everyMs));
  if (count === 0) return 0;
  await env.DB.prepare(
    `with recursive seq(i) as (select 0 union all select i + 1 from seq where i + 1 < ?1)
     insert into usage_events (id, tenant_id, api_key_id, endpoint, model_requested, model_served, provider, cost_nano_usd, latency_ms, status, cache_hit, tags, created_at)
     select 'use_' || lower(hex(randomblob(10))), ?2, ?3, '/v1/chat/completions', 'm', 'm', ?4, ?5, ?6, ?7, ?8, ?9, ?10 + i * ?11 from seq`,
  )
    .bind(count, c.tenantId, c.apiKeyId ?? null, c.provider === undefined ? DEFAULT_PROVIDER : c.provider, c.costNanoUsd ?? 0, c.latencyMs ?? 500, c.status ?? 200, c.cacheHit ? 1 : 0, JSON.stringify(c.tags ?? []), c.from, c.everyMs)
    .run();
  return count;
}

/** `perWindow` calls in every 5-minute window from `from` to `to` (evenly spaced, so any 5 minutes hold exactly that many). */
export function steady(c: Omit<Calls, "everyMs"> & { perWindow: number }): Promise<number> {
  return insertCalls({ ...c, everyMs: WINDOW_MS / c.perWindow });
}

/** An env whose events queue records instead of delivering. */
export function recordingEnv(): { env: Env; events: RecordingQueue } {
  const events = new RecordingQueue();
  return { env: { ...env, EVENTS_QUEUE: events }, events };
}

export const PublishedEvent = z.object({ id: z.string(), tenantId: z.string(), type: z.string(), data: z.record(z.string(), z.unknown()), occurredAt: z.number() });
export type PublishedEvent = z.infer<typeof PublishedEvent>;

/** Events sent to the queue so far for `tenantId`, of `type`. */
export function eventsOf(queue: RecordingQueue, tenantId: string, type: string): PublishedEvent[] {
  return queue.sent.map((s) => PublishedEvent.parse(s.body)).filter((e) => e.tenantId === tenantId && e.type === type);
}

export const AnomalyRowSchema = z.object({
  id: z.string(),
  kind: z.string(),
  subject: z.string(),
  status: z.string(),
  score: z.number(),
  observed: z.number(),
  expected: z.number(),
  window_start: z.number(),
  window_end: z.number(),
  clear_since: z.number().nullable(),
  resolved_at: z.number().nullable(),
  notified_at: z.number().nullable(),
});

/** The tenant's anomaly rows, straight from D1, oldest first. */
export async function anomalyRows(tenantId: string) {
  const { results } = await env.DB.prepare(
    "select id, kind, subject, status, score, observed, expected, window_start, window_end, clear_since, resolved_at, notified_at from anomalies where tenant_id = ? order by detected_at, id",
  )
    .bind(tenantId)
    .all();
  return z.array(AnomalyRowSchema).parse(results);
}

/** Sets a tenant's sensitivity the way the API does. */
export async function setSensitivity(tenantId: string, sensitivity: "off" | "low" | "medium" | "high"): Promise<void> {
  await env.DB.prepare("insert into anomaly_settings (tenant_id, sensitivity, updated_at) values (?1, ?2, 0) on conflict (tenant_id) do update set sensitivity = ?2")
    .bind(tenantId, sensitivity)
    .run();
}

/** An anomaly row written directly (as the detector would have), for API and isolation tests; returns its id. */
export async function insertAnomaly(tenantId: string, detectedAt: number, status: "open" | "resolved" = "open", kind = "tenant_spend"): Promise<string> {
  const id = newId("anom");
  await env.DB.prepare(
    `insert into anomalies (id, tenant_id, kind, subject, status, sensitivity, score, observed, expected, unit, window_start, window_end, detected_at, resolved_at)
     values (?1, ?2, ?3, 'tenant', ?4, 'medium', 50, 110000000, 10000000, 'nano_usd', ?5 - 300000, ?5, ?5, ?6)`,
  )
    .bind(id, tenantId, kind, status, detectedAt, status === "resolved" ? detectedAt + 1 : null)
    .run();
  return id;
}
