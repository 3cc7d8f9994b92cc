import { describe, expect, it } from "vitest";
import { AppError } from "../../workers/errors";
import { attemptTargets, backoffMs } from "../../workers/gateway/attempts";
import type { RetryPolicy } from "../../workers/gateway/routing";
import { streamCutError } from "../../workers/gateway/health";
import { appErrorFor } from "../../workers/gateway/providers/errors";
import type { PlannedTarget } from "../../workers/gateway/routing/types";

// The routing plan's targets are what the call path hands over.
type Target = PlannedTarget;

const NO_RETRY: RetryPolicy = { attempts: 1, backoff: "constant", delayMs: 0, maxDelayMs: 0, onStatuses: [429, 500, 502, 503, 504], honorRetryAfter: false };
const target = (model: string, retry: Partial<RetryPolicy> = {}): Target => ({ model, retry: { ...NO_RETRY, ...retry }, timeoutMs: 30_000 });

const status = (s: number, retryAfter: string | null = null) => appErrorFor("up", { kind: "status", status: s, message: `status ${s}`, retryAfter });

/** Runs each call's next scripted result: an error to throw or a value to return. */
function script(results: Record<string, (Error | string)[]>) {
  const calls: string[] = [];
  const run = async (t: Target, attempt: number): Promise<string> => {
    calls.push(`${t.model}#${attempt}`);
    const next = results[t.model]?.shift();
    if (next === undefined) throw new Error(`no scripted result for ${t.model}`);
    if (next instanceof Error) throw next;
    return next;
  };
  return { run, calls };
}

function recorder() {
  const slept: number[] = [];
  const failures: [string, string, boolean][] = [];
  return {
    slept,
    failures,
    opts: {
      sleep: async (ms: number) => void slept.push(ms),
      onFailure: (t: Target, err: unknown, retrying: boolean) => void failures.push([t.model, err instanceof AppError ? String(err.status) : "other", retrying]),
      random: () => 0.5,
      now: () => Date.parse("2026-03-01T12:00:00Z"),
    },
  };
}

const caught = (p: Promise<unknown>) => p.then(() => null, (err: unknown) => err);

