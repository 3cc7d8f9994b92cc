import { RateLimitError } from "openai";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createTestKey, createTestTenant } from "../helpers/fixtures";
import { api, createBudget, marker, openaiClient, requestId, upstreamRequests, waitForUsage } from "./helpers";

async function addLimit(adminKey: string, limit: Record<string, unknown>): Promise<void> {
  const res = await api(adminKey, "POST", "/rate-limits", limit);
  expect(res.status).toBe(201);
}

function ask(text: string) {
  return { model: "gpt-4o-mini", max_tokens: 32, messages: [{ role: "user" as const, content: `Is the service bay open late? ${text}` }] };
}

const RATE_HEADERS = [
  "x-ratelimit-limit-requests",
  "x-ratelimit-remaining-requests",
  "x-ratelimit-reset-requests",
  "x-ratelimit-limit-tokens",
  "x-ratelimit-remaining-tokens",
  "x-ratelimit-reset-tokens",
  "ratelimit-limit",
  "ratelimit-remaining",
  "ratelimit-reset",
] as const;

function rateHeadersOf(headers: Headers): Record<string, string | null> {
  return Object.fromEntries(RATE_HEADERS.map((h) => [h, headers.get(h)]));
}

describe("rate limits per key and per tenant", { timeout: 30_000 }, () => {
  it("admit up to a key's RPM with x-ratelimit-* headers, then answer 429 with Retry-After", async () => {
    const tenant = await createTestTenant("Rate Motors");
    const key = await createTestKey(tenant.tenantId, ["gateway"]);
    await addLimit(tenant.adminKey, { scope: "key", apiKeyId: key.id, rpm: 2, tpm: 100_000 });
    const client = openaiClient(key.key);
    const text = marker();

    const first = await client.chat.completions.create(ask(text)).withResponse();
    expect(rateHeadersOf(first.response.headers)).toEqual({
      "x-ratelimit-limit-requests": "2",
      "x-ratelimit-remaining-requests": "1",
      "x-ratelimit-reset-requests": expect.stringMatching(/^\d+(\.\d+)?m?s$/),
      "x-ratelimit-limit-tokens": "100000",
      "x-ratelimit-remaining-tokens": expect.stringMatching(/^\d+$/),
      "x-ratelimit-reset-tokens": expect.stringMatching(/^\d+(\.\d+)?m?s$/),
      "ratelimit-limit": "2",
      "ratelimit-remaining": "1",
      "ratelimit-reset": expect.stringMatching(/^\d+$/),
    });
    expect(Number(first.response.headers.get("x-ratelimit-remaining-tokens"))).toBeLessThan(100_000);
    const second = await client.chat.completions.create(ask(text)).withResponse();
    expect(second.response.headers.get("x-ratelimit-remaining-requests")).toBe("0");

    const rid = requestId();
    const err = await client.chat.completions.create(ask(text), { headers: { "x-request-id": rid } }).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitError);
    if (!(err instanceof RateLimitError)) return;
    expect(err.error).toEqual({
      message: expect.stringContaining("2 requests per minute for this API key"),
      type: "rate_limit_error",
      param: null,
      code: "rate_limited",
      request_id: err.headers.get("x-request-id"),
    });
    expect(Number(err.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(err.headers.get("x-ratelimit-limit-requests")).toBe("2");
    expect(err.headers.get("x-ratelimit-remaining-requests")).toBe("0");
    expect(err.headers.get("ratelimit-remaining")).toBe("0");
    // Refused before any provider was called, and logged as such.
    expect((await upstreamRequests(text)).length).toBe(2);
    expect(await waitForUsage(rid)).toMatchObject({ status: 429, error_code: "rate_limited", cost_nano_usd: 0 });

    // The limit is this key's: the tenant's other key is not held back.
    const other = await openaiClient(tenant.gatewayKey).chat.completions.create(ask(marker())).withResponse();
    expect(other.response.headers.get("x-auterity-provider")).toBe("openai");
    expect(other.response.headers.get("x-ratelimit-limit-requests")).toBeNull();
  });

  it("share a tenant's RPM across its keys", async () => {
    const tenant = await createTestTenant("Rate Motors");
    await addLimit(tenant.adminKey, { scope: "tenant", rpm: 3 });
    const a = openaiClient(tenant.gatewayKey);
    const b = openaiClient((await createTestKey(tenant.tenantId, ["gateway"])).key);
    await a.chat.completions.create(ask(marker()));
    await a.chat.completions.create(ask(marker()));
    const third = await b.chat.completions.create(ask(marker())).withResponse();
    expect(third.response.headers.get("x-ratelimit-remaining-requests")).toBe("0");
    const err = await b.chat.completions.create(ask(marker())).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitError);
    expect(err instanceof RateLimitError && err.message).toContain("3 requests per minute for this tenant");
  });

  it("put the budget's remaining dollars on every admitted response", async () => {
    const tenant = await createTestTenant("Rate Motors");
    await createBudget(tenant.adminKey, { scope: "tenant", limitUsd: 5, window: "month", action: "soft" });
    const { response } = await openaiClient(tenant.gatewayKey).chat.completions.create(ask(marker())).withResponse();
    const remaining = Number(response.headers.get("x-auterity-budget-remaining-usd"));
    // What is left once this call's worst case was reserved.
    expect(remaining).toBeGreaterThan(4.9);
    expect(remaining).toBeLessThan(5);
  });

  it("refuse a limit on another tenant's key, and a limit of nothing", async () => {
    const tenant = await createTestTenant("Rate Motors");
    const stranger = await createTestTenant("Other Motors");
    const strangerKey = await createTestKey(stranger.tenantId, ["gateway"]);
    const codeOf = async (res: Response) => z.object({ error: z.object({ code: z.string() }) }).parse(await res.json()).error.code;
    const foreign = await api(tenant.adminKey, "POST", "/rate-limits", { scope: "key", apiKeyId: strangerKey.id, rpm: 1 });
    expect([foreign.status, await codeOf(foreign)]).toEqual([400, "validation_failed"]);
    const empty = await api(tenant.adminKey, "POST", "/rate-limits", { scope: "tenant" });
    expect([empty.status, await codeOf(empty)]).toEqual([400, "validation_failed"]);
    // Nothing was saved: the stranger's key still calls freely.
    const { response } = await openaiClient(strangerKey.key).chat.completions.create(ask(marker())).withResponse();
    expect(response.headers.get("x-ratelimit-limit-requests")).toBeNull();
  });
});
