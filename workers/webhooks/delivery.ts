/**
 * One delivery attempt of one message, from a queue job: check the job is still the next
 * attempt and due, claim it (so no duplicate job can attempt it too), sign, POST, log the
 * attempt, then settle: delivered, retry later (queue delay plus next_attempt_at for the
 * sweep), or failed.
 */
import { and, eq, inArray, isNull, lte, or, sql } from "drizzle-orm";
import { webhookAttempts, webhookEndpoints, webhookEvents, webhookMessages } from "../../d1/schema";
import type { Db } from "../db";
import type { EventInput } from "../events/publish";
import { newId } from "../lib/ids";
import { type EndpointRow, signingSecrets } from "./endpoints";
import { disableEndpoint, FAILING_DISABLE_AFTER_MS } from "./health";
import { type DeliveryJob, type Enqueue, job } from "./jobs";
import { postWebhook, type PostResult } from "./post";
import { nextRetryDelay } from "./schedule";
import { webhookHeaders } from "./signing";
import { checkWebhookUrl, type UrlPolicy } from "./url-policy";

export type DeliveryDeps = {
  db: Db;
  masterKey: string;
  policy: UrlPolicy;
  fetch: typeof fetch;
  now: () => number;
  random: () => number;
  timeoutMs: number;
  enqueue: Enqueue;
  publish: (event: EventInput) => Promise<void>;
};

export type DeliveryOutcome = "stale" | "not_due" | "endpoint_disabled" | "delivered" | "retrying" | "failed";

/** The default POST timeout. */
export const DELIVERY_TIMEOUT_MS = 15_000;
// Longer than the timeout: a claimed attempt whose worker died is retried by the sweep after this.
const CLAIM_LEASE_MS = 60_000;
// A queue message may arrive a little before its delay is over.
const DUE_TOLERANCE_MS = 1_000;

type Loaded = { message: typeof webhookMessages.$inferSelect; endpoint: EndpointRow; event: typeof webhookEvents.$inferSelect };

// A plain select, not part of a batch: D1 batches return rows as objects, and this join's
// duplicate column names (id, tenant_id, ...) would collide there.
async function load(db: Db, messageId: string): Promise<Loaded | null> {
  const [row] = await db
    .select({ message: webhookMessages, endpoint: webhookEndpoints, event: webhookEvents })
    .from(webhookMessages)
    .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookMessages.endpointId))
    .innerJoin(webhookEvents, eq(webhookEvents.id, webhookMessages.eventId))
    .where(eq(webhookMessages.id, messageId));
  return row ?? null;
}

/** Where the message stands if `j` is still its next attempt (status pending, attempts = j.attempt - 1). */
function stillNext(j: DeliveryJob) {
  return and(eq(webhookMessages.id, j.messageId), eq(webhookMessages.status, "pending"), eq(webhookMessages.attempts, j.attempt - 1));
}

/**
 * Takes attempt `j.attempt` for this worker in one statement: only if it is still the next
 * attempt, due, and its endpoint enabled. The lease in next_attempt_at lets the sweep
 * retry it if this worker dies mid-attempt.
 */
async function claim(db: Db, j: DeliveryJob, now: number): Promise<boolean> {
  const enabled = db.select({ id: webhookEndpoints.id }).from(webhookEndpoints).where(eq(webhookEndpoints.status, "enabled"));
  const due = or(isNull(webhookMessages.nextAttemptAt), lte(webhookMessages.nextAttemptAt, now + DUE_TOLERANCE_MS));
  const rows = await db
    .update(webhookMessages)
    .set({ attempts: j.attempt, lastAttemptAt: now, nextAttemptAt: now + CLAIM_LEASE_MS })
    .where(and(stillNext(j), due, inArray(webhookMessages.endpointId, enabled)))
    .returning({ id: webhookMessages.id });
  return rows.length === 1;
}

/** Why a job could not be claimed: stale, early (put back until due) or its endpoint disabled. */
async function unclaimed(deps: DeliveryDeps, j: DeliveryJob, now: number): Promise<DeliveryOutcome> {
  const l = await load(deps.db, j.messageId);
  if (!l || l.message.status !== "pending" || l.message.attempts !== j.attempt - 1) return "stale";
  if (l.endpoint.status !== "enabled") {
    await deps.db.update(webhookMessages).set({ status: "failed", nextAttemptAt: null, lastError: "endpoint disabled" }).where(stillNext(j));
    return "endpoint_disabled";
  }
  const due = l.message.nextAttemptAt ?? now;
  if (due <= now + DUE_TOLERANCE_MS) return "stale";
  await deps.enqueue([j], (due - now) / 1000);
  return "not_due";
}

