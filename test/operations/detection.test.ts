/**
 * The detector against real D1: a day of steady usage written into the log, a spike in the
 * current window, runAnomalyDetection run as the cron would, and what the tenant gets
 * (anomaly rows, anomaly.detected / anomaly.resolved events) counted exactly.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { deterministicEventId } from "../../workers/events/publish";
import { runAnomalyDetection } from "../../workers/operations/run-detection";
import { createTestTenant } from "../helpers/fixtures";
import { anomalyRows, DAY, eventsOf, HOUR, MINUTE, recordingEnv, setSensitivity, steady, testClock, insertCalls, uniqueProvider } from "./helpers";

/** A tenant spending $0.01 every 5 minutes (4 calls of $0.0025) from a day before `now` to an hour after. */
async function steadySpender(now: number, name = "Steady Motors") {
  const t = await createTestTenant(name);
  await steady({ tenantId: t.tenantId, from: now - 25 * HOUR, to: now + HOUR, perWindow: 4, costNanoUsd: 2_500_000 });
  return t;
}

/** Extra calls in the minute before `at`. */
function spike(tenantId: string, at: number, calls: number, costNanoUsd: number, extra: { provider?: string; latencyMs?: number; status?: number } = {}) {
  return insertCalls({ tenantId, from: at - MINUTE, to: at - MINUTE + calls, everyMs: 1, costNanoUsd, ...extra });
}

