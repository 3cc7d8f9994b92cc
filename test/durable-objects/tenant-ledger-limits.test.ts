import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { AppError } from "../../workers/errors";
import { admitThrough, settleCall } from "../../workers/gateway/ledger/client";
import { admitted, at, budget, ledgerWith, limit, refused, request, tryAdmit } from "./tenant-ledger-helpers";

const T0 = at("2026-05-05T12:00:00Z");

describe("requests per minute", () => {
  it("a key's limit stops that key; the tenant's limit stops every key together", async () => {
    const tenantId = await ledgerWith({
      rateLimits: [limit({ scope: "tenant", scopeId: "tenant-self", rpm: 5 }), limit({ scope: "key", scopeId: "key_a", rpm: 3 })],
    });
    const first = admitted(await tryAdmit(tenantId, request({ apiKeyId: "key_a", now: T0 })));
    expect(first.headers).toMatchObject({
      "x-ratelimit-limit-requests": "3",
      "x-ratelimit-remaining-requests": "2",
      "x-ratelimit-reset-requests": "20s",
      "ratelimit-limit": "3",
      "ratelimit-remaining": "2",
      "ratelimit-reset": "20",
    });
    admitted(await tryAdmit(tenantId, request({ apiKeyId: "key_a", now: T0 })));
    admitted(await tryAdmit(tenantId, request({ apiKeyId: "key_a", now: T0 })));
    const byKey = refused(await tryAdmit(tenantId, request({ apiKeyId: "key_a", now: T0 })), 429, "rate_limited");
    expect(byKey.headers).toMatchObject({ "retry-after": "20", "x-ratelimit-remaining-requests": "0" });
    expect(byKey.message).toContain("3 requests per minute for this API key");

    // key_b has no limit of its own, but the tenant has 2 of its 5 left.
    admitted(await tryAdmit(tenantId, request({ apiKeyId: "key_b", now: T0 })));
    expect(admitted(await tryAdmit(tenantId, request({ apiKeyId: "key_b", now: T0 }))).headers["x-ratelimit-remaining-requests"]).toBe("0");
    const byTenant = refused(await tryAdmit(tenantId, request({ apiKeyId: "key_b", now: T0 })), 429, "rate_limited");
    expect(byTenant.details).toMatchObject({ scope: "tenant", kind: "requests", limit: 5, retryAfterMs: 12_000 });
    expect(byTenant.headers?.["retry-after"]).toBe("12");
  });

  it("a refused call takes nothing, and the bucket refills with time", async () => {
    const tenantId = await ledgerWith({ rateLimits: [limit({ scope: "key", scopeId: "key_a", rpm: 2 })] });
    admitted(await tryAdmit(tenantId, request({ apiKeyId: "key_a", now: T0 })));
    admitted(await tryAdmit(tenantId, request({ apiKeyId: "key_a", now: T0 })));
    for (let i = 0; i < 5; i++) refused(await tryAdmit(tenantId, request({ apiKeyId: "key_a", now: T0 + 1_000 })), 429, "rate_limited");
    // 2 per minute is one every 30 s, however many refusals came in between.
    admitted(await tryAdmit(tenantId, request({ apiKeyId: "key_a", now: T0 + 30_000 })));
    refused(await tryAdmit(tenantId, request({ apiKeyId: "key_a", now: T0 + 30_000 })), 429, "rate_limited");
  });

  it("150 concurrent calls against 60 rpm: exactly 60 pass", async () => {
    const tenantId = await ledgerWith({ rateLimits: [limit({ scope: "tenant", scopeId: "tenant-self", rpm: 60 })] });
    const results = await Promise.all(Array.from({ length: 150 }, () => tryAdmit(tenantId, request({ now: T0 }))));
    expect(results.filter((r) => !(r instanceof AppError))).toHaveLength(60);
    for (const r of results) if (r instanceof AppError) expect([r.status, r.code, r.headers?.["retry-after"]]).toEqual([429, "rate_limited", "1"]);
  });
});

