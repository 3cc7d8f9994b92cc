/**
 * /api/v1/operations: the sensitivity setting (audited), the anomaly list, one anomaly and
 * its acknowledgement, forecasts, and what each refuses.
 */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { runAnomalyDetection } from "../../workers/operations/run-detection";
import { call, createTestUser, expectError, expectOk } from "../api/helpers";
import { createTestTenant, type TestTenant } from "../helpers/fixtures";
import { DAY, HOUR, insertAnomaly, insertCalls, MINUTE, recordingEnv, steady, testClock, uniqueProvider } from "./helpers";

const Settings = z.object({ sensitivity: z.string(), updatedAt: z.number().nullable() });
const Anomaly = z.object({
  id: z.string(),
  kind: z.string(),
  subject: z.string(),
  status: z.string(),
  sensitivity: z.string(),
  score: z.number(),
  observed: z.number(),
  expected: z.number(),
  unit: z.string(),
  summary: z.string(),
  windowStart: z.number(),
  windowEnd: z.number(),
  detectedAt: z.number(),
  resolvedAt: z.number().nullable(),
  acknowledgedAt: z.number().nullable(),
  acknowledgedBy: z.string().nullable(),
});
const Page = z.object({ data: z.array(Anomaly), nextCursor: z.string().nullable() });
const Audit = z.object({ data: z.array(z.object({ action: z.string(), before: z.unknown(), after: z.unknown() })) });

describe("anomaly settings", () => {
  let t: TestTenant;
  beforeAll(async () => {
    t = await createTestTenant("Settings Motors");
  });

  it("answers medium until a sensitivity is chosen; PUT saves it and is audited", async () => {
    expect(expectOk(await call("GET", "/operations/anomaly-settings", { token: t.adminKey }), 200, Settings)).toEqual({ sensitivity: "medium", updatedAt: null });
    const saved = expectOk(await call("PUT", "/operations/anomaly-settings", { token: t.adminKey, body: { sensitivity: "high" } }), 200, Settings);
    expect(saved.sensitivity).toBe("high");
    expect(expectOk(await call("GET", "/operations/anomaly-settings", { token: t.adminKey }), 200, Settings)).toEqual(saved);
    const audit = expectOk(await call("GET", "/audit?action=anomaly_settings.updated", { token: t.adminKey }), 200, Audit);
    expect(audit.data[0]).toMatchObject({ before: { sensitivity: "medium", updatedAt: null }, after: { sensitivity: "high" } });
  });

  it("refuses an unknown sensitivity, extra fields and a missing body", async () => {
    const bad = await call("PUT", "/operations/anomaly-settings", { token: t.adminKey, body: { sensitivity: "extreme" } });
    expectError(bad, 400, "validation_failed");
    expect(JSON.stringify(bad.body)).toContain("sensitivity");
    expectError(await call("PUT", "/operations/anomaly-settings", { token: t.adminKey, body: { sensitivity: "low", threshold: 2 } }), 400, "validation_failed");
    expectError(await call("PUT", "/operations/anomaly-settings", { token: t.adminKey, body: {} }), 400, "validation_failed");
    expectError(await call("PUT", "/operations/anomaly-settings", { token: t.adminKey, raw: "sensitivity=low", contentType: "text/plain" }), 415, "unsupported_media_type");
  });

  it("viewers read the setting but cannot change it; no credentials, no answer", async () => {
    const viewer = await createTestUser(t.tenantId, "viewer");
    expect((await call("GET", "/operations/anomaly-settings", { token: viewer.accessToken })).status).toBe(200);
    expectError(await call("PUT", "/operations/anomaly-settings", { token: viewer.accessToken, body: { sensitivity: "off" } }), 403, "forbidden");
    expectError(await call("GET", "/operations/anomaly-settings"), 401, "unauthorized");
  });
});