describe("tenant spend", () => {
  it("an injected spike raises exactly one anomaly and one anomaly.detected, however often the detector runs", async () => {
    const now = testClock();
    const t = await steadySpender(now);
    await spike(t.tenantId, now, 2, 50_000_000); // +$0.10 in the current window
    const { env, events } = recordingEnv();

    expect((await runAnomalyDetection(env, now)).raised).toBe(1);
    await runAnomalyDetection(env, now);
    await runAnomalyDetection(env, now + MINUTE);

    const rows = await anomalyRows(t.tenantId);
    expect(rows).toHaveLength(1);
    // Current window: $0.01 steady + $0.10 spike; usual: $0.01; scale: the $0.002 minimum -> (0.11 - 0.01) / 0.002 = 50.
    expect(rows[0]).toMatchObject({ kind: "tenant_spend", subject: "tenant", status: "open", observed: 110_000_000, expected: 10_000_000, score: 50 });
    expect(rows[0]).toMatchObject({ window_start: now - 5 * MINUTE, window_end: now });

    const detected = eventsOf(events, t.tenantId, "anomaly.detected");
    expect(detected).toHaveLength(1);
    expect(detected[0]?.id).toBe(await deterministicEventId(`anomaly.detected:${rows[0]?.id}`));
    expect(detected[0]?.data).toMatchObject({
      anomalyId: rows[0]?.id,
      kind: "tenant_spend",
      subject: "tenant",
      score: 50,
      observed: 110_000_000,
      expected: 10_000_000,
      unit: "nano_usd",
      windowStart: now - 5 * MINUTE,
      windowEnd: now,
      sensitivity: "medium",
      summary: "Spend in the last 5 minutes was $0.1100, against a usual $0.0100.",
    });
  });

  it("steady traffic raises nothing", async () => {
    const now = testClock();
    const t = await steadySpender(now);
    const { env, events } = recordingEnv();
    await runAnomalyDetection(env, now);
    await runAnomalyDetection(env, now + 30 * MINUTE);
    expect(await anomalyRows(t.tenantId)).toEqual([]);
    expect(eventsOf(events, t.tenantId, "anomaly.detected")).toEqual([]);
  });

  it("a tenant with sensitivity off gets nothing, even for a large spike", async () => {
    const now = testClock();
    const t = await steadySpender(now);
    await setSensitivity(t.tenantId, "off");
    await spike(t.tenantId, now, 10, 100_000_000); // +$1
    const { env, events } = recordingEnv();
    await runAnomalyDetection(env, now);
    expect(await anomalyRows(t.tenantId)).toEqual([]);
    expect(eventsOf(events, t.tenantId, "anomaly.detected")).toEqual([]);
  });

  it("a moderate spike is flagged at high but not at low", async () => {
    const now = testClock();
    const low = await steadySpender(now, "Low Motors");
    const high = await steadySpender(now, "High Motors");
    await setSensitivity(low.tenantId, "low");
    await setSensitivity(high.tenantId, "high");
    // +$0.01: $0.02 against a usual $0.01 -> score 5, between high's 3 and low's 8.
    await spike(low.tenantId, now, 1, 10_000_000);
    await spike(high.tenantId, now, 1, 10_000_000);
    const { env, events } = recordingEnv();
    await runAnomalyDetection(env, now);
    expect(await anomalyRows(low.tenantId)).toEqual([]);
    const [row] = await anomalyRows(high.tenantId);
    expect(row).toMatchObject({ kind: "tenant_spend", score: 5, observed: 20_000_000 });
    expect(eventsOf(events, high.tenantId, "anomaly.detected")[0]?.data).toMatchObject({ sensitivity: "high", score: 5 });
  });

  it("resolves after the metric has been back to normal for 10 minutes; a later spike is a new anomaly", async () => {
    const now = testClock();
    const t = await steadySpender(now);
    await spike(t.tenantId, now, 2, 50_000_000);
    const { env, events } = recordingEnv();
    await runAnomalyDetection(env, now);
    const [first] = await anomalyRows(t.tenantId);

    // 6 minutes on the spike has left the window: back under the threshold, but not for long enough.
    await runAnomalyDetection(env, now + 6 * MINUTE);
    expect((await anomalyRows(t.tenantId))[0]).toMatchObject({ status: "open", clear_since: now + 6 * MINUTE });
    await runAnomalyDetection(env, now + 15 * MINUTE);
    expect((await anomalyRows(t.tenantId))[0]?.status).toBe("open");
    await runAnomalyDetection(env, now + 16 * MINUTE);
    expect((await anomalyRows(t.tenantId))[0]).toMatchObject({ id: first?.id, status: "resolved", resolved_at: now + 16 * MINUTE });
    const resolved = eventsOf(events, t.tenantId, "anomaly.resolved");
    expect(resolved).toHaveLength(1);
    expect(resolved[0]?.data).toEqual({ anomalyId: first?.id, kind: "tenant_spend", subject: "tenant", detectedAt: now, resolvedAt: now + 16 * MINUTE });

    await spike(t.tenantId, now + 40 * MINUTE, 2, 50_000_000);
    await runAnomalyDetection(env, now + 40 * MINUTE);
    const rows = await anomalyRows(t.tenantId);
    expect(rows.map((r) => r.status)).toEqual(["resolved", "open"]);
    expect(rows[1]?.id).not.toBe(first?.id);
    expect(eventsOf(events, t.tenantId, "anomaly.detected").map((e) => e.data.anomalyId)).toEqual([first?.id, rows[1]?.id]);
  });

  it("a spike that returns before resolution keeps the same anomaly open", async () => {
    const now = testClock();
    const t = await steadySpender(now);
    await spike(t.tenantId, now, 2, 50_000_000);
    await spike(t.tenantId, now + 10 * MINUTE, 2, 50_000_000);
    const { env } = recordingEnv();
    await runAnomalyDetection(env, now);
    await runAnomalyDetection(env, now + 6 * MINUTE);
    await runAnomalyDetection(env, now + 10 * MINUTE);
    expect((await anomalyRows(t.tenantId))[0]).toMatchObject({ status: "open", clear_since: null });
    await runAnomalyDetection(env, now + 20 * MINUTE);
    expect(await anomalyRows(t.tenantId)).toHaveLength(1);
  });

  it("an anomaly.detected that could not be queued is sent again by a later run, with the same id", async () => {
    const now = testClock();
    const t = await steadySpender(now);
    await spike(t.tenantId, now, 2, 50_000_000);
    const broken = recordingEnv();
    broken.events.send = () => Promise.reject(new Error("queue down"));
    await runAnomalyDetection(broken.env, now);
    const [row] = await anomalyRows(t.tenantId);
    expect(row).toMatchObject({ status: "open", notified_at: null });

    const { env, events } = recordingEnv();
    await runAnomalyDetection(env, now + 30_000);
    expect(eventsOf(events, t.tenantId, "anomaly.detected")).toEqual([]);
    await runAnomalyDetection(env, now + 61_000);
    const sent = eventsOf(events, t.tenantId, "anomaly.detected");
    expect(sent.map((e) => e.id)).toEqual([await deterministicEventId(`anomaly.detected:${row?.id}`)]);
    expect((await anomalyRows(t.tenantId))[0]?.notified_at).toBe(now + 61_000);
    await runAnomalyDetection(env, now + 2 * MINUTE);
    expect(eventsOf(events, t.tenantId, "anomaly.detected")).toHaveLength(1);
  });

  it("an anomaly.resolved that could not be queued is sent again by a later run, with the same id", async () => {
    const now = testClock();
    const t = await steadySpender(now);
    await spike(t.tenantId, now, 2, 50_000_000);
    const { env, events } = recordingEnv();
    await runAnomalyDetection(env, now);
    await runAnomalyDetection(env, now + 6 * MINUTE);
    const broken = recordingEnv();
    broken.events.send = () => Promise.reject(new Error("queue down"));
    await runAnomalyDetection(broken.env, now + 16 * MINUTE);
    const [row] = await anomalyRows(t.tenantId);
    expect(row?.status).toBe("resolved");

    await runAnomalyDetection(env, now + 16 * MINUTE + 30_000);
    expect(eventsOf(events, t.tenantId, "anomaly.resolved")).toEqual([]);
    await runAnomalyDetection(env, now + 17 * MINUTE);
    await runAnomalyDetection(env, now + 18 * MINUTE);
    const sent = eventsOf(events, t.tenantId, "anomaly.resolved");
    expect(sent.map((e) => e.id)).toEqual([await deterministicEventId(`anomaly.resolved:${row?.id}`)]);
    expect(sent[0]?.data).toMatchObject({ anomalyId: row?.id, resolvedAt: now + 16 * MINUTE });
    expect(eventsOf(events, t.tenantId, "anomaly.detected")).toHaveLength(1);
  });

  it("a new tenant with under an hour of history is not judged on its first burst", async () => {
    const now = testClock();
    const t = await createTestTenant("Brand New Motors");
    await steady({ tenantId: t.tenantId, from: now - 30 * MINUTE, to: now, perWindow: 4, costNanoUsd: 2_500_000 });
    await spike(t.tenantId, now, 40, 50_000_000);
    await runAnomalyDetection(recordingEnv().env, now);
    expect(await anomalyRows(t.tenantId)).toEqual([]);
  });
});