describe("tokens per minute", () => {
  it("counts the estimate at admission and the real count once the call settles", async () => {
    const tenantId = await ledgerWith({ rateLimits: [limit({ scope: "key", scopeId: "key_a", tpm: 1_000 })] });
    const a = admitted(await tryAdmit(tenantId, request({ apiKeyId: "key_a", estimatedTokens: 600, now: T0 })));
    expect(a.headers).toMatchObject({ "x-ratelimit-limit-tokens": "1000", "x-ratelimit-remaining-tokens": "400", "x-ratelimit-reset-tokens": "36s" });
    const refusedCall = refused(await tryAdmit(tenantId, request({ apiKeyId: "key_a", estimatedTokens: 600, now: T0 })), 429, "rate_limited");
    expect(refusedCall.details).toMatchObject({ kind: "tokens", scope: "key" });
    // It used 100 tokens, not 600: the 500 come back.
    await settleCall(env, tenantId, a.reservationId, { nanoUsd: 0, tokens: 100 });
    expect(admitted(await tryAdmit(tenantId, request({ apiKeyId: "key_a", estimatedTokens: 600, now: T0 }))).headers["x-ratelimit-remaining-tokens"]).toBe("300");
  });

  it("a call that used more than estimated leaves the bucket short", async () => {
    const tenantId = await ledgerWith({ rateLimits: [limit({ scope: "tenant", scopeId: "tenant-self", tpm: 1_000 })] });
    const a = admitted(await tryAdmit(tenantId, request({ estimatedTokens: 100, now: T0 })));
    await settleCall(env, tenantId, a.reservationId, { nanoUsd: 0, tokens: 1_500 });
    const r = refused(await tryAdmit(tenantId, request({ estimatedTokens: 1, now: T0 })), 429, "rate_limited");
    expect(r.headers?.["x-ratelimit-remaining-tokens"]).toBe("0");
    // 500 in debt plus 1 token needed, at 1,000 a minute.
    expect(r.headers?.["retry-after"]).toBe("31");
  });

  it("rate limits are checked before budgets, and a budget refusal takes no rate tokens", async () => {
    const tenantId = await ledgerWith({
      budgets: [budget({ limitNanoUsd: 1_000 })],
      rateLimits: [limit({ scope: "tenant", scopeId: "tenant-self", rpm: 2 })],
    });
    const overBudget = refused(await tryAdmit(tenantId, request({ worstCaseNanoUsd: 5_000, now: T0 })), 402, "budget_exceeded");
    expect(overBudget.headers?.["x-ratelimit-remaining-requests"]).toBe("2");
    admitted(await tryAdmit(tenantId, request({ worstCaseNanoUsd: 10, now: T0 })));
    admitted(await tryAdmit(tenantId, request({ worstCaseNanoUsd: 10, now: T0 })));
    refused(await tryAdmit(tenantId, request({ worstCaseNanoUsd: 10_000, now: T0 })), 429, "rate_limited");
  });
});

describe("when the ledger cannot be reached", () => {
  const down = { admit: () => Promise.reject(new Error("connection reset")) };

  it("calls are refused with 503 by default", async () => {
    const err = await admitThrough(down, async () => false, "ten_x", request()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err instanceof AppError && [err.status, err.code]).toEqual([503, "provider_unavailable"]);
  });

  it("calls go ahead, flagged, when the tenant chose to fail open; settling them is a no-op", async () => {
    const admission = await admitThrough(down, async () => true, "ten_x", request());
    expect(admission).toEqual({ reservationId: "", headers: {}, degradeTo: null, failOpen: true });
    await settleCall(env, "ten_x", admission.reservationId, { nanoUsd: 5, tokens: 5 });
  });

  it("a fail-open setting that cannot be read counts as fail closed", async () => {
    const err = await admitThrough(down, () => Promise.reject(new Error("d1 down")), "ten_x", request()).catch((e: unknown) => e);
    expect(err instanceof AppError && err.status).toBe(503);
  });
});
