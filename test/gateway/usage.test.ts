import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestKey, createTestTenant, type TestTenant } from "../helpers/fixtures";
import { addScenario, anthropicClient, marker, openaiClient, requestId, waitForUsage } from "./helpers";

let tenant: TestTenant;
let keyId: string;
let openai: OpenAI;
let anthropic: Anthropic;

beforeAll(async () => {
  tenant = await createTestTenant("Usage Motors");
  const key = await createTestKey(tenant.tenantId, ["gateway"], { tags: ["team:bdc"] });
  keyId = key.id;
  openai = openaiClient(key.key);
  anthropic = anthropicClient(key.key);
});

const withId = (id: string) => ({ headers: { "x-request-id": id } });

describe("usage rows for every call", () => {
  it("records a plain call: tokens, cost, who served it, the key and its tags", async () => {
    const id = requestId();
    const completion = await openai.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "Price of a tire rotation?" }] }, withId(id));
    const row = await waitForUsage(id);
    expect(row).toMatchObject({
      tenant_id: tenant.tenantId,
      api_key_id: keyId,
      endpoint: "/v1/chat/completions",
      model_requested: "gpt-4o-mini",
      model_served: "gpt-4o-mini",
      provider: "openai",
      status: 200,
      stream: 0,
      error_code: null,
      input_tokens: completion.usage?.prompt_tokens,
      output_tokens: completion.usage?.completion_tokens,
    });
    expect(row.cost_nano_usd).toBeGreaterThan(0);
    expect(JSON.parse(row.tags)).toEqual(["team:bdc"]);
  });

  it("records a streamed call with its tokens and time to first token", async () => {
    const id = requestId();
    const stream = await openai.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "Describe the RAV4" }], stream: true }, withId(id));
    for await (const chunk of stream) void chunk;
    const row = await waitForUsage(id);
    expect(row).toMatchObject({ status: 200, stream: 1, provider: "openai", model_served: "gpt-4o-mini", error_code: null });
    expect(row.input_tokens).toBeGreaterThan(0);
    expect(row.output_tokens).toBeGreaterThan(0);
    expect(row.cost_nano_usd).toBeGreaterThan(0);
    expect(row.ttft_ms).not.toBeNull();
  });

  it("records a cross-format streamed call priced as the model that served it", async () => {
    const id = requestId();
    await anthropic.messages.stream({ model: "gpt-4o-mini", max_tokens: 200, messages: [{ role: "user", content: "Hours on Sunday?" }] }, withId(id)).finalMessage();
    const row = await waitForUsage(id);
    expect(row).toMatchObject({ endpoint: "/v1/messages", provider: "openai", model_served: "gpt-4o-mini", status: 200, stream: 1 });
    expect(row.output_tokens).toBeGreaterThan(0);
    expect(row.cost_nano_usd).toBeGreaterThan(0);
  });

  it("records an embeddings call", async () => {
    const id = requestId();
    await openai.embeddings.create({ model: "text-embedding-3-small", input: "2021 Silverado LT" }, withId(id));
    const row = await waitForUsage(id);
    expect(row).toMatchObject({ endpoint: "/v1/embeddings", provider: "openai", status: 200, output_tokens: 0 });
    expect(row.input_tokens).toBeGreaterThan(0);
  });

  it("records a call for an unknown model as a 404 with nothing served", async () => {
    const id = requestId();
    await expect(openai.chat.completions.create({ model: "nope-1", messages: [{ role: "user", content: "hi" }] }, withId(id))).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    const row = await waitForUsage(id);
    expect(row).toMatchObject({ status: 404, error_code: "model_not_found", model_requested: "nope-1", model_served: null, provider: null, cost_nano_usd: 0 });
  });

  it("records an upstream failure with the status the caller saw", async () => {
    const id = requestId();
    const mark = marker();
    await addScenario({ match: { text: mark }, status: 500, times: 1 });
    await expect(openai.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: mark }] }, withId(id))).rejects.toBeInstanceOf(OpenAI.InternalServerError);
    const row = await waitForUsage(id);
    expect(row).toMatchObject({ status: 502, error_code: "upstream_error", provider: "openai", model_served: "gpt-4o-mini", input_tokens: 0 });
  });

  it("records a stream the provider cut as interrupted", async () => {
    const id = requestId();
    const mark = marker();
    await addScenario({ match: { text: mark }, cutAfterChunks: 3, times: 1 });
    const stream = await openai.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: mark }], stream: true }, withId(id));
    const read = async () => {
      for await (const chunk of stream) void chunk;
    };
    await expect(read()).rejects.toThrow();
    const row = await waitForUsage(id);
    expect(row).toMatchObject({ status: 502, error_code: "stream_interrupted", stream: 1 });
  });

  it("records a client that disconnects mid-stream, with the tokens known by then", async () => {
    const id = requestId();
    const mark = marker();
    // Slow pacing keeps the stream open long after the client has gone.
    await addScenario({ match: { text: mark }, tokensPerSecond: 2, times: 1 });
    const stream = await anthropic.messages.create(
      { model: "claude-3-5-haiku-latest", max_tokens: 500, messages: [{ role: "user", content: `Write a long story ${mark}` }], stream: true },
      withId(id),
    );
    for await (const event of stream) {
      if (event.type === "content_block_delta") break;
    }
    const row = await waitForUsage(id);
    expect(row).toMatchObject({ status: 499, error_code: "client_closed", stream: 1, provider: "anthropic" });
    // Anthropic reports input tokens when the stream starts, so they are known even now.
    expect(row.input_tokens).toBeGreaterThan(0);
    expect(row.cost_nano_usd).toBeGreaterThan(0);
  });

  it("records an OpenAI client that stops reading a stream as closed by the client", async () => {
    const id = requestId();
    const mark = marker();
    await addScenario({ match: { text: mark }, tokensPerSecond: 2, times: 1 });
    const stream = await openai.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: `A long answer please ${mark}` }], stream: true }, withId(id));
    for await (const chunk of stream) {
      if (chunk.choices[0]?.delta.content) break;
    }
    const row = await waitForUsage(id);
    expect(row).toMatchObject({ status: 499, error_code: "client_closed", stream: 1, provider: "openai", model_served: "gpt-4o-mini" });
    expect(row.ttft_ms).not.toBeNull();
  });
});
