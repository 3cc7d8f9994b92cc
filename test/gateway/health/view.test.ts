import { env } from "cloudflare:workers";
import { runDurableObjectAlarm } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { healthView, reportOutcome, tryProbe, VIEW_REFRESH_MS, type Outcome } from "../../../workers/gateway/health";
import { randomString } from "../../../workers/lib/ids";

const fail: Outcome = { ok: false, kind: "server_error", latencyMs: 30 };
const times = (n: number, o: Outcome): Outcome[] => Array.from({ length: n }, () => o);

function freshKey(): string {
  return `platform:test/${randomString(10)}`;
}

function stubOf(key: string) {
  return env.PROVIDER_HEALTH.get(env.PROVIDER_HEALTH.idFromName(key));
}

/** A waitUntil that keeps what it is given, so a test can finish the background work when it chooses. */
function background() {
  const promises: Promise<unknown>[] = [];
  return {
    waitUntil: (p: Promise<unknown>) => void promises.push(p),
    get count() {
      return promises.length;
    },
    async settle() {
      await Promise.all(promises.splice(0));
    },
  };
}

/** A clock the test moves by hand. */
function manualClock(start = Date.now()) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

// A separate isolate-like environment whose health objects cannot be reached.
const unreachable = {
  PROVIDER_HEALTH: {
    idFromName: () => {
      throw new Error("health store unreachable");
    },
  },
} as unknown as Env;

describe("healthView", () => {
  it("answers closed on first sight without waiting, and schedules a single background refresh", async () => {
    const key = freshKey();
    await stubOf(key).record(times(10, fail));
    const bg = background();
    const clock = manualClock();
    const view = healthView(env, bg.waitUntil, clock.now);
    expect(view.circuit(key)).toBe("closed");
    expect(view.circuit(key)).toBe("closed");
    expect(view.latencyMs(key)).toBeNull();
    expect(bg.count).toBe(1);
    await bg.settle();
    expect(view.circuit(key)).toBe("open");
    expect(bg.count).toBe(0);
  });

  it("refreshes a key at most once per interval and serves the copy meanwhile", async () => {
    const key = freshKey();
    const stub = stubOf(key);
    await stub.record([{ ok: true, latencyMs: 80 }, ...times(10, fail)]);
    const bg = background();
    const clock = manualClock();
    const view = healthView(env, bg.waitUntil, clock.now);
    view.circuit(key);
    await bg.settle();
    expect(view.circuit(key)).toBe("open");
    expect(view.latencyMs(key)).toBe(80);

    await runDurableObjectAlarm(stub);
    clock.advance(VIEW_REFRESH_MS - 1);
    expect(view.circuit(key)).toBe("open");
    expect(bg.count).toBe(0);

    clock.advance(1);
    expect(view.circuit(key)).toBe("open");
    expect(view.circuit(key)).toBe("open");
    expect(bg.count).toBe(1);
    await bg.settle();
    expect(view.circuit(key)).toBe("half_open");
  });

  it("shares one copy between views in the same isolate", async () => {
    const key = freshKey();
    await stubOf(key).record(times(10, fail));
    const clock = manualClock();
    const first = background();
    healthView(env, first.waitUntil, clock.now).circuit(key);
    const second = background();
    expect(healthView(env, second.waitUntil, clock.now).circuit(key)).toBe("closed");
    expect(second.count).toBe(0);
    await first.settle();
    expect(healthView(env, second.waitUntil, clock.now).circuit(key)).toBe("open");
  });

  it("keeps reading closed when the health store cannot be reached", async () => {
    const bg = background();
    const view = healthView(unreachable, bg.waitUntil, manualClock().now);
    expect(view.circuit(freshKey())).toBe("closed");
    await bg.settle();
  });
});

describe("reportOutcome", () => {
  it("sends outcomes in the background, batched, and the isolate's view sees the result at once", async () => {
    const key = freshKey();
    const bg = background();
    const clock = manualClock();
    for (const o of times(12, fail)) reportOutcome(env, bg.waitUntil, key, o, clock.now);
    // One send to the health store for all 12, and one flush of the isolate's metrics counters.
    expect(bg.count).toBe(2);
    await bg.settle();
    expect(await stubOf(key).snapshot()).toMatchObject({ circuit: "open", calls: 12, failures: 12 });
    const view = background();
    expect(healthView(env, view.waitUntil, clock.now).circuit(key)).toBe("open");
    expect(view.count).toBe(0);
  });

  it("starts a new batch once the previous one has gone", async () => {
    const key = freshKey();
    const bg = background();
    reportOutcome(env, bg.waitUntil, key, { ok: true, latencyMs: 10 });
    await bg.settle();
    reportOutcome(env, bg.waitUntil, key, { ok: true, latencyMs: 10 });
    expect(bg.count).toBe(2); // the new batch and a metrics flush
    await bg.settle();
    expect((await stubOf(key).snapshot()).calls).toBe(2);
  });

  it("never fails the caller when the health store cannot be reached", async () => {
    const bg = background();
    reportOutcome(unreachable, bg.waitUntil, freshKey(), fail);
    await expect(bg.settle()).resolves.toBeUndefined();
  });
});

describe("tryProbe", () => {
  it("grants the half-open circuit's probe to one caller", async () => {
    const key = freshKey();
    const stub = stubOf(key);
    await stub.record(times(10, fail));
    const clock = manualClock();
    expect(await tryProbe(env, key, clock.now)).toBe(false);
    await runDurableObjectAlarm(stub);
    // A refusal makes this isolate hold off for a moment before it asks again.
    expect(await tryProbe(env, key, clock.now)).toBe(false);
    clock.advance(1_000);
    expect(await tryProbe(env, key, clock.now)).toBe(true);
    expect(await tryProbe(env, key, clock.now)).toBe(false);
    clock.advance(5_000);
    expect(await tryProbe(env, key, clock.now)).toBe(false);
  });

  it("lets the call through when the health store cannot be reached", async () => {
    expect(await tryProbe(unreachable, freshKey())).toBe(true);
  });
});
