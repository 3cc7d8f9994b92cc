import { describe, expect, it } from "vitest";
import { formatDuration, rateHeaders } from "../../../workers/gateway/ledger/headers";
import { adjust, applicableLimits, checkRates, type RateState, refill, resetMs, waitMs } from "../../../workers/gateway/ledger/rate";

const state = (over: Partial<RateState>): RateState => ({ key: "rpm:tenant:ten_1", kind: "requests", scope: "tenant", limit: 60, bucket: { tokens: 60, updatedAt: 0 }, cost: 1, ...over });

describe("token buckets", () => {
  it("a new bucket is full; it refills at the limit per minute, never past it", () => {
    expect(refill(null, 60, 1_000)).toEqual({ tokens: 60, updatedAt: 1_000 });
    expect(refill({ tokens: 0, updatedAt: 0 }, 60, 10_000).tokens).toBe(10);
    expect(refill({ tokens: 55, updatedAt: 0 }, 60, 60_000).tokens).toBe(60);
  });

  it("a caller whose clock is behind neither refills nor winds the bucket back", () => {
    expect(refill({ tokens: 5, updatedAt: 50_000 }, 60, 40_000)).toEqual({ tokens: 5, updatedAt: 50_000 });
  });

  it("says how long until a cost fits and until the bucket is full", () => {
    expect(waitMs({ tokens: 0.5, updatedAt: 0 }, 60, 1)).toBe(500);
    expect(waitMs({ tokens: 3, updatedAt: 0 }, 60, 1)).toBe(0);
    expect(resetMs({ tokens: 30, updatedAt: 0 }, 60)).toBe(30_000);
  });

  it("a cost larger than the whole bucket waits for a full bucket, then leaves it in debt", () => {
    expect(waitMs({ tokens: 999, updatedAt: 0 }, 1_000, 5_000)).toBe(60);
    expect(waitMs({ tokens: 1_000, updatedAt: 0 }, 1_000, 5_000)).toBe(0);
    const v = checkRates([state({ kind: "tokens", limit: 1_000, bucket: { tokens: 1_000, updatedAt: 0 }, cost: 5_000 })]);
    expect(v.ok && v.states[0]?.bucket.tokens).toBe(-4_000);
  });

  it("corrections give back or take tokens, capped at the limit", () => {
    expect(adjust({ tokens: 900, updatedAt: 7 }, 1_000, 300)).toEqual({ tokens: 1_000, updatedAt: 7 });
    expect(adjust({ tokens: 100, updatedAt: 7 }, 1_000, -300).tokens).toBe(-200);
  });
});

describe("checking several limits", () => {
  it("a refusal by one limit takes nothing from the others and waits for the slowest", () => {
    const tenant = state({ bucket: { tokens: 10, updatedAt: 0 } });
    const key = state({ key: "rpm:key:key_1", scope: "key", limit: 6, bucket: { tokens: 0.5, updatedAt: 0 } });
    const tokens = state({ key: "tpm:tenant:ten_1", kind: "tokens", limit: 600, bucket: { tokens: 100, updatedAt: 0 }, cost: 300 });
    const v = checkRates([tenant, key, tokens]);
    expect(v.ok).toBe(false);
    if (v.ok) return;
    expect(v.denied.key).toBe("tpm:tenant:ten_1");
    expect(v.retryAfterMs).toBe(20_000);
    expect(v.states.map((s) => s.bucket.tokens)).toEqual([10, 0.5, 100]);
  });

  it("an admitted call takes its cost from every limit", () => {
    const v = checkRates([state({}), state({ kind: "tokens", limit: 1_000, bucket: { tokens: 1_000, updatedAt: 0 }, cost: 250 })]);
    expect(v.ok && v.states.map((s) => s.bucket.tokens)).toEqual([59, 750]);
  });

  it("key limits apply only to their own key", () => {
    const limits = [
      { id: "rl_t", scope: "tenant" as const, scopeId: "ten_1", rpm: 10, tpm: null },
      { id: "rl_a", scope: "key" as const, scopeId: "key_a", rpm: 5, tpm: null },
      { id: "rl_b", scope: "key" as const, scopeId: "key_b", rpm: 5, tpm: null },
    ];
    expect(applicableLimits(limits, "key_a").map((l) => l.id)).toEqual(["rl_t", "rl_a"]);
    expect(applicableLimits(limits, null).map((l) => l.id)).toEqual(["rl_t"]);
  });
});

describe("headers", () => {
  it("formats resets the way OpenAI does", () => {
    expect(formatDuration(20)).toBe("20ms");
    expect(formatDuration(1_000)).toBe("1s");
    expect(formatDuration(1_500)).toBe("1.5s");
    expect(formatDuration(360_000)).toBe("6m0s");
    expect(formatDuration(3_723_000)).toBe("1h2m3s");
  });

  it("reports the tightest limit of each kind, with IETF fields from the request limit", () => {
    const h = rateHeaders([
      state({ limit: 100, bucket: { tokens: 40, updatedAt: 0 } }),
      state({ key: "rpm:key:k", scope: "key", limit: 10, bucket: { tokens: 4.7, updatedAt: 0 } }),
      state({ key: "tpm:tenant:t", kind: "tokens", limit: 10_000, bucket: { tokens: 9_000, updatedAt: 0 } }),
    ]);
    expect(h).toEqual({
      "x-ratelimit-limit-requests": "10",
      "x-ratelimit-remaining-requests": "4",
      "x-ratelimit-reset-requests": "31.8s",
      "x-ratelimit-limit-tokens": "10000",
      "x-ratelimit-remaining-tokens": "9000",
      "x-ratelimit-reset-tokens": "6s",
      "ratelimit-limit": "10",
      "ratelimit-remaining": "4",
      "ratelimit-reset": "32",
    });
  });

  it("a bucket in debt reports 0 remaining; no limits, no headers", () => {
    expect(rateHeaders([state({ kind: "tokens", bucket: { tokens: -50, updatedAt: 0 } })])["x-ratelimit-remaining-tokens"]).toBe("0");
    expect(rateHeaders([])).toEqual({});
  });
});