describe("anomalies", () => {
  it("lists what the detector raised, newest first, filtered by status and paged", async () => {
    const now = testClock();
    const t = await createTestTenant("Listed Motors");
    await steady({ tenantId: t.tenantId, from: now - 25 * HOUR, to: now + HOUR, perWindow: 4, costNanoUsd: 2_500_000 });
    await insertCalls({ tenantId: t.tenantId, from: now - MINUTE, to: now - MINUTE + 2, everyMs: 1, costNanoUsd: 50_000_000 });
    await runAnomalyDetection(recordingEnv().env, now);
    const older = await insertAnomaly(t.tenantId, now - DAY, "resolved");
    const oldest = await insertAnomaly(t.tenantId, now - 2 * DAY, "resolved", "tenant_volume");

    const all = expectOk(await call("GET", "/operations/anomalies", { token: t.adminKey }), 200, Page);
    expect(all.data.map((a) => a.id).slice(1)).toEqual([older, oldest]);
    expect(all.data[0]).toMatchObject({ kind: "tenant_spend", subject: "tenant", status: "open", observed: 110_000_000, expected: 10_000_000, score: 50, unit: "nano_usd", detectedAt: now, acknowledgedAt: null });
    expect(all.data[0]?.summary).toBe("Spend in the last 5 minutes was $0.1100, against a usual $0.0100.");

    const open = expectOk(await call("GET", "/operations/anomalies?status=open", { token: t.adminKey }), 200, Page);
    expect(open.data.map((a) => a.status)).toEqual(["open"]);
    const resolved = expectOk(await call("GET", "/operations/anomalies?status=resolved", { token: t.adminKey }), 200, Page);
    expect(resolved.data.map((a) => a.id)).toEqual([older, oldest]);

    const first = expectOk(await call("GET", "/operations/anomalies?limit=2", { token: t.adminKey }), 200, Page);
    expect(first.data).toHaveLength(2);
    const second = expectOk(await call("GET", `/operations/anomalies?limit=2&cursor=${first.nextCursor}`, { token: t.adminKey }), 200, Page);
    expect(second.data.map((a) => a.id)).toEqual([oldest]);
    expect(second.nextCursor).toBeNull();
  });

  it("refuses a bad status, limit or cursor", async () => {
    const t = await createTestTenant("Picky Motors");
    expectError(await call("GET", "/operations/anomalies?status=closed", { token: t.adminKey }), 400, "validation_failed");
    expectError(await call("GET", "/operations/anomalies?limit=0", { token: t.adminKey }), 400, "validation_failed");
    expectError(await call("GET", "/operations/anomalies?limit=201", { token: t.adminKey }), 400, "validation_failed");
    expectError(await call("GET", "/operations/anomalies?cursor=not-ours", { token: t.adminKey }), 400, "validation_failed");
  });

  it("reads one anomaly and acknowledges it once (audited); unknown ids are 404", async () => {
    const t = await createTestTenant("Ack Motors");
    const id = await insertAnomaly(t.tenantId, testClock());
    const member = await createTestUser(t.tenantId, "member");
    expect(expectOk(await call("GET", `/operations/anomalies/${id}`, { token: member.accessToken }), 200, Anomaly).id).toBe(id);
    expectError(await call("POST", `/operations/anomalies/${id}/acknowledge`, { token: member.accessToken }), 403, "forbidden");

    const owner = await createTestUser(t.tenantId, "owner");
    const acked = expectOk(await call("POST", `/operations/anomalies/${id}/acknowledge`, { token: owner.accessToken }), 200, Anomaly);
    expect(acked.acknowledgedBy).toBe(owner.id);
    expect(acked.acknowledgedAt).toEqual(expect.any(Number));
    const again = expectOk(await call("POST", `/operations/anomalies/${id}/acknowledge`, { token: t.adminKey }), 200, Anomaly);
    expect(again).toEqual(acked);
    const audit = expectOk(await call("GET", `/audit?action=anomaly.acknowledged`, { token: t.adminKey }), 200, Audit);
    expect(audit.data).toHaveLength(1);

    expectError(await call("GET", "/operations/anomalies/anom_nothere", { token: t.adminKey }), 404, "not_found");
    expectError(await call("POST", "/operations/anomalies/anom_nothere/acknowledge", { token: t.adminKey }), 404, "not_found");
  });
});

