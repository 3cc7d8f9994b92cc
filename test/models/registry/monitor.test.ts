import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { evalRuns, usageEvents } from "../../../d1/schema";
import { makeDb } from "../../../workers/db";
import { newId } from "../../../workers/lib/ids";
import { canaryVerdict, checkCanary, MIN_REQUESTS, MONITOR_WINDOW_MS, runCanaryMonitor } from "../../../workers/models/registry/monitor";
import { getModel } from "../../../workers/models/registry/store";
import { call, expectOk } from "../../api/helpers";
import { createTestTenant } from "../../helpers/fixtures";
import { addScenario, waitForTenantUsage } from "../../gateway/helpers";
import { RecordingQueue } from "../../webhooks/helpers";
import { addVersion, auditOf, chat, createModel, expectPromoted, ModelBody, simModel } from "./helpers";

const NOW = 1_800_000_000_000;
const db = makeDb(env.DB);

async function canaryModel(tenant: { tenantId: string; adminKey: string }, challengerModel = simModel("chal")) {
  const m = await createModel(tenant.adminKey);
  const v1 = await addVersion(tenant.adminKey, m.id);
  const v2 = await addVersion(tenant.adminKey, m.id, challengerModel);
  await expectPromoted(tenant.adminKey, m.id, v1.id, "champion");
  await expectPromoted(tenant.adminKey, m.id, v2.id, "challenger");
  expect((await call("PATCH", `/models/${m.id}`, { token: tenant.adminKey, body: { canaryPercent: 20 } })).status).toBe(200);
  return { m, v1, v2 };
}

/** Usage rows as the queue consumer writes them: `errors` of `count` failed with a 502. */
async function seedUsage(tenantId: string, served: string, count: number, errors: number, at: number, tags: string[] = []) {
  const rows = Array.from({ length: count }, (_, i) => ({
    id: newId("use"), requestId: null, tenantId, apiKeyId: null, userId: null, endpoint: "/v1/chat/completions", modelRequested: "ft:x", modelServed: served, provider: "ft:x",
    latencyMs: 10, status: i < errors ? 502 : 200, errorCode: i < errors ? "upstream_error" : null, tags, createdAt: at,
  }));
  for (const r of rows) await db.insert(usageEvents).values(r);
}

function withQueue() {
  const queue = new RecordingQueue();
  return { queue, env: { ...env, EVENTS_QUEUE: queue } };
}

const Event = z.object({ type: z.string(), data: z.record(z.string(), z.unknown()) });

describe("canaryVerdict", () => {
  const margins = { errorRateMargin: 0.05, qualityMargin: 10 };
  const none = { requests: 0, errors: 0 };
  it("waits for enough challenger traffic, then compares error rates against the margin", () => {
    expect(canaryVerdict(margins, { challenger: { requests: MIN_REQUESTS - 1, errors: MIN_REQUESTS - 1 }, champion: none, challengerScore: null, championScore: null }).rollback).toBe(false);
    expect(canaryVerdict(margins, { challenger: { requests: 20, errors: 1 }, champion: { requests: 100, errors: 1 }, challengerScore: null, championScore: null }).rollback).toBe(false);
    expect(canaryVerdict(margins, { challenger: { requests: 20, errors: 4 }, champion: { requests: 100, errors: 1 }, challengerScore: null, championScore: null })).toMatchObject({ rollback: true, reason: "error_rate" });
  });
  it("compares eval scores against the quality margin", () => {
    expect(canaryVerdict(margins, { challenger: none, champion: none, challengerScore: 71, championScore: 80 }).rollback).toBe(false);
    expect(canaryVerdict(margins, { challenger: none, champion: none, challengerScore: 60, championScore: 80 })).toMatchObject({ rollback: true, reason: "quality" });
  });
});

