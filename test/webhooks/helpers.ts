/**
 * Test harness for webhooks: the partner receiver in sim/, queues that record what is sent
 * to them, and a clock the test moves. Consumers are driven by hand with createMessageBatch,
 * so every retry happens exactly when the test says, with nothing slept.
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { expect, vi } from "vitest";
import { z } from "zod";
import { buildEvent } from "../../workers/events/publish";
import { randomString } from "../../workers/lib/ids";
import { eventsConsumer } from "../../workers/queues/events";
import { webhookDeliveryConsumer, type DeliveryOptions } from "../../workers/queues/webhooks";
import { sweepOverdueMessages } from "../../workers/webhooks/sweep";
import { queueEnqueue } from "../../workers/webhooks/jobs";
import { makeDb } from "../../workers/db";
import { call, expectOk } from "../api/helpers";

// ---- the partner receiver (sim/partner.ts) ----

export const ReceivedSchema = z.object({
  seq: z.number(),
  webhookId: z.string().nullable(),
  timestamp: z.number().nullable(),
  signature: z.string().nullable(),
  signatureValid: z.boolean().nullable(),
  verified: z.boolean().nullable(),
  type: z.string().nullable(),
  body: z.string(),
  answered: z.union([z.number(), z.literal("stalled")]),
});
export type Received = z.infer<typeof ReceivedSchema>;

export type PartnerConfig = { secrets?: string[]; mode?: "ok" | "fail" | "stall" | "rate_limit" | "gone" | "redirect"; status?: number; retryAfter?: number; times?: number; replyBytes?: number };

/** A receiver with a fresh name on the shared simulator. */
export function partnerName(label = "p"): string {
  return `${label}-${randomString(10)}`;
}

export function partnerUrl(name: string): string {
  return `${env.SIM_URL}/partner/${name}`;
}

export async function configurePartner(name: string, config: PartnerConfig): Promise<void> {
  const res = await fetch(`${partnerUrl(name)}/_config`, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify(config) });
  expect(res.status, await res.clone().text()).toBe(200);
  await res.body?.cancel();
}

export async function received(name: string): Promise<Received[]> {
  const res = await fetch(`${partnerUrl(name)}/_received`);
  return z.object({ data: z.array(ReceivedSchema) }).parse(await res.json()).data;
}

// ---- endpoints through the API ----

export const EndpointBody = z.object({
  id: z.string(),
  url: z.string(),
  status: z.enum(["enabled", "disabled"]),
  disabledReason: z.string().nullable(),
  eventTypes: z.array(z.string()).nullable(),
  failingSince: z.number().nullable(),
  lastSuccessAt: z.number().nullable(),
  previousSecretExpiresAt: z.number().nullable(),
});
export const WithSecret = EndpointBody.extend({ secret: z.string() });

/** Creates an endpoint as `token` and tells the partner receiver its secret. */
export async function createEndpoint(token: string, name: string, extra: Record<string, unknown> = {}) {
  const ep = expectOk(await call("POST", "/webhooks/endpoints", { token, body: { url: partnerUrl(name), ...extra } }), 201, WithSecret);
  await configurePartner(name, { secrets: [ep.secret] });
  return ep;
}

// ---- queues that record, and a controlled clock ----

export type Sent = { body: unknown; delaySeconds: number };

const metrics = { backlogCount: 0, backlogBytes: 0 };

/** A Queue binding that keeps what is sent to it. */
export class RecordingQueue implements Queue {
  sent: Sent[] = [];
  async metrics() {
    return metrics;
  }
  async send(body: unknown, opts?: QueueSendOptions) {
    this.sent.push({ body, delaySeconds: opts?.delaySeconds ?? 0 });
    return { metadata: { metrics } };
  }
  async sendBatch(messages: Iterable<MessageSendRequest>) {
    for (const m of messages) this.sent.push({ body: m.body, delaySeconds: m.delaySeconds ?? 0 });
    return { metadata: { metrics } };
  }
  /** Removes and returns everything sent so far. */
  take(): Sent[] {
    const out = this.sent;
    this.sent = [];
    return out;
  }
}

export const DeliveryJobBody = z.object({ v: z.literal(1), messageId: z.string(), attempt: z.number() });
type Scheduled = { body: unknown; at: number };

let seq = 0;

/**
 * Runs the events and delivery consumers by hand against the real D1 and the simulator,
 * with the clock and randomness under the test's control. Queued jobs wait in `pending`
 * until the clock reaches their delay.
 */
