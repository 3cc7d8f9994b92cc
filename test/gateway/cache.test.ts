import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { cacheDecision, cacheGet, cacheKey, cachePut, type CachedAnswer } from "../../workers/gateway/cache";
import { thrownAppError } from "../helpers/errors";

function headers(h: Record<string, string> = {}): Headers {
  return new Headers(h);
}

describe("cacheDecision", () => {
  it("is off unless a rule or the request opts in", () => {
    expect(cacheDecision(headers(), null)).toEqual({ enabled: false, ttlSeconds: 300 });
    expect(cacheDecision(headers(), { ttlSeconds: 120 })).toEqual({ enabled: true, ttlSeconds: 120 });
    expect(cacheDecision(headers({ "x-auterity-cache": "on" }), null)).toEqual({ enabled: true, ttlSeconds: 300 });
    expect(cacheDecision(headers({ "x-auterity-cache": " ON " }), null).enabled).toBe(true);
  });

  it("lets the request turn a rule's cache off, or set its own TTL", () => {
    expect(cacheDecision(headers({ "x-auterity-cache": "off" }), { ttlSeconds: 120 }).enabled).toBe(false);
    expect(cacheDecision(headers({ "x-auterity-cache": "on", "x-auterity-cache-ttl": "30" }), null)).toEqual({ enabled: true, ttlSeconds: 30 });
    expect(cacheDecision(headers({ "x-auterity-cache-ttl": "30" }), { ttlSeconds: 120 })).toEqual({ enabled: true, ttlSeconds: 30 });
    // A TTL alone does not opt in.
    expect(cacheDecision(headers({ "x-auterity-cache-ttl": "30" }), null).enabled).toBe(false);
  });

  it("keeps a rule's TTL within 1 second and 7 days", () => {
    expect(cacheDecision(headers(), { ttlSeconds: 10 * 24 * 3600 }).ttlSeconds).toBe(7 * 24 * 3600);
    expect(cacheDecision(headers(), { ttlSeconds: 0 }).ttlSeconds).toBe(1);
  });

  it("answers 400 for headers it cannot read, naming the header", () => {
    const bad = thrownAppError(() => cacheDecision(headers({ "x-auterity-cache": "yes" }), null));
    expect([bad.code, bad.status, bad.message]).toEqual(["validation_failed", 400, "x-auterity-cache must be 'on' or 'off'"]);
    for (const ttl of ["abc", "0", "-5", "1.5", "604801"]) {
      const err = thrownAppError(() => cacheDecision(headers({ "x-auterity-cache": "on", "x-auterity-cache-ttl": ttl }), null));
      expect(err.code, ttl).toBe("validation_failed");
      expect(err.message, ttl).toContain("x-auterity-cache-ttl");
    }
  });
});

const chat = {
  model: "gpt-4o-mini",
  temperature: 0,
  messages: [
    { role: "system", content: "You are the BDC assistant." },
    { role: "user", content: "Is the Tahoe in stock?" },
  ],
};

describe("cacheKey", () => {
  it("does not depend on key order, at any depth", async () => {
    const reordered = {
      messages: [
        { content: "You are the BDC assistant.", role: "system" },
        { content: "Is the Tahoe in stock?", role: "user" },
      ],
      temperature: 0,
      model: "gpt-4o-mini",
    };
    expect(await cacheKey("ten_a", "openai-chat", reordered)).toBe(await cacheKey("ten_a", "openai-chat", chat));
  });

  it("ignores stream, stream_options, user and metadata", async () => {
    const base = await cacheKey("ten_a", "openai-chat", chat);
    const delivery = { ...chat, stream: true, stream_options: { include_usage: true }, user: "u-42", metadata: { lead: "7" } };
    expect(await cacheKey("ten_a", "openai-chat", delivery)).toBe(base);
  });

  it("changes with anything that can change the answer", async () => {
    const base = await cacheKey("ten_a", "openai-chat", chat);
    const variants = [
      { ...chat, temperature: 0.7 },
      { ...chat, model: "gpt-4o" },
      { ...chat, messages: [...chat.messages, { role: "user", content: "And the Yukon?" }] },
      { ...chat, messages: [chat.messages[1], chat.messages[0]] },
      { ...chat, tools: [{ type: "function", function: { name: "stock" } }] },
    ];
    const keys = await Promise.all(variants.map((v) => cacheKey("ten_a", "openai-chat", v)));
    expect(new Set([base, ...keys]).size).toBe(variants.length + 1);
  });

  it("separates tenants and wire formats", async () => {
    const a = await cacheKey("ten_a", "openai-chat", chat);
    expect(await cacheKey("ten_b", "openai-chat", chat)).not.toBe(a);
    expect(await cacheKey("ten_a", "openai-responses", chat)).not.toBe(a);
    expect(a).toMatch(/^gw-cache:ten_a:[0-9a-f]{64}$/);
  });
});