/** The Standard Webhooks body: `{type, timestamp, data}`, the same bytes on every attempt. */
export function webhookBody(event: { type: string; occurredAt: number; data: Record<string, unknown> }): string {
  return JSON.stringify({ type: event.type, timestamp: new Date(event.occurredAt).toISOString(), data: event.data });
}

async function attempt(deps: DeliveryDeps, { message, endpoint, event }: Loaded, now: number): Promise<PostResult> {
  const allowed = checkWebhookUrl(endpoint.url, deps.policy);
  if (!allowed.ok) return { statusCode: null, latencyMs: 0, snippet: null, error: `refused: ${allowed.reason}`, retryAfterMs: null };
  const body = webhookBody(event);
  const signed = await webhookHeaders(await signingSecrets(deps.masterKey, endpoint, now), message.id, Math.floor(now / 1000), body);
  const headers = { ...signed, "content-type": "application/json", "user-agent": "Auterity-Webhooks/1.0" };
  return postWebhook(deps.fetch, { url: allowed.url.href, headers, body, timeoutMs: deps.timeoutMs, now });
}

function attemptRow({ message, endpoint }: Loaded, n: number, r: PostResult, now: number): typeof webhookAttempts.$inferInsert {
  return {
    id: newId("wha"),
    tenantId: message.tenantId,
    messageId: message.id,
    endpointId: endpoint.id,
    attempt: n,
    url: endpoint.url,
    statusCode: r.statusCode,
    latencyMs: r.latencyMs,
    responseSnippet: r.snippet,
    error: r.error,
    createdAt: now,
  };
}

/** Logs the attempt and stores its outcome in one round trip; returns the endpoint's failure streak start. */
async function store(db: Db, l: Loaded, n: number, r: PostResult, message: Partial<typeof webhookMessages.$inferInsert>, now: number): Promise<number | null> {
  const mine = and(eq(webhookMessages.id, l.message.id), eq(webhookMessages.attempts, n));
  const endpoint =
    r.error === null
      ? { lastSuccessAt: now, failingSince: null }
      : { failingSince: sql<number>`coalesce(${webhookEndpoints.failingSince}, ${now})` };
  const [, , streak] = await db.batch([
    db.insert(webhookAttempts).values(attemptRow(l, n, r, now)).onConflictDoNothing(),
    db.update(webhookMessages).set({ ...message, lastStatusCode: r.statusCode, lastError: r.error }).where(mine),
    db.update(webhookEndpoints).set(endpoint).where(eq(webhookEndpoints.id, l.endpoint.id)).returning({ failingSince: webhookEndpoints.failingSince }),
  ]);
  return streak[0]?.failingSince ?? null;
}

async function settle(deps: DeliveryDeps, l: Loaded, n: number, r: PostResult, now: number): Promise<DeliveryOutcome> {
  if (r.error === null) {
    await store(deps.db, l, n, r, { status: "delivered", deliveredAt: now, nextAttemptAt: null }, now);
    return "delivered";
  }
  const gone = r.statusCode === 410;
  const delay = gone ? null : nextRetryDelay(n, deps.random, r.retryAfterMs);
  const failingSince = await store(deps.db, l, n, r, delay === null ? { status: "failed", nextAttemptAt: null } : { nextAttemptAt: now + delay }, now);
  if (delay !== null) await deps.enqueue([job(l.message.id, n + 1)], delay / 1000);
  if (gone) await disableEndpoint(deps, l.endpoint, "gone", now);
  else if (failingSince !== null && now - failingSince >= FAILING_DISABLE_AFTER_MS) await disableEndpoint(deps, l.endpoint, "failing", now);
  return delay === null ? "failed" : "retrying";
}

/** Runs one delivery job. Throws only when storage fails (the queue then retries the job). */
export async function deliver(deps: DeliveryDeps, j: DeliveryJob): Promise<DeliveryOutcome> {
  const now = deps.now();
  if (!(await claim(deps.db, j, now))) return unclaimed(deps, j, now);
  const l = await load(deps.db, j.messageId);
  if (!l) return "stale";
  const result = await attempt(deps, l, now);
  return settle(deps, l, j.attempt, result, now);
}