describe("attemptTargets", () => {
  it("returns the first target's answer without waiting when it succeeds", async () => {
    const { run, calls } = script({ a: ["A"], b: ["B"] });
    const r = recorder();
    const result = await attemptTargets([target("a"), target("b")], run, r.opts);
    expect(result).toMatchObject({ value: "A", attempts: 1, target: { model: "a" } });
    expect(calls).toEqual(["a#1"]);
    expect(r.slept).toEqual([]);
  });

  it("fails over to the next target on 429, 5xx, timeouts, unreachable hosts and cut streams", async () => {
    const errors = [status(429), status(500), status(503), appErrorFor("up", { kind: "timeout" }), appErrorFor("up", { kind: "connection", message: "refused" }), streamCutError("up")];
    for (const err of errors) {
      const { run, calls } = script({ a: [err], b: ["B"] });
      const r = recorder();
      const result = await attemptTargets([target("a"), target("b")], run, r.opts);
      expect(result, err.message).toMatchObject({ value: "B", attempts: 2, target: { model: "b" } });
      expect(calls).toEqual(["a#1", "b#1"]);
      expect(r.failures).toEqual([["a", String(err.status), false]]);
    }
  });

  it("retries a target on listed statuses with exponential backoff, capped", async () => {
    const { run, calls } = script({ a: [status(503), status(503), status(503), "A"] });
    const r = recorder();
    const t = target("a", { attempts: 4, backoff: "exponential", delayMs: 100, maxDelayMs: 300 });
    const result = await attemptTargets([t], run, r.opts);
    expect(result).toMatchObject({ value: "A", attempts: 4 });
    expect(calls).toEqual(["a#1", "a#2", "a#3", "a#4"]);
    // random() = 0.5: 75 % of 100, 200, 400 -> the last capped at 300.
    expect(r.slept).toEqual([75, 150, 300]);
    expect(r.failures.map((f) => f[2])).toEqual([true, true, true]);
  });

  it("waits a constant delay with jitter between retries", () => {
    const retry: RetryPolicy = { ...NO_RETRY, attempts: 3, backoff: "constant", delayMs: 200, maxDelayMs: 10_000 };
    expect(backoffMs(retry, 1, () => 0)).toBe(100);
    expect(backoffMs(retry, 2, () => 0)).toBe(100);
    expect(backoffMs(retry, 1, () => 0.999)).toBe(200);
    expect(backoffMs({ ...retry, backoff: "exponential" }, 3, () => 0)).toBe(400);
  });

  it("does not retry statuses the policy does not list, but still fails over", async () => {
    const { run, calls } = script({ a: [status(500)], b: ["B"] });
    const r = recorder();
    const result = await attemptTargets([target("a", { attempts: 3, delayMs: 10, maxDelayMs: 100, onStatuses: [429] }), target("b")], run, r.opts);
    expect(result.value).toBe("B");
    expect(calls).toEqual(["a#1", "b#1"]);
    expect(r.slept).toEqual([]);
  });

  it("honours Retry-After in seconds and as a date when asked and within maxDelayMs", async () => {
    const { run } = script({ a: [status(429, "2"), status(429, "Sun, 01 Mar 2026 12:00:03 GMT"), "A"] });
    const r = recorder();
    const t = target("a", { attempts: 3, delayMs: 100, maxDelayMs: 5_000, honorRetryAfter: true });
    expect((await attemptTargets([t], run, r.opts)).value).toBe("A");
    expect(r.slept).toEqual([2_000, 3_000]);
  });

  it("ignores Retry-After unless asked", async () => {
    const { run } = script({ a: [status(429, "2"), "A"] });
    const r = recorder();
    await attemptTargets([target("a", { attempts: 2, delayMs: 100, maxDelayMs: 5_000 })], run, r.opts);
    expect(r.slept).toEqual([75]);
  });

  it("moves on instead of waiting when Retry-After asks for longer than maxDelayMs", async () => {
    const { run, calls } = script({ a: [status(429, "60")], b: ["B"] });
    const r = recorder();
    const result = await attemptTargets([target("a", { attempts: 5, delayMs: 100, maxDelayMs: 5_000, honorRetryAfter: true }), target("b")], run, r.opts);
    expect(result.value).toBe("B");
    expect(calls).toEqual(["a#1", "b#1"]);
    expect(r.slept).toEqual([]);
    expect(r.failures).toEqual([["a", "429", false]]);
  });

  it("stops at once on errors another target cannot fix", async () => {
    const stoppers = [status(400), status(404), status(422), appErrorFor("up", { kind: "aborted" }), new AppError("internal_error", "bug"), new TypeError("bug")];
    for (const err of stoppers) {
      const { run, calls } = script({ a: [err], b: ["B"] });
      const r = recorder();
      expect(await caught(attemptTargets([target("a", { attempts: 3, onStatuses: [400, 404, 422, 499, 500] }), target("b")], run, r.opts)), err.message).toBe(err);
      expect(calls).toEqual(["a#1"]);
      expect(r.slept).toEqual([]);
    }
  });

  it("treats 408 and 409 as worth another target", async () => {
    for (const err of [new AppError("bad_request", "request timeout", undefined, 408), new AppError("conflict", "busy")]) {
      const { run } = script({ a: [err], b: ["B"] });
      expect((await attemptTargets([target("a"), target("b")], run, recorder().opts)).value).toBe("B");
    }
  });

  it("throws the last error when every target fails, after trying each as its policy says", async () => {
    const last = status(502);
    const { run, calls } = script({ a: [status(429), status(429)], b: [status(503)], c: [last] });
    const r = recorder();
    const err = await caught(attemptTargets([target("a", { attempts: 2, delayMs: 10, maxDelayMs: 100 }), target("b"), target("c")], run, r.opts));
    expect(err).toBe(last);
    expect(calls).toEqual(["a#1", "a#2", "b#1", "c#1"]);
    expect(r.failures).toEqual([["a", "429", true], ["a", "429", false], ["b", "502", false], ["c", "502", false]]);
  });

  it("answers 503 when there is no target at all", async () => {
    const err = await caught(attemptTargets([], script({}).run, recorder().opts));
    expect(err).toBeInstanceOf(AppError);
    expect(err instanceof AppError && err.status).toBe(503);
  });

  it("treats a nonsensical attempts count as a single try", async () => {
    for (const attempts of [0, -1, Number.NaN]) {
      const { run, calls } = script({ a: [status(503)], b: ["B"] });
      await attemptTargets([target("a", { attempts }), target("b")], run, recorder().opts);
      expect(calls).toEqual(["a#1", "b#1"]);
    }
  });
});