const answer: CachedAnswer = {
  body: { id: "chatcmpl-1", object: "chat.completion", model: "gpt-4o-mini", choices: [{ index: 0, message: { role: "assistant", content: "Yes, two." }, finish_reason: "stop" }] },
  provider: "openai",
  model: "gpt-4o-mini",
  storedAt: 1_750_000_000_000,
  usage: { inputTokens: 20, outputTokens: 3, cachedTokens: 0 },
};

describe("cachePut / cacheGet", () => {
  it("round-trips an answer, and misses on a key never stored", async () => {
    const key = await cacheKey("ten_rt", "openai-chat", chat);
    expect(await cacheGet(env.CACHE, key)).toBeNull();
    await cachePut(env.CACHE, key, answer, 300);
    expect(await cacheGet(env.CACHE, key)).toEqual(answer);
  });

  it("honours a TTL shorter than KV's 60-second minimum, and sets KV's own expiry", async () => {
    const key = await cacheKey("ten_ttl", "openai-chat", chat);
    const now = Date.now();
    await cachePut(env.CACHE, key, answer, 5, now);
    expect(await cacheGet(env.CACHE, key, now + 4_000)).toEqual(answer);
    expect(await cacheGet(env.CACHE, key, now + 5_000)).toBeNull();
    const listed = await env.CACHE.list({ prefix: key });
    const expiration = listed.keys[0]?.expiration ?? 0;
    expect(expiration).toBeGreaterThanOrEqual(Math.floor(now / 1000) + 60);
    expect(expiration).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + 61);
  });

  it("keeps a long TTL for as long as asked", async () => {
    const key = await cacheKey("ten_long", "openai-chat", chat);
    const now = Date.now();
    await cachePut(env.CACHE, key, answer, 3600, now);
    expect(await cacheGet(env.CACHE, key, now + 3_599_000)).toEqual(answer);
    expect(await cacheGet(env.CACHE, key, now + 3_600_000)).toBeNull();
  });

  it("never serves one tenant's answer to another", async () => {
    const mine = await cacheKey("ten_mine", "openai-chat", chat);
    await cachePut(env.CACHE, mine, answer, 300);
    expect(await cacheGet(env.CACHE, await cacheKey("ten_theirs", "openai-chat", chat))).toBeNull();
  });

  it("treats an unreadable entry as a miss", async () => {
    const key = await cacheKey("ten_bad", "openai-chat", chat);
    await env.CACHE.put(key, "{not json");
    expect(await cacheGet(env.CACHE, key)).toBeNull();
    await env.CACHE.put(key, JSON.stringify({ v: 1, expiresAt: Date.now() + 60_000, answer: { body: {} } }));
    expect(await cacheGet(env.CACHE, key)).toBeNull();
  });

  it("does not store answers over 1 MiB", async () => {
    const key = await cacheKey("ten_big", "openai-chat", chat);
    await cachePut(env.CACHE, key, { ...answer, body: { text: "x".repeat(1024 * 1024) } }, 300);
    expect(await cacheGet(env.CACHE, key)).toBeNull();
  });
});