export class Harness {
  now: number;
  random = () => 0.5;
  readonly webhookQueue = new RecordingQueue();
  readonly eventsQueue = new RecordingQueue();
  readonly env: Env;
  /** Delivery jobs not yet handed to the consumer, with when they become visible. */
  pending: Scheduled[] = [];
  deliveryOptions: DeliveryOptions = {};

  constructor(start = Date.now()) {
    this.now = start;
    this.env = { ...env, WEBHOOK_QUEUE: this.webhookQueue, EVENTS_QUEUE: this.eventsQueue };
  }

  private collect(): void {
    for (const s of this.webhookQueue.take()) this.pending.push({ body: s.body, at: this.now + s.delaySeconds * 1000 });
  }

  private async run(queue: string, bodies: unknown[], consume: (b: MessageBatch<unknown>, e: Env, c: ExecutionContext) => Promise<void>) {
    const batch = createMessageBatch(queue, bodies.map((body) => ({ id: `m-${++seq}`, timestamp: new Date(this.now), attempts: 1, body })));
    const ctx = createExecutionContext();
    await consume(batch, this.env, ctx);
    const result = await getQueueResult(batch, ctx);
    this.collect();
    return result;
  }

  /** Publishes an event the way publishEvent does, then runs the events consumer on it. */
  async publish(tenantId: string, type: string, data: Record<string, unknown>) {
    const event = buildEvent({ tenantId, type, data }, this.now);
    await this.runEvents([event]);
    return event;
  }

  /** Runs the events consumer on these queue bodies. */
  runEvents(bodies: unknown[]) {
    return this.run("auterity-events", bodies, eventsConsumer(() => this.now));
  }

  /** Hands every job visible by now to the delivery consumer (once). */
  async deliverDue() {
    const due = this.pending.filter((p) => p.at <= this.now);
    this.pending = this.pending.filter((p) => p.at > this.now);
    if (due.length === 0) return null;
    return this.run("auterity-webhooks", due.map((d) => d.body), webhookDeliveryConsumer({ now: () => this.now, random: () => this.random() }, this.deliveryOptions));
  }

  /** Delivers until nothing is due at the current time. */
  async drain(): Promise<void> {
    while (this.pending.some((p) => p.at <= this.now)) await this.deliverDue();
  }

  /** Moves the clock to the next queued job (or by `ms`) and delivers what is due. */
  async advance(ms?: number): Promise<void> {
    const next = Math.min(...this.pending.map((p) => p.at));
    this.now = ms === undefined ? Math.max(this.now, next) : this.now + ms;
    await this.drain();
  }

  /** Runs the cron sweep at the current time; what it queues joins `pending`. */
  async sweep(): Promise<number> {
    const n = await sweepOverdueMessages({ db: makeDb(env.DB), enqueue: queueEnqueue(this.webhookQueue), now: this.now });
    this.collect();
    return n;
  }

  /** Drops every queued job, as if the queue had lost them. */
  loseQueuedJobs(): number {
    const n = this.pending.length;
    this.pending = [];
    return n;
  }
}

/** Message rows of an endpoint, straight from D1. */
export async function messagesOf(endpointId: string) {
  const { results } = await env.DB.prepare("select id, event_id, status, attempts, next_attempt_at, last_status_code, last_error from webhook_messages where endpoint_id = ? order by created_at, id")
    .bind(endpointId)
    .all<{ id: string; event_id: string; status: string; attempts: number; next_attempt_at: number | null; last_status_code: number | null; last_error: string | null }>();
  return results;
}

export async function attemptsOf(messageId: string) {
  const { results } = await env.DB.prepare("select attempt, status_code, error, response_snippet, created_at from webhook_attempts where message_id = ? order by attempt")
    .bind(messageId)
    .all<{ attempt: number; status_code: number | null; error: string | null; response_snippet: string | null; created_at: number }>();
  return results;
}

/** A message created by a test event and delivered through the real queues; returns its id. */
export async function deliveredWebhookMessage(token: string): Promise<string> {
  const ep = await createEndpoint(token, partnerName("sweep"));
  const msg = expectOk(await call("POST", `/webhooks/endpoints/${ep.id}/test`, { token, body: {} }), 201, z.object({ id: z.string() }));
  await vi.waitFor(
    async () => expectOk(await call("GET", `/webhooks/messages/${msg.id}`, { token }), 200, z.object({ status: z.literal("delivered") })),
    { timeout: 15_000, interval: 200 },
  );
  return msg.id;
}