describe("the canary monitor", () => {
  it("stops a challenger that errs more than the champion, as the system, once, with an event", async () => {
    const t = await createTestTenant("Monitor Motors");
    const { m, v1, v2 } = await canaryModel(t);
    await seedUsage(t.tenantId, `ft:${m.key}@v2`, 12, 6, NOW - 60_000);
    await seedUsage(t.tenantId, `ft:${m.key}@v1`, 30, 0, NOW - 60_000);
    const { queue, env: e } = withQueue();
    const scope = { db, tenantId: t.tenantId };
    expect(await checkCanary(e, scope, await getModel(scope, m.id), NOW)).toMatchObject({ rollback: true, reason: "error_rate" });
    expect(await checkCanary(e, scope, await getModel(scope, m.id), NOW)).toEqual({ rollback: false });
    const after = expectOk(await call("GET", `/models/${m.id}`, { token: t.adminKey }), 200, ModelBody);
    expect(after.canaryPercent).toBe(0);
    expect(after.aliases).toEqual({ champion: v1.id, challenger: v2.id });
    const events = queue.take().map((s) => Event.parse(s.body));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: "model.canary.rolled_back", data: { modelId: m.id, challengerVersionId: v2.id, championVersionId: v1.id, reason: "error_rate", previousPercent: 20 } });
    const audit = (await auditOf(t.tenantId, m.id)).filter((a) => a.action === "model.canary.rolled_back");
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_type: "system", actor_id: "canary-monitor" });
  });

  it("leaves a healthy challenger alone, and ignores old rows and eval traffic", async () => {
    const t = await createTestTenant("Healthy Canary Motors");
    const { m } = await canaryModel(t);
    await seedUsage(t.tenantId, `ft:${m.key}@v2`, 12, 0, NOW - 60_000);
    await seedUsage(t.tenantId, `ft:${m.key}@v2`, 20, 20, NOW - MONITOR_WINDOW_MS - 60_000);
    await seedUsage(t.tenantId, `ft:${m.key}@v2`, 20, 20, NOW - 60_000, ["eval"]);
    const { queue, env: e } = withQueue();
    const scope = { db, tenantId: t.tenantId };
    expect(await checkCanary(e, scope, await getModel(scope, m.id), NOW)).toEqual({ rollback: false });
    expect((await getModel(scope, m.id)).canaryPercent).toBe(20);
    expect(queue.sent).toHaveLength(0);
  });

  it("stops a challenger whose latest eval scores below the champion's minus the quality margin", async () => {
    const t = await createTestTenant("Quality Canary Motors");
    const { m, v1, v2 } = await canaryModel(t);
    const run = (versionId: string, meanScore: number) => ({ id: newId("evr"), tenantId: t.tenantId, modelId: m.id, versionId, batchId: "evb_1", status: "completed" as const, meanScore, scores: [], exampleCount: 1, createdAt: NOW - 1000 });
    await db.insert(evalRuns).values([run(v1.id, 85), run(v2.id, 50)]);
    const { queue, env: e } = withQueue();
    const scope = { db, tenantId: t.tenantId };
    expect(await checkCanary(e, scope, await getModel(scope, m.id), NOW)).toMatchObject({ rollback: true, reason: "quality" });
    expect(Event.parse(queue.take()[0]?.body).data.reason).toBe("quality");
  });

  it("rolls back a challenger the simulator makes fail, from the cron's pass over all tenants", async () => {
    const t = await createTestTenant("Failing Canary Motors");
    const failing = simModel("failing");
    await addScenario({ match: { model: failing }, status: 500 });
    const { m } = await canaryModel(t, failing);
    for (let i = 0; i < MIN_REQUESTS + 2; i++) await chat(t.gatewayKey, `ft:${m.key}@challenger`, `fail-${m.key}-${i}`);
    for (let i = 0; i < 5; i++) await chat(t.gatewayKey, `ft:${m.key}@champion`, `ok-${m.key}-${i}`);
    const rows = await waitForTenantUsage(t.tenantId, MIN_REQUESTS + 7);
    expect(rows.filter((r) => r.model_served === `ft:${m.key}@v2` && r.status >= 500).length).toBeGreaterThanOrEqual(MIN_REQUESTS);
    const { queue, env: e } = withQueue();
    await runCanaryMonitor(e, Date.now());
    expect((await getModel({ db, tenantId: t.tenantId }, m.id)).canaryPercent).toBe(0);
    expect(queue.sent.map((s) => Event.parse(s.body)).filter((ev) => ev.data.modelId === m.id)).toHaveLength(1);
  });
});
