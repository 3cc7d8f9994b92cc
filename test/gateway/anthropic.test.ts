import Anthropic from "@anthropic-ai/sdk";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestKey, createTestTenant, type TestTenant } from "../helpers/fixtures";
import { addScenario, anthropicClient, BASE, marker, upstreamRequests, workerFetch } from "./helpers";

let tenant: TestTenant;
let client: Anthropic;

beforeAll(async () => {
  tenant = await createTestTenant("Messages Motors");
  client = anthropicClient(tenant.gatewayKey);
});

const weatherTool: Anthropic.Tool = {
  name: "get_weather",
  description: "Current weather for a city",
  input_schema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
};

describe("Anthropic Messages through the gateway", () => {
  it("answers a plain message and says who served it", async () => {
    const { data, response } = await client.messages
      .create({ model: "claude-3-5-haiku-latest", max_tokens: 256, messages: [{ role: "user", content: "Can I book a service for Tuesday?" }] })
      .withResponse();
    expect(data.type).toBe("message");
    expect(data.role).toBe("assistant");
    expect(data.stop_reason).toBe("end_turn");
    const first = data.content[0];
    expect(first?.type).toBe("text");
    if (first?.type === "text") expect(first.text.length).toBeGreaterThan(10);
    expect(data.usage.input_tokens).toBeGreaterThan(0);
    expect(response.headers.get("x-auterity-provider")).toBe("anthropic");
    expect(Number(response.headers.get("x-auterity-cost-usd"))).toBeGreaterThan(0);
  });

  it("accepts the key as x-api-key, as the SDK sends it, and passes the system prompt on", async () => {
    const mark = marker();
    await client.messages.create({
      model: "claude-3-5-haiku-latest",
      max_tokens: 128,
      system: [{ type: "text", text: `You are a service advisor ${mark}` }],
      messages: [{ role: "user", content: "When do you open?" }],
    });
    const [sent] = await upstreamRequests(mark);
    expect(sent?.path).toBe("/anthropic/v1/messages");
    expect(sent?.body).toMatchObject({ system: [{ type: "text", text: `You are a service advisor ${mark}` }], max_tokens: 128 });
  });

  it("streams events the SDK's stream helper assembles into a final message", async () => {
    const stream = client.messages.stream({ model: "claude-3-5-haiku-latest", max_tokens: 256, messages: [{ role: "user", content: "Tell me about the Civic" }] });
    let text = "";
    stream.on("text", (delta) => {
      text += delta;
    });
    const final = await stream.finalMessage();
    expect(final.stop_reason).toBe("end_turn");
    expect(text.length).toBeGreaterThan(10);
    expect(final.usage.output_tokens).toBeGreaterThan(0);
  });

  it("returns tool_use blocks, and answers tool results", async () => {
    const first = await client.messages.create({
      model: "claude-3-5-haiku-latest",
      max_tokens: 256,
      tools: [weatherTool],
      messages: [{ role: "user", content: "What's the weather in Boise?" }],
    });
    expect(first.stop_reason).toBe("tool_use");
    const use = first.content.find((b) => b.type === "tool_use");
    if (use?.type !== "tool_use") throw new Error("expected a tool_use block");
    expect(use.name).toBe("get_weather");
    expect(use.input).toHaveProperty("city");
    const second = await client.messages.create({
      model: "claude-3-5-haiku-latest",
      max_tokens: 256,
      tools: [weatherTool],
      messages: [
        { role: "user", content: "What's the weather in Boise?" },
        { role: "assistant", content: first.content },
        { role: "user", content: [{ type: "tool_result", tool_use_id: use.id, content: "Snowing, 28F" }] },
      ],
    });
    expect(second.stop_reason).toBe("end_turn");
    const text = second.content.find((b) => b.type === "text");
    expect(text?.type === "text" ? text.text : "").toContain("Snowing");
  });
});

describe("Anthropic error classes", () => {
  it("raises AuthenticationError for a bad key and PermissionDeniedError without the gateway scope", async () => {
    await expect(anthropicClient(`sk-aut-${"y".repeat(44)}`).messages.create({ model: "claude-3-5-haiku-latest", max_tokens: 10, messages: [{ role: "user", content: "hi" }] })).rejects.toBeInstanceOf(
      Anthropic.AuthenticationError,
    );
    const { key } = await createTestKey(tenant.tenantId, ["admin"]);
    await expect(anthropicClient(key).messages.create({ model: "claude-3-5-haiku-latest", max_tokens: 10, messages: [{ role: "user", content: "hi" }] })).rejects.toBeInstanceOf(
      Anthropic.PermissionDeniedError,
    );
  });

  it("raises NotFoundError for an unknown model", async () => {
    const err = await client.messages.create({ model: "claude-imaginary", max_tokens: 10, messages: [{ role: "user", content: "hi" }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.NotFoundError);
    if (err instanceof Anthropic.NotFoundError) expect(err.type).toBe("not_found_error");
  });

  it("raises BadRequestError without max_tokens, with an empty conversation or a system role in messages", async () => {
    for (const body of [
      { model: "claude-3-5-haiku-latest", messages: [{ role: "user", content: "hi" }] },
      { model: "claude-3-5-haiku-latest", max_tokens: 10, messages: [] },
      { model: "claude-3-5-haiku-latest", max_tokens: 10, messages: [{ role: "system", content: "hi" }] },
    ]) {
      const err = await client.post("/v1/messages", { body }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(Anthropic.BadRequestError);
      if (err instanceof Anthropic.BadRequestError) expect(err.type).toBe("invalid_request_error");
    }
  });

  it("raises RateLimitError when the provider answers 429", async () => {
    const mark = marker();
    await addScenario({ match: { text: mark }, status: 429, retryAfter: 3, times: 1 });
    const err = await client.messages.create({ model: "claude-3-5-haiku-latest", max_tokens: 10, messages: [{ role: "user", content: mark }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.RateLimitError);
    if (err instanceof Anthropic.RateLimitError) expect(err.headers.get("retry-after")).toBe("3");
  });

  it("answers a body over 8 MB with 413 in Anthropic's format", async () => {
    const res = await workerFetch(`${BASE}/v1/messages`, {
      method: "POST",
      headers: { "x-api-key": tenant.gatewayKey, "content-type": "application/json" },
      body: JSON.stringify({ model: "claude-3-5-haiku-latest", max_tokens: 10, messages: [{ role: "user", content: "x".repeat(9 * 1024 * 1024) }] }),
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ type: "error", error: { type: "request_too_large" } });
  });
});
