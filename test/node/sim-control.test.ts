import Anthropic, { InternalServerError as AnthropicServerError, OverloadedError, RateLimitError as AnthropicRateLimit } from "@anthropic-ai/sdk";
import OpenAI, { APIConnectionError, InternalServerError, RateLimitError } from "openai";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startSim, type RunningSim } from "../../sim/server.ts";

let sim: RunningSim;
let openai: OpenAI;
let anthropic: Anthropic;

beforeAll(async () => {
  sim = await startSim({ port: 0 });
  openai = new OpenAI({ apiKey: "sk-secret-value", baseURL: `${sim.url}/openai/v1`, maxRetries: 0 });
  anthropic = new Anthropic({ apiKey: "sk-ant-secret", baseURL: `${sim.url}/anthropic`, maxRetries: 0 });
});
afterEach(() => control("DELETE", "/_sim/scenarios"));
afterAll(() => sim.close());

async function control(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${sim.url}${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, json: await res.json() };
}
const ask = (content: string) => [{ role: "user" as const, content }];
const chat = (model = "gpt-4o", content = "hello") => openai.chat.completions.create({ model, messages: ask(content) });

describe("scenarios", () => {
  it("answers 429 with retry-after in OpenAI's format, for `times` requests only", async () => {
    const added = await control("POST", "/_sim/scenarios", { match: { provider: "openai" }, status: 429, retryAfter: 7, times: 2 });
    expect(added.status).toBe(201);
    expect(added.json).toMatchObject({ id: expect.stringMatching(/^scn_/) });
    const err = await chat().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitError);
    expect(err instanceof RateLimitError && err.headers.get("retry-after")).toBe("7");
    expect(err instanceof RateLimitError && err.code).toBe("rate_limit_exceeded");
    await expect(chat()).rejects.toBeInstanceOf(RateLimitError);
    expect((await chat()).choices[0]?.finish_reason).toBe("stop");
  });

  it("matches on provider, model, path and request text; the first match wins", async () => {
    await control("POST", "/_sim/scenarios", { match: { model: "gpt-4o-mini", path: "/chat/completions" }, status: 500 });
    await control("POST", "/_sim/scenarios", { match: { text: "marker-123" }, status: 503 });
    await control("POST", "/_sim/scenarios", { match: { provider: "anthropic" }, status: 529 });
    await expect(chat("gpt-4o-mini")).rejects.toBeInstanceOf(InternalServerError);
    const unavailable = await chat("gpt-4o", "please marker-123").catch((e: unknown) => e);
    expect(unavailable instanceof InternalServerError && unavailable.status).toBe(503);
    expect((await chat("gpt-4o")).object).toBe("chat.completion");
    const overloaded = await anthropic.messages.create({ model: "claude-opus-4-1", max_tokens: 10, messages: ask("hi") }).catch((e: unknown) => e);
    expect(overloaded).toBeInstanceOf(OverloadedError);
    expect(overloaded).toBeInstanceOf(AnthropicServerError);
    expect(overloaded instanceof OverloadedError && overloaded.error).toEqual({ type: "error", error: { type: "overloaded_error", message: "Overloaded" } });
    const listed = await control("GET", "/_sim/scenarios");
    expect(listed.json).toMatchObject({ data: [{ status: 500 }, { status: 503 }, { status: 529 }] });
  });

  it("sends a scenario's own error body, and takes knobs from x-sim-* headers", async () => {
    await control("POST", "/_sim/scenarios", { match: { provider: "anthropic" }, status: 429, errorBody: { type: "error", error: { type: "rate_limit_error", message: "custom" } } });
    const limited = await anthropic.messages.create({ model: "claude-opus-4-1", max_tokens: 10, messages: ask("hi") }).catch((e: unknown) => e);
    expect(limited instanceof AnthropicRateLimit && limited.message).toContain("custom");
    const direct = await openai.chat.completions.create({ model: "gpt-4o", messages: ask("hi") }, { headers: { "x-sim-status": "500" } }).catch((e: unknown) => e);
    expect(direct).toBeInstanceOf(InternalServerError);
  });

  it("paces streams (latency, TTFT, tokens per second) without changing their content", async () => {
    const plain = await chat("gpt-4o", "paced");
    await control("POST", "/_sim/scenarios", { latencyMs: 5, ttftMs: 5, tokensPerSecond: 5000 });
    const stream = await openai.chat.completions.create({ model: "gpt-4o", messages: ask("paced"), stream: true });
    let text = "";
    for await (const c of stream) text += c.choices[0]?.delta.content ?? "";
    expect(text).toBe(plain.choices[0]?.message.content);
  });

  it("cuts a stream after N chunks: the SDK throws before any finish_reason", async () => {
    await control("POST", "/_sim/scenarios", { cutAfterChunks: 3 });
    const stream = await openai.chat.completions.create({ model: "gpt-4o", messages: ask("cut me"), stream: true });
    const seen: Array<string | null | undefined> = [];
    const err = await (async () => {
      for await (const c of stream) seen.push(c.choices[0]?.finish_reason);
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(seen).toHaveLength(3);
    expect(seen.every((f) => f === null)).toBe(true);
  });

  it("cuts an Anthropic stream: finalMessage rejects", async () => {
    await control("POST", "/_sim/scenarios", { match: { provider: "anthropic" }, cutAfterChunks: 4 });
    const stream = anthropic.messages.stream({ model: "claude-opus-4-1", max_tokens: 100, messages: ask("cut") });
    await expect(stream.finalMessage()).rejects.toBeInstanceOf(Error);
  });

  it("cuts a non-stream answer mid-body: the SDK surfaces fetch's 'terminated'", async () => {
    await control("POST", "/_sim/scenarios", { cutAfterChunks: 0 });
    await expect(chat()).rejects.toThrow("terminated");
  });

  it("hangs a request until the scenarios are reset", async () => {
    await control("POST", "/_sim/scenarios", { hang: true, times: 1 });
    const pending = chat("gpt-4o", "hang-here").catch((e: unknown) => e);
    await expect.poll(async () => (await control("GET", "/_sim/requests?contains=hang-here")).json).toMatchObject({ data: [{ path: "/openai/v1/chat/completions" }] });
    expect((await control("GET", "/_sim/health")).json).toEqual({ ok: true, scenarios: 0 });
    await control("DELETE", "/_sim/scenarios");
    expect(await pending).toBeInstanceOf(APIConnectionError);
  });

  it("rejects malformed scenarios", async () => {
    expect((await control("POST", "/_sim/scenarios", { status: 200 })).status).toBe(400);
    expect((await control("POST", "/_sim/scenarios", { match: { provider: "google" } })).status).toBe(400);
    expect((await control("POST", "/_sim/scenarios", { latencyMs: 5, unknownKnob: true })).status).toBe(400);
    const notJson = await fetch(`${sim.url}/_sim/scenarios`, { method: "POST", body: "{oops" });
    expect(notJson.status).toBe(400);
  });
});

describe("request log", () => {
  it("records what was sent, with credentials redacted, newest last", async () => {
    await control("DELETE", "/_sim/requests");
    await openai.chat.completions.create({ model: "gpt-4o", messages: ask("log me"), stream: true, stream_options: { include_usage: true } });
    await anthropic.messages.create({ model: "claude-opus-4-1", max_tokens: 20, messages: ask("log me too") });
    const { json } = await control("GET", "/_sim/requests?limit=10");
    expect(json).toMatchObject({
      data: [
        { method: "POST", path: "/openai/v1/chat/completions", provider: "openai", body: { stream: true, stream_options: { include_usage: true } } },
        { method: "POST", path: "/anthropic/v1/messages", provider: "anthropic", body: { max_tokens: 20 } },
      ],
    });
    expect(JSON.stringify(json)).not.toContain("secret");
    expect(json).toMatchObject({ data: [{ headers: { authorization: "[redacted]" } }, { headers: { authorization: "[redacted]", "anthropic-version": expect.any(String) } }] });
    expect((await control("GET", "/_sim/requests?limit=1")).json).toMatchObject({ data: [{ provider: "anthropic" }] });
    const headers = { "x-api-key": "sk-ant-secret", "anthropic-version": "2023-06-01" };
    await fetch(`${sim.url}/anthropic/v1/messages/count_tokens`, { method: "POST", headers, body: JSON.stringify({ model: "claude-opus-4-1", messages: ask("raw") }) });
    expect((await control("GET", "/_sim/requests?limit=1")).json).toMatchObject({ data: [{ path: "/anthropic/v1/messages/count_tokens", headers: { "x-api-key": "[redacted]" } }] });
    expect((await control("GET", "/_sim/requests?path=/openai")).json).toMatchObject({ data: [{ provider: "openai" }] });
    expect((await control("GET", "/_sim/requests?limit=0")).status).toBe(400);
    await control("DELETE", "/_sim/requests");
    expect((await control("GET", "/_sim/requests")).json).toEqual({ data: [] });
  });
});
