/**
 * Every answer carries its request id in the x-request-id header, and every error body
 * carries the same id, in the shape its callers read: the platform API's, OpenAI's (also
 * in-stream) and Anthropic's (also in-stream).
 */
import { exports } from "cloudflare:workers";
import OpenAI from "openai";
import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createTestTenant, type TestTenant } from "../helpers/fixtures";
import { addScenario, anthropicClient, BASE, marker, openaiClient } from "../gateway/helpers";

const ApiError = z.object({ error: z.object({ code: z.string(), message: z.string(), requestId: z.string() }) });
const OpenAIError = z.object({ error: z.object({ message: z.string(), type: z.string(), code: z.string().nullable(), request_id: z.string() }) });
const AnthropicError = z.object({ type: z.literal("error"), error: z.object({ type: z.string(), message: z.string() }), request_id: z.string() });

const SANE = "trace-0123456789abcdef";

let tenant: TestTenant;
beforeAll(async () => {
  tenant = await createTestTenant("Request Id Motors");
});

function post(path: string, init: { headers?: Record<string, string>; body?: string } = {}): Promise<Response> {
  return exports.default.fetch(`${BASE}${path}`, { method: "POST", headers: { "content-type": "application/json", ...init.headers }, body: init.body ?? "{}" });
}

/** The SSE data payloads of a stream, parsed. */
async function sseData(res: Response): Promise<{ event: string | null; data: unknown }[]> {
  const text = await res.text();
  return text
    .split("\n\n")
    .filter((frame) => frame.includes("data:"))
    .map((frame) => {
      const event = /^event: (.+)$/m.exec(frame)?.[1] ?? null;
      const data = frame.split("\n").filter((l) => l.startsWith("data:")).map((l) => l.slice(5).trim()).join("\n");
      return { event, data: data === "[DONE]" ? data : (JSON.parse(data) as unknown) };
    });
}

describe("error bodies carry the request id of their x-request-id header", () => {
  it("/api/v1: the platform body's requestId", async () => {
    const res = await exports.default.fetch(`${BASE}/api/v1/tenant`, { headers: { "x-request-id": SANE } });
    expect(res.status).toBe(401);
    expect(res.headers.get("x-request-id")).toBe(SANE);
    expect(ApiError.parse(await res.json()).error.requestId).toBe(SANE);
  });

  it("/v1/chat/completions: OpenAI's error.request_id, before and after authentication", async () => {
    const unauthenticated = await post("/v1/chat/completions", { headers: { "x-request-id": SANE } });
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.headers.get("x-request-id")).toBe(SANE);
    expect(OpenAIError.parse(await unauthenticated.json()).error.request_id).toBe(SANE);

    const invalid = await post("/v1/chat/completions", { headers: { authorization: `Bearer ${tenant.gatewayKey}` }, body: JSON.stringify({ model: "gpt-4o-mini" }) });
    expect(invalid.status).toBe(400);
    const id = invalid.headers.get("x-request-id");
    expect(id).toMatch(/^req_/);
    expect(OpenAIError.parse(await invalid.json()).error.request_id).toBe(id);
  });

  it("/v1/messages: Anthropic's top-level request_id, and its request-id header", async () => {
    const res = await post("/v1/messages", { headers: { "x-request-id": SANE } });
    expect(res.status).toBe(401);
    expect(res.headers.get("x-request-id")).toBe(SANE);
    expect(res.headers.get("request-id")).toBe(SANE);
    expect(AnthropicError.parse(await res.json()).request_id).toBe(SANE);
  });

  it("/hooks/leads/adf: the platform body's requestId", async () => {
    const res = await exports.default.fetch(`${BASE}/hooks/leads/adf`, { method: "POST", headers: { "content-type": "application/xml", "x-request-id": SANE }, body: "<adf/>" });
    expect(res.status).toBe(401);
    expect(res.headers.get("x-request-id")).toBe(SANE);
    expect(res.headers.get("www-authenticate")).toContain("Basic");
    expect(ApiError.parse(await res.json()).error.requestId).toBe(SANE);
  });

  it("/widget: the platform body's requestId", async () => {
    const res = await exports.default.fetch(`${BASE}/widget/config/wgt_doesnotexist`, { headers: { "x-request-id": SANE } });
    expect(res.status).toBe(404);
    expect(res.headers.get("x-request-id")).toBe(SANE);
    expect(ApiError.parse(await res.json()).error.requestId).toBe(SANE);
  });

  it("the SDKs still read the bodies, and see the id both ways", async () => {
    const openaiErr = await openaiClient(tenant.gatewayKey)
      .chat.completions.create({ model: "no-such-model-anywhere", messages: [{ role: "user", content: "hi" }] }, { headers: { "x-request-id": SANE } })
      .catch((e: unknown) => e);
    expect(openaiErr).toBeInstanceOf(OpenAI.NotFoundError);
    if (!(openaiErr instanceof OpenAI.NotFoundError)) return;
    expect(openaiErr.requestID).toBe(SANE);
    expect(openaiErr.error).toMatchObject({ code: "model_not_found", request_id: SANE });

    const anthropicErr = await anthropicClient("sk-aut-not-a-real-key")
      .messages.create({ model: "claude-3-5-haiku-latest", max_tokens: 10, messages: [{ role: "user", content: "hi" }] }, { headers: { "x-request-id": SANE } })
      .catch((e: unknown) => e);
    expect(anthropicErr).toMatchObject({ status: 401, error: { type: "error", request_id: SANE } });
  });
});