describe("tenant volume", () => {
  it("a workflow stuck in a loop (calls far above usual, each cheap) raises tenant_volume", async () => {
    const now = testClock();
    const t = await createTestTenant("Loop Motors");
    await steady({ tenantId: t.tenantId, from: now - 25 * HOUR, to: now, perWindow: 5, costNanoUsd: 1_000 });
    await spike(t.tenantId, now, 200, 1_000);
    const { env, events } = recordingEnv();
    await runAnomalyDetection(env, now);
    const rows = await anomalyRows(t.tenantId);
    // 205 calls against a usual 5; scale: the 2-call minimum -> (205 - 5) / 2 = 100. Spend stays under a cent.
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ kind: "tenant_volume", observed: 205, expected: 5, score: 100 });
    expect(eventsOf(events, t.tenantId, "anomaly.detected")[0]?.data).toMatchObject({ unit: "calls", summary: "205 gateway calls in the last 5 minutes, against a usual 5." });
  });
});

describe("providers", () => {
  it("a latency spike reaches every tenant that called the provider in the window, and only them", async () => {
    const now = testClock();
    const provider = uniqueProvider("lat");
    const [a, b, idle, other] = await Promise.all(["A", "B", "Idle", "Other"].map((n) => createTestTenant(`${n} Latency Motors`)));
    if (!a || !b || !idle || !other) throw new Error("tenants");
    // A and B call the provider all day (6 calls per 5 minutes each, 800 ms); Idle stopped an hour ago.
    for (const t of [a, b]) await steady({ tenantId: t.tenantId, provider, from: now - 25 * HOUR, to: now + HOUR, perWindow: 6, latencyMs: 800 });
    await steady({ tenantId: idle.tenantId, provider, from: now - 25 * HOUR, to: now - HOUR, perWindow: 6, latencyMs: 800 });
    await steady({ tenantId: other.tenantId, provider: uniqueProvider("fine"), from: now - 25 * HOUR, to: now + HOUR, perWindow: 6, latencyMs: 800 });
    // 12 slow calls from A: the window's mean is (12 x 800 + 12 x 5000) / 24 = 2900 ms.
    await spike(a.tenantId, now, 12, 0, { provider, latencyMs: 5_000 });
    const { env, events } = recordingEnv();
    await runAnomalyDetection(env, now);
    await runAnomalyDetection(env, now + MINUTE);

    for (const t of [a, b]) {
      const rows = await anomalyRows(t.tenantId);
      expect(rows).toHaveLength(1);
      // Usual: 800 ms (12 calls per window); scale: the 100 ms minimum -> (2900 - 800) / 100 = 21.
      expect(rows[0]).toMatchObject({ kind: "provider_latency", subject: provider, observed: 2900, expected: 800, score: 21 });
      const sent = eventsOf(events, t.tenantId, "anomaly.detected");
      expect(sent).toHaveLength(1);
      expect(sent[0]?.data).toMatchObject({ kind: "provider_latency", subject: provider, unit: "ms" });
    }
    expect(await anomalyRows(idle.tenantId)).toEqual([]);
    expect(await anomalyRows(other.tenantId)).toEqual([]);
  });

  it("an error-rate spike is raised for the provider's callers, each judged by its own sensitivity", async () => {
    const now = testClock();
    const provider = uniqueProvider("err");
    const [a, b] = await Promise.all([createTestTenant("A Error Motors"), createTestTenant("B Error Motors")]);
    for (const t of [a, b]) await steady({ tenantId: t.tenantId, provider, from: now - 25 * HOUR, to: now + HOUR, perWindow: 5 });
    await setSensitivity(b.tenantId, "low");
    // 8 failures (503) on top of 10 good calls: error rate 8/18; usual 0; scale 0.05 -> score 8.89: medium yes, low (8) yes.
    await spike(a.tenantId, now, 4, 0, { provider, status: 503 });
    await spike(b.tenantId, now, 4, 0, { provider, status: 503 });
    const { env, events } = recordingEnv();
    await runAnomalyDetection(env, now);
    for (const t of [a, b]) {
      const rows = await anomalyRows(t.tenantId);
      expect(rows).toHaveLength(1);
      expect(rows[0]?.kind).toBe("provider_error_rate");
      expect(rows[0]?.observed).toBeCloseTo(8 / 18, 12);
      expect(rows[0]?.score).toBeCloseTo(8 / 18 / 0.05, 9);
      expect(eventsOf(events, t.tenantId, "anomaly.detected")).toHaveLength(1);
    }
  });

  it("cache hits and fewer than 10 calls in the window are not measured", async () => {
    const now = testClock();
    const provider = uniqueProvider("thin");
    const t = await createTestTenant("Thin Motors");
    await steady({ tenantId: t.tenantId, provider, from: now - 25 * HOUR, to: now + HOUR, perWindow: 6, latencyMs: 300 });
    // 3 very slow calls (9 upstream calls in the window) and 10 cache hits that took 0 ms.
    await spike(t.tenantId, now, 3, 0, { provider, latencyMs: 60_000 });
    await insertCalls({ tenantId: t.tenantId, provider, from: now - MINUTE, to: now - MINUTE + 10, everyMs: 1, latencyMs: 0, cacheHit: true });
    await runAnomalyDetection(recordingEnv().env, now);
    expect(await anomalyRows(t.tenantId)).toEqual([]);
  });
});

