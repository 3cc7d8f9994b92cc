/**
 * Where a detected anomaly goes: a partner's webhook endpoint (through the real events and
 * webhook queues to the partner receiver) and the dashboard's live socket.
 */
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { runAnomalyDetection } from "../../workers/operations/run-detection";
import { createTestTenant } from "../helpers/fixtures";
import { closeOpenSockets, liveTenant, openLive, send } from "../live/helpers";
import { createEndpoint, partnerName, received } from "../webhooks/helpers";
import { anomalyRows, HOUR, insertCalls, MINUTE, recordingEnv, steady, testClock } from "./helpers";

afterEach(closeOpenSockets);

async function spendSpike(tenantId: string, now: number): Promise<void> {
  await steady({ tenantId, from: now - 25 * HOUR, to: now + HOUR, perWindow: 4, costNanoUsd: 2_500_000 });
  await insertCalls({ tenantId, from: now - MINUTE, to: now - MINUTE + 2, everyMs: 1, costNanoUsd: 50_000_000 });
}

describe("anomaly delivery", () => {
  it("reaches a partner subscribed to anomaly.detected as one signed webhook", async () => {
    const now = testClock();
    const t = await createTestTenant("Webhook Anomaly Motors");
    const name = partnerName("anomaly");
    await createEndpoint(t.adminKey, name, { eventTypes: ["anomaly.detected"] });
    await spendSpike(t.tenantId, now);
    await runAnomalyDetection(env, now);
    await runAnomalyDetection(env, now + MINUTE);
    const [row] = await anomalyRows(t.tenantId);

    await vi.waitFor(async () => expect(await received(name)).toHaveLength(1), { timeout: 15_000, interval: 200 });
    const [hook] = await received(name);
    expect(hook).toMatchObject({ type: "anomaly.detected", signatureValid: true, verified: true, answered: 200 });
    const body: unknown = JSON.parse(hook?.body ?? "{}");
    expect(body).toMatchObject({ type: "anomaly.detected", data: { anomalyId: row?.id, kind: "tenant_spend", observed: 110_000_000, expected: 10_000_000 } });
  });

  it("pushes anomaly.detected to a dashboard subscribed to the operations topic", async () => {
    const now = testClock();
    const t = await liveTenant("Live Anomaly Motors");
    const socket = await openLive(t.token);
    await send(socket, { type: "unsubscribe", topics: ["*"] });
    expect(await send(socket, { type: "subscribe", topics: ["operations"] })).toEqual({ type: "subscribed", topics: ["operations"] });
    await spendSpike(t.tenantId, now);
    await runAnomalyDetection(recordingEnv().env, now);
    const [row] = await anomalyRows(t.tenantId);
    const frame = await socket.inbox.next();
    expect(frame).toMatchObject({
      type: "anomaly.detected",
      at: now,
      data: { anomalyId: row?.id, kind: "tenant_spend", subject: "tenant", score: 50, unit: "nano_usd", summary: "Spend in the last 5 minutes was $0.1100, against a usual $0.0100." },
    });
  });
});
