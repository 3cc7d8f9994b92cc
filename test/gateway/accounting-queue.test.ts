import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../workers/index";
import { consumeUsage } from "../../workers/queues/usage";
import { recordUsage, type UsageEvent } from "../../workers/gateway/usage";
import { createTestTenant } from "../helpers/fixtures";
import { usageEvent } from "../helpers/usage-event";

let seq = 0;
function batchOf(bodies: unknown[]) {
  return createMessageBatch("auterity-usage", bodies.map((body) => ({ id: `msg-${++seq}`, timestamp: new Date(), attempts: 1, body })));
}

async function deliver(bodies: unknown[], consumerEnv: Env = env) {
  const batch = batchOf(bodies);
  const ctx = createExecutionContext();
  await worker.queue(batch, consumerEnv, ctx);
  return { batch, result: await getQueueResult(batch, ctx) };
}

async function rowsOf(tenantId: string) {
  const { results } = await env.DB.prepare("select id, input_tokens, cost_nano_usd, tags, stream, price_source from usage_events where tenant_id = ? order by id").bind(tenantId).all<{
    id: string;
    input_tokens: number;
    cost_nano_usd: number;
    tags: string;
    stream: number;
    price_source: string | null;
  }>();
  return results;
}

const metrics = { backlogCount: 0, backlogBytes: 0 };

/** A queue that hands each sent body to `onSend` (which may refuse it by throwing). */
function queueThat(onSend: (body: unknown) => Promise<void>): Queue {
  return {
    metrics: async () => metrics,
    send: async (body) => {
      await onSend(body);
      return { metadata: { metrics } };
    },
    sendBatch: async () => ({ metadata: { metrics } }),
  };
}

describe("recordUsage", () => {
  it("sends the event to the queue inside waitUntil, without awaiting it itself", async () => {
    const sent: unknown[] = [];
    const pending: Promise<unknown>[] = [];
    const queue = queueThat(async (body) => void sent.push(body));
    const event = usageEvent("ten_x");
    recordUsage(queue, (p) => pending.push(p), event);
    expect(pending).toHaveLength(1);
    await Promise.all(pending);
    expect(sent).toEqual([event]);
  });

  it("does not reject when the queue refuses the message", async () => {
    const pending: Promise<unknown>[] = [];
    const queue = queueThat(async () => Promise.reject(new Error("queue unavailable")));
    recordUsage(queue, (p) => pending.push(p), usageEvent("ten_x"));
    await expect(Promise.all(pending)).resolves.toBeDefined();
  });

  it("delivers through the real usage queue to the consumer", async () => {
    const { tenantId } = await createTestTenant();
    const event = usageEvent(tenantId);
    const pending: Promise<unknown>[] = [];
    recordUsage(env.USAGE_QUEUE, (p) => pending.push(p), event);
    await Promise.all(pending);
    // The local queue hands batches to the consumer after max_batch_timeout; poll with a bound.
    let found = 0;
    for (let i = 0; i < 100 && found === 0; i++) {
      found = (await rowsOf(tenantId)).length;
      if (found === 0) await new Promise((r) => setTimeout(r, 100));
    }
    expect(found).toBe(1);
  });
});

describe("usage queue consumer", () => {
  it("is registered for the auterity-usage queue and inserts a batch of events", async () => {
    const { tenantId } = await createTestTenant();
    const events = [usageEvent(tenantId), usageEvent(tenantId, { stream: true, inputTokens: 7 }), usageEvent(tenantId, { tags: [] })];
    const { batch, result } = await deliver(events);
    expect(result.explicitAcks.sort()).toEqual(batch.messages.map((m) => m.id).sort());
    expect(result.retryMessages).toEqual([]);
    const rows = await rowsOf(tenantId);
    expect(rows.map((r) => r.id)).toEqual(events.map((e) => e.id).sort());
    const streamed = rows.find((r) => r.id === events[1]?.id);
    expect(streamed).toMatchObject({ input_tokens: 7, stream: 1 });
    expect(JSON.parse(rows.find((r) => r.id === events[0]?.id)?.tags ?? "null")).toEqual(["sales"]);
  });

  it("counts a redelivered message once, in a later batch or the same one", async () => {
    const { tenantId } = await createTestTenant();
    const event = usageEvent(tenantId, { costNanoUsd: 5_000 });
    await deliver([event]);
    const again = await deliver([event, event]);
    expect(again.result.explicitAcks).toHaveLength(2);
    const rows = await rowsOf(tenantId);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.cost_nano_usd).toBe(5_000);
  });

  it("acks malformed messages without retrying them, and still writes the good ones", async () => {
    const { tenantId } = await createTestTenant();
    const good = usageEvent(tenantId);
    const { batch, result } = await deliver([good, "not an event", { ...usageEvent(tenantId), inputTokens: -5 }, { id: "x" }, null]);
    expect(result.explicitAcks.sort()).toEqual(batch.messages.map((m) => m.id).sort());
    expect(result.retryMessages).toEqual([]);
    expect((await rowsOf(tenantId)).map((r) => r.id)).toEqual([good.id]);
  });

  it("retries the valid messages when D1 fails, and acks the malformed ones", async () => {
    const { tenantId } = await createTestTenant();
    const failing: D1Database = {
      prepare: (q) => env.DB.prepare(q),
      batch: async () => Promise.reject(new Error("D1_ERROR: database unavailable")),
      exec: (q) => env.DB.exec(q),
      dump: () => env.DB.dump(),
      withSession: (c) => env.DB.withSession(c),
    };
    const events = [usageEvent(tenantId), usageEvent(tenantId)];
    const batch = batchOf([...events, 42]);
    const ctx = createExecutionContext();
    await consumeUsage(batch, { ...env, DB: failing }, ctx);
    const result = await getQueueResult(batch, ctx);
    const [m1, m2, bad] = batch.messages;
    expect(result.retryMessages.map((r: { msgId: string }) => r.msgId).sort()).toEqual([m1?.id, m2?.id].sort());
    expect(result.explicitAcks).toEqual([bad?.id]);
    expect(await rowsOf(tenantId)).toEqual([]);
  });

  it("marks calls whose model had no price, and keeps their tokens", async () => {
    const { tenantId } = await createTestTenant();
    const unpriced = usageEvent(tenantId, { provider: "vllm", modelServed: "llama-local", costNanoUsd: 0, inputTokens: 900 });
    const priced = usageEvent(tenantId);
    const stated = usageEvent(tenantId, { priceSource: "tenant" });
    const failedEarly = usageEvent(tenantId, { provider: null, modelServed: null, status: 404, errorCode: "model_not_found", inputTokens: 0, outputTokens: 0, costNanoUsd: 0 });
    await deliver([unpriced, priced, stated, failedEarly]);
    const byId = new Map((await rowsOf(tenantId)).map((r) => [r.id, r]));
    expect(byId.get(unpriced.id)).toMatchObject({ price_source: "unknown", input_tokens: 900, cost_nano_usd: 0 });
    expect(byId.get(priced.id)?.price_source).toBe("platform");
    expect(byId.get(stated.id)?.price_source).toBe("tenant");
    expect(byId.get(failedEarly.id)?.price_source).toBeNull();
  });
});
