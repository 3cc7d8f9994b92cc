import OpenAI from "openai";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestTenant, type TestTenant } from "../helpers/fixtures";
import { addAlias, addProvider, marker, openaiClient, simOpenAIBaseUrl, upstreamRequests } from "./helpers";

let tenant: TestTenant;
let client: OpenAI;

beforeAll(async () => {
  tenant = await createTestTenant("Naming Motors");
  client = openaiClient(tenant.gatewayKey);
  await addProvider(tenant.tenantId, { name: "groq", kind: "openai-compatible", baseUrl: simOpenAIBaseUrl(), apiKey: "gsk-test", models: ["sim-llama-3"] });
  await addProvider(tenant.tenantId, { name: "vllm", kind: "openai-compatible", baseUrl: simOpenAIBaseUrl() });
  await addProvider(tenant.tenantId, { name: "broken", kind: "openai-compatible", models: ["sim-nowhere"] });
  await addAlias(tenant.tenantId, "fast", "anthropic/claude-3-5-haiku-latest");
  await addAlias(tenant.tenantId, "house", "groq/sim-llama-3");
  await addAlias(tenant.tenantId, "dangling", "nowhere/some-model");
});

const ask = (model: string, text = "Any deals on SUVs?") => client.chat.completions.create({ model, messages: [{ role: "user", content: text }] }).withResponse();

describe("model names", () => {
  it("accepts provider/model for the built-in providers", async () => {
    const viaOpenAI = await ask("openai/gpt-4o-mini");
    expect(viaOpenAI.response.headers.get("x-auterity-provider")).toBe("openai");
    expect(viaOpenAI.response.headers.get("x-auterity-model")).toBe("gpt-4o-mini");
    const viaAnthropic = await ask("anthropic/claude-3-5-haiku-latest");
    expect(viaAnthropic.response.headers.get("x-auterity-provider")).toBe("anthropic");
    expect(viaAnthropic.data.choices[0]?.message.content?.length).toBeGreaterThan(5);
  });

  it("resolves a tenant alias to its target", async () => {
    const { data, response } = await ask("fast");
    expect(response.headers.get("x-auterity-provider")).toBe("anthropic");
    expect(response.headers.get("x-auterity-model")).toBe("claude-3-5-haiku-latest");
    expect(data.object).toBe("chat.completion");
  });

  it("serves a tenant's own OpenAI-compatible host by bare name, provider/model and alias", async () => {
    const mark = marker();
    for (const name of ["sim-llama-3", "groq/sim-llama-3", "house"]) {
      const { response } = await ask(name, `Hi ${mark} ${name}`);
      expect(response.headers.get("x-auterity-provider")).toBe("groq");
      expect(response.headers.get("x-auterity-model")).toBe("sim-llama-3");
    }
    const sent = await upstreamRequests(mark);
    expect(sent).toHaveLength(3);
    expect(sent.every((r) => r.path === "/openai/v1/chat/completions")).toBe(true);
  });

  it("serves Responses API callers from an OpenAI-compatible host through chat", async () => {
    const mark = marker();
    const response = await client.responses.create({ model: "groq/sim-llama-3", input: `Hello ${mark}` });
    expect(response.status).toBe("completed");
    expect(response.output_text.length).toBeGreaterThan(5);
    const [sent] = await upstreamRequests(mark);
    expect(sent?.path).toBe("/openai/v1/chat/completions");
  });

  it("answers 404 for an unknown provider prefix and for an alias pointing nowhere", async () => {
    const unknown = await ask("mistral/large").catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(OpenAI.NotFoundError);
    expect(String(unknown)).toContain("groq/…");
    const dangling = await ask("dangling").catch((e: unknown) => e);
    expect(dangling).toBeInstanceOf(OpenAI.NotFoundError);
    expect(String(dangling)).toContain("alias 'dangling'");
  });

  it("answers 503 for an own host that has no base URL", async () => {
    const err = await ask("sim-nowhere").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.InternalServerError);
    if (err instanceof OpenAI.APIError) {
      expect(err.status).toBe(503);
      expect(err.code).toBe("provider_unavailable");
    }
  });
});

describe("GET /v1/models", () => {
  it("lists catalog models, own providers' models (asking a host without a list) and aliases", async () => {
    const ids = new Map<string, string>();
    for await (const m of client.models.list()) ids.set(m.id, m.owned_by);
    expect(ids.get("gpt-4o-mini")).toBe("openai");
    expect(ids.get("claude-3-5-haiku-latest")).toBe("anthropic");
    expect(ids.get("text-embedding-3-small")).toBe("openai");
    expect(ids.get("sim-llama-3")).toBe("groq");
    expect(ids.get("fast")).toBe("anthropic");
    expect(ids.get("house")).toBe("groq");
    // vllm has no model list of its own: the host was asked, and its models are offered by the name that reaches it.
    expect(ids.get("vllm/gpt-4o-mini")).toBe("vllm");
    // An alias that resolves nowhere is not offered.
    expect(ids.has("dangling")).toBe(false);
  });

  it("retrieves a model by name, by provider/model and by alias", async () => {
    expect(await client.models.retrieve("gpt-4o-mini")).toMatchObject({ id: "gpt-4o-mini", object: "model", owned_by: "openai" });
    expect(await client.models.retrieve("anthropic/claude-3-5-haiku-latest")).toMatchObject({ id: "anthropic/claude-3-5-haiku-latest", owned_by: "anthropic" });
    expect(await client.models.retrieve("fast")).toMatchObject({ id: "fast", owned_by: "anthropic" });
    expect(await client.models.retrieve("vllm/gpt-4o")).toMatchObject({ id: "vllm/gpt-4o", owned_by: "vllm" });
  });

  it("raises NotFoundError for a model the tenant cannot use", async () => {
    await expect(client.models.retrieve("gpt-9-imaginary")).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    await expect(client.models.retrieve("openai/not-a-model")).rejects.toBeInstanceOf(OpenAI.NotFoundError);
  });

  it("shows another tenant none of these settings", async () => {
    const other = await createTestTenant("Other Motors");
    const ids: string[] = [];
    for await (const m of openaiClient(other.gatewayKey).models.list()) ids.push(m.id);
    expect(ids).toContain("gpt-4o-mini");
    expect(ids).not.toContain("sim-llama-3");
    expect(ids).not.toContain("fast");
    await expect(openaiClient(other.gatewayKey).chat.completions.create({ model: "fast", messages: [{ role: "user", content: "hi" }] })).rejects.toBeInstanceOf(
      OpenAI.NotFoundError,
    );
  });
});