describe("the x-request-id header", () => {
  it("echoes a sane caller-supplied id", async () => {
    const res = await exports.default.fetch(`${BASE}/health`, { headers: { "x-request-id": "abc.DEF_123:456-789" } });
    expect(res.headers.get("x-request-id")).toBe("abc.DEF_123:456-789");
  });

  for (const [why, insane] of [
    ["too short", "abc"],
    ["too long", "a".repeat(129)],
    ["spaces", "trace id with spaces"],
    ["markup", "<script>alert(1)</script>"],
    ["a header injection attempt", "trace-1234%0d%0aset-cookie:x"],
  ] as const) {
    it(`replaces an id that is ${why}, in the header and in the body`, async () => {
      const res = await exports.default.fetch(`${BASE}/api/v1/nowhere`, { headers: { "x-request-id": insane } });
      const id = res.headers.get("x-request-id");
      expect(id).toMatch(/^req_[A-Za-z0-9]{20}$/);
      expect(ApiError.parse(await res.json()).error.requestId).toBe(id);
    });
  }

  it("is on a streamed answer", async () => {
    const res = await post("/v1/chat/completions", {
      headers: { authorization: `Bearer ${tenant.gatewayKey}`, "x-request-id": SANE },
      body: JSON.stringify({ model: "gpt-4o-mini", stream: true, messages: [{ role: "user", content: `Hello ${marker()}` }] }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    expect(res.headers.get("x-request-id")).toBe(SANE);
    expect((await sseData(res)).at(-1)?.data).toBe("[DONE]");
  });
});

describe("a stream that dies mid-answer ends with an error event carrying the request id", () => {
  it("for an OpenAI client (error.request_id in the chunk)", async () => {
    const mark = marker();
    await addScenario({ match: { text: mark }, cutAfterChunks: 2, times: 1 });
    const res = await post("/v1/chat/completions", {
      headers: { authorization: `Bearer ${tenant.gatewayKey}`, "x-request-id": `${SANE}-chat` },
      body: JSON.stringify({ model: "gpt-4o-mini", stream: true, messages: [{ role: "user", content: `Write a long note ${mark}` }] }),
    });
    expect(res.headers.get("x-request-id")).toBe(`${SANE}-chat`);
    const last = (await sseData(res)).at(-1);
    expect(OpenAIError.parse(last?.data).error).toMatchObject({ code: "stream_cut", request_id: `${SANE}-chat` });
  });

  it("for an Anthropic client (event: error with a top-level request_id)", async () => {
    const mark = marker();
    await addScenario({ match: { text: mark }, cutAfterChunks: 2, times: 1 });
    const res = await post("/v1/messages", {
      headers: { "x-api-key": tenant.gatewayKey, "x-request-id": `${SANE}-msgs` },
      body: JSON.stringify({ model: "claude-3-5-haiku-latest", max_tokens: 200, stream: true, messages: [{ role: "user", content: `Write a long note ${mark}` }] }),
    });
    expect(res.headers.get("x-request-id")).toBe(`${SANE}-msgs`);
    const last = (await sseData(res)).at(-1);
    expect(last?.event).toBe("error");
    expect(AnthropicError.parse(last?.data).request_id).toBe(`${SANE}-msgs`);
  });
});
