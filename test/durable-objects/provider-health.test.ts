import { env } from "cloudflare:workers";
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { initialHealth, type Outcome } from "../../workers/gateway/health";
import { loadHealth } from "../../workers/gateway/health/store";
import { randomString } from "../../workers/lib/ids";

const fail: Outcome = { ok: false, kind: "server_error", latencyMs: 40 };
const ok: Outcome = { ok: true, latencyMs: 250 };
const times = (n: number, o: Outcome): Outcome[] => Array.from({ length: n }, () => o);

function freshStub() {
  const key = `platform:test/${randomString(10)}`;
  return env.PROVIDER_HEALTH.get(env.PROVIDER_HEALTH.idFromName(key));
}

describe("ProviderHealth", () => {
  it("starts closed with nothing counted", async () => {
    const snap = await freshStub().snapshot();
    expect(snap).toMatchObject({ circuit: "closed", calls: 0, failures: 0, latencyMs: null, lastFailure: null });
  });

  it("opens on a failure ratio, sets an alarm for the cooldown, and the alarm makes it half-open", async () => {
    const stub = freshStub();
    const now = Date.now();
    expect((await stub.record(times(5, ok), now)).circuit).toBe("closed");
    const opened = await stub.record(times(5, fail), now);
    expect(opened).toMatchObject({ circuit: "open", calls: 10, failures: 5, retryAt: now + 30_000 });
    expect(opened.failuresByKind.server_error).toBe(5);
    await runInDurableObject(stub, async (_instance, state) => {
      expect(await state.storage.getAlarm()).toBe(now + 30_000);
    });
    expect(await stub.tryProbe(now + 1_000)).toBe(false);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect((await stub.snapshot()).circuit).toBe("half_open");
  });

  it("lets one probe through when half-open; its success closes the circuit and clears the alarm", async () => {
    const stub = freshStub();
    const now = Date.now();
    await stub.record(times(10, fail), now);
    await runDurableObjectAlarm(stub);
    const probes = await Promise.all([stub.tryProbe(), stub.tryProbe(), stub.tryProbe(), stub.tryProbe()]);
    expect(probes.filter(Boolean)).toHaveLength(1);
    const closed = await stub.record([ok]);
    expect(closed).toMatchObject({ circuit: "closed", calls: 0, failures: 0 });
    await runInDurableObject(stub, async (_instance, state) => {
      expect(await state.storage.getAlarm()).toBeNull();
    });
  });

  it("a failed probe re-opens it with a new alarm", async () => {
    const stub = freshStub();
    await stub.record(times(10, fail));
    await runDurableObjectAlarm(stub);
    expect(await stub.tryProbe()).toBe(true);
    const probeFailedAt = Date.now();
    const reopened = await stub.record([{ ok: false, kind: "timeout", latencyMs: 60_000 }], probeFailedAt);
    expect(reopened).toMatchObject({ circuit: "open", retryAt: probeFailedAt + 30_000, lastFailure: { kind: "timeout", at: probeFailedAt } });
    await runInDurableObject(stub, async (_instance, state) => {
      expect(await state.storage.getAlarm()).toBe(probeFailedAt + 30_000);
    });
  });

  it("an open circuit past its cooldown reads half-open even before the alarm has run", async () => {
    const stub = freshStub();
    // In the future, so the object's real cooldown alarm cannot fire during the test: only the clock passed in moves.
    const then = Date.now() + 10 * 60_000;
    await stub.record(times(10, fail), then);
    expect((await stub.snapshot(then + 29_000)).circuit).toBe("open");
    expect((await stub.snapshot(then + 31_000)).circuit).toBe("half_open");
    expect(await stub.tryProbe(then + 31_000)).toBe(true);
  });

  it("keeps the latency average of successes", async () => {
    const stub = freshStub();
    await stub.record([{ ok: true, latencyMs: 100 }]);
    const snap = await stub.record([{ ok: true, latencyMs: 200 }, { ok: false, kind: "rate_limited", latencyMs: 5 }]);
    expect(snap.latencyMs).toBe(120);
    expect(snap.failuresByKind.rate_limited).toBe(1);
  });

  it("stores its state, so a restarted object resumes where it stopped", async () => {
    const stub = freshStub();
    const now = Date.now();
    await stub.record([ok, ...times(10, fail)], now);
    await runInDurableObject(stub, async (instance, state) => {
      const reloaded = loadHealth(state.storage.sql, initialHealth());
      expect(reloaded).toMatchObject({ circuit: "open", retryAt: now + 30_000, latencyMs: 250, lastFailure: { kind: "server_error", at: now } });
      expect(reloaded.buckets.reduce((n, b) => n + b.calls, 0)).toBe(11);
      expect(await instance.snapshot(now)).toMatchObject({ calls: 11, failures: 10 });
    });
  });

  it("drops buckets that slid out of the window from storage", async () => {
    const stub = freshStub();
    const now = Date.now();
    await stub.record([ok], now - 120_000);
    await stub.record([ok], now);
    await runInDurableObject(stub, async (_instance, state) => {
      expect(loadHealth(state.storage.sql, initialHealth()).buckets.map((b) => b.calls)).toEqual([1]);
    });
  });

  it("refuses malformed outcomes", async () => {
    const stub = freshStub();
    const bad = [{ ok: false, kind: "meteor", latencyMs: 1 }] as unknown as Outcome[];
    const refusal = (p: Promise<unknown>) => p.then(() => null, (err: unknown) => err);
    expect(await refusal(stub.record(bad))).toBeInstanceOf(Error);
    expect(await refusal(stub.record([{ ok: true, latencyMs: -5 }]))).toBeInstanceOf(Error);
    expect((await stub.snapshot()).calls).toBe(0);
  });
});
