import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { healthProbeMessage } from "../../workers/health/probe-message";
import worker from "../../workers/index";
import { randomString } from "../../workers/lib/ids";
import { createTestTenant } from "../helpers/fixtures";
import { usageEvent } from "../helpers/usage-event";
import { captureLogs, type Capture } from "../logging/helpers";

let capture: Capture;
beforeEach(() => {
  capture = captureLogs();
});
afterEach(() => capture.restore());

async function usageRowCount(): Promise<number> {
  return (await env.DB.prepare("select count(*) as n from usage_events").first<{ n: number }>())?.n ?? 0;
}

describe("the usage queue's consumer and the readiness probe", () => {
  it("acks a probe alone without writing anything or logging an error", async () => {
    const before = await usageRowCount();
    const probeId = `probe-${randomString(8)}`;
    const batch = createMessageBatch("auterity-usage", [{ id: probeId, timestamp: new Date(), attempts: 1, body: healthProbeMessage(Date.now()) }]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env, ctx);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks).toEqual([probeId]);
    expect(result.retryMessages).toEqual([]);
    expect(await usageRowCount()).toBe(before);
    const lines = capture.lines().filter((l) => l.requestId === probeId);
    expect(lines.map((l) => [l.level, l.msg])).toEqual([["debug", "health probe acknowledged"]]);
    expect(capture.lines().filter((l) => l.level === "error")).toEqual([]);
  });

  it("acks a probe that shares a batch with usage events, and writes only the events", async () => {
    const tenant = await createTestTenant("Probe Motors");
    const event = usageEvent(tenant.tenantId, { inputTokens: 10, outputTokens: 2, costNanoUsd: 2_700, latencyMs: 40, tags: [] });
    const batch = createMessageBatch("auterity-usage", [
      { id: `probe-${randomString(8)}`, timestamp: new Date(), attempts: 1, body: healthProbeMessage(Date.now()) },
      { id: `use-${randomString(8)}`, timestamp: new Date(), attempts: 1, body: event },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env, ctx);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks.sort()).toEqual(batch.messages.map((m) => m.id).sort());
    const rows = await env.DB.prepare("select id from usage_events where tenant_id = ?").bind(tenant.tenantId).all<{ id: string }>();
    expect(rows.results.map((r) => r.id)).toEqual([event.id]);
  });

  it("still drops a body that is neither a probe nor a usage event, with an error line", async () => {
    const id = `junk-${randomString(8)}`;
    const batch = createMessageBatch("auterity-usage", [{ id, timestamp: new Date(), attempts: 1, body: { kind: "health.probably" } }]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env, ctx);
    expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual([id]);
    expect(capture.lines().filter((l) => l.requestId === id).map((l) => l.msg)).toEqual(["malformed usage event dropped"]);
  });
});