const BudgetForecast = z.object({
  budgetId: z.string(),
  spentNanoUsd: z.number(),
  limitNanoUsd: z.number(),
  windowStart: z.number(),
  windowEnd: z.number(),
  burnRateNanoUsdPerDay: z.number(),
  burnRateUsdPerDay: z.number(),
  projectedNanoUsd: z.number(),
  projectedUsd: z.number(),
  projectedAt: z.number(),
  rateFrom: z.number(),
  runOutAt: z.number().nullable(),
  runOutDate: z.string().nullable(),
  runsOutBeforeWindowEnd: z.boolean(),
});

describe("forecasts through the API", () => {
  it("budgets: every enabled budget's current window, idle ones with no run-out", async () => {
    const t = await createTestTenant("Idle Budget Motors");
    const active = expectOk(await call("POST", "/budgets", { token: t.adminKey, body: { scope: "tenant", limitUsd: 50, window: "month", action: "soft" } }), 201, z.object({ id: z.string() }));
    await call("POST", "/budgets", { token: t.adminKey, body: { scope: "tenant", limitUsd: 5, window: "day", enabled: false } });
    const res = expectOk(await call("GET", "/operations/forecasts/budgets", { token: t.adminKey }), 200, z.object({ asOf: z.number(), data: z.array(BudgetForecast) }));
    expect(res.data.map((b) => b.budgetId)).toEqual([active.id]);
    expect(res.data[0]).toMatchObject({ limitNanoUsd: 50e9, spentNanoUsd: 0, burnRateNanoUsdPerDay: 0, projectedNanoUsd: 0, runOutAt: null, runOutDate: null, runsOutBeforeWindowEnd: false });
    expect(res.data[0]?.projectedAt).toBe(res.data[0]?.windowEnd);
  });

  it("volume: an exact line over 10 days continues the line for the next 3, dated from today (UTC)", async () => {
    const t = await createTestTenant("Volume Motors");
    const provider = uniqueProvider("vol");
    const today = Math.floor(Date.now() / DAY) * DAY;
    for (let i = 0; i < 10; i++) {
      const dayStart = today - (10 - i) * DAY;
      await insertCalls({ tenantId: t.tenantId, provider, from: dayStart + HOUR, to: dayStart + HOUR + 10 + 2 * i, everyMs: 1 });
    }
    const Volume = z.object({
      method: z.string(),
      from: z.number(),
      to: z.number(),
      data: z.array(z.object({ provider: z.string(), method: z.string(), history: z.array(z.object({ date: z.string(), calls: z.number() })), forecast: z.array(z.object({ date: z.string(), calls: z.number(), low: z.number(), high: z.number() })) })),
    });
    const res = expectOk(await call("GET", "/operations/forecasts/volume?days=3&historyDays=10", { token: t.adminKey }), 200, Volume);
    expect(res).toMatchObject({ method: "linear_trend", to: today, from: today - 10 * DAY });
    expect(res.data.map((p) => p.provider)).toEqual([provider]);
    expect(res.data[0]?.history.map((h) => h.calls)).toEqual([10, 12, 14, 16, 18, 20, 22, 24, 26, 28]);
    expect(res.data[0]?.history[9]?.date).toBe(new Date(today - DAY).toISOString().slice(0, 10));
    const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    expect(res.data[0]?.forecast).toEqual([
      { date: iso(today), calls: 30, low: 30, high: 30 },
      { date: iso(today + DAY), calls: 32, low: 32, high: 32 },
      { date: iso(today + 2 * DAY), calls: 34, low: 34, high: 34 },
    ]);

    const defaults = expectOk(await call("GET", "/operations/forecasts/volume", { token: t.adminKey }), 200, Volume);
    expect(defaults.method).toBe("linear_trend_weekday");
    expect(defaults.data[0]?.history).toHaveLength(28);
    expect(defaults.data[0]?.forecast).toHaveLength(7);
  });

  it("volume: refuses days and historyDays out of range or not whole numbers", async () => {
    const t = await createTestTenant("Bad Params Motors");
    for (const q of ["days=0", "days=61", "days=abc", "days=1.5", "historyDays=6", "historyDays=181", "historyDays="]) {
      const reply = await call("GET", `/operations/forecasts/volume?${q}`, { token: t.adminKey });
      expectError(reply, 400, "validation_failed");
      expect(JSON.stringify(reply.body)).toContain(q.split("=")[0] ?? "");
    }
  });
});