describe("baseline cache", () => {
  it("reuses a subject's 24-hour statistics for at least 20 minutes, then reads the day again", async () => {
    const now = testClock();
    const t = await steadySpender(now);
    const computedAt = async () => (await env.DB.prepare("select computed_at from anomaly_baselines where key = ?").bind(`tenant:${t.tenantId}`).first<{ computed_at: number }>())?.computed_at;
    const { env: e } = recordingEnv();
    await runAnomalyDetection(e, now);
    expect(await computedAt()).toBe(now);
    await runAnomalyDetection(e, now + 19 * MINUTE);
    expect(await computedAt()).toBe(now);
    await runAnomalyDetection(e, now + 41 * MINUTE);
    expect(await computedAt()).toBe(now + 41 * MINUTE);
  });
});

describe("query plan", () => {
  it("reads the usage log through its (tenant_id, created_at) index, never by scanning it", async () => {
    const { env } = recordingEnv();
    const plan = await env.DB.prepare(
      `explain query plan select u.provider, count(*) from tenants t cross join usage_events u on u.tenant_id = t.id
       where u.created_at >= ?1 and u.created_at < ?2 and u.provider in ('x') group by u.provider`,
    )
      .bind(0, DAY)
      .all<{ detail: string }>();
    const details = plan.results.map((r) => r.detail).join("\n");
    expect(details).toMatch(/SEARCH u USING INDEX usage_tenant_time \(tenant_id=\? AND created_at>\? AND created_at<\?\)/);
    expect(details).not.toMatch(/SCAN u\b/);
  });
});
