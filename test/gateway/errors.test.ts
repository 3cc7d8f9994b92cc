import { env } from "cloudflare:workers";
import OpenAI from "openai";
import { beforeAll, describe, expect, it } from "vitest";
import { revokeApiKey } from "../../workers/auth/api-keys";
import { makeDb } from "../../workers/db";
import { createTestKey, createTestTenant, type TestTenant } from "../helpers/fixtures";
import { addScenario, BASE, marker, openaiClient, workerFetch } from "./helpers";

let tenant: TestTenant;
let client: OpenAI;

beforeAll(async () => {
  tenant = await createTestTenant("Errors Motors");
  client = openaiClient(tenant.gatewayKey);
});

const hello = (text = "Hello") => ({ model: "gpt-4o-mini", messages: [{ role: "user" as const, content: text }] });

describe("authentication and scope errors, as the openai SDK raises them", () => {
  it("raises AuthenticationError without a key", async () => {
    const anonymous = new OpenAI({ apiKey: "unused", baseURL: `${BASE}/v1`, fetch: workerFetch, maxRetries: 0, defaultHeaders: { Authorization: null } });
    await expect(anonymous.chat.completions.create(hello())).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
  });

  it("raises AuthenticationError for a key that does not exist", async () => {
    const wrong = openaiClient(`sk-aut-${"x".repeat(44)}`);
    await expect(wrong.chat.completions.create(hello())).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
  });

  it("raises AuthenticationError for a revoked key", async () => {
    const { key, id } = await createTestKey(tenant.tenantId, ["gateway"]);
    await revokeApiKey({ db: makeDb(env.DB), tenantId: tenant.tenantId }, id);
    await expect(openaiClient(key).chat.completions.create(hello())).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
  });

  it("raises AuthenticationError for an expired key", async () => {
    const { key } = await createTestKey(tenant.tenantId, ["gateway"], { expiresAt: Date.now() - 1_000 });
    const err = await openaiClient(key).chat.completions.create(hello()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(String(err)).toContain("expired");
  });

  it("raises PermissionDeniedError for a key without the gateway scope", async () => {
    const { key } = await createTestKey(tenant.tenantId, ["workflows"]);
    await expect(openaiClient(key).chat.completions.create(hello())).rejects.toBeInstanceOf(OpenAI.PermissionDeniedError);
  });
});

describe("request errors", () => {
  it("raises NotFoundError for an unknown model, saying how to name models", async () => {
    const err = await client.chat.completions.create({ ...hello(), model: "gpt-9-imaginary" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.NotFoundError);
    if (!(err instanceof OpenAI.NotFoundError)) return;
    expect(err.code).toBe("model_not_found");
    expect(err.message).toContain("gpt-9-imaginary");
    expect(err.message).toContain("provider/model");
  });

  it("raises BadRequestError for malformed JSON", async () => {
    const err = await client.post("/chat/completions", { body: '{"model": "gpt-4o-mini", "messages": [', headers: { "content-type": "application/json" } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect(String(err)).toContain("not valid JSON");
  });

  it("raises BadRequestError naming the field for wrong types", async () => {
    const err = await client.post("/chat/completions", { body: { model: 42, messages: [{ role: "user", content: "hi" }] } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    if (err instanceof OpenAI.BadRequestError) expect(err.param).toBe("model");
  });

  it("raises BadRequestError for missing messages and for a role that does not exist", async () => {
    await expect(client.post("/chat/completions", { body: { model: "gpt-4o-mini" } })).rejects.toBeInstanceOf(OpenAI.BadRequestError);
    await expect(client.post("/chat/completions", { body: { model: "gpt-4o-mini", messages: [] } })).rejects.toBeInstanceOf(OpenAI.BadRequestError);
    const badRole = await client.post("/chat/completions", { body: { model: "gpt-4o-mini", messages: [{ role: "robot", content: "hi" }] } }).catch((e: unknown) => e);
    expect(badRole).toBeInstanceOf(OpenAI.BadRequestError);
    if (badRole instanceof OpenAI.BadRequestError) expect(badRole.param).toBe("messages.0.role");
  });

  it("raises BadRequestError for a non-positive max_tokens or a non-boolean stream", async () => {
    await expect(client.chat.completions.create({ ...hello(), max_tokens: 0 })).rejects.toBeInstanceOf(OpenAI.BadRequestError);
    await expect(client.post("/chat/completions", { body: { ...hello(), stream: "yes" } })).rejects.toBeInstanceOf(OpenAI.BadRequestError);
  });

  it("answers 413 in OpenAI's error format for a body over 8 MB", async () => {
    const err = await client.chat.completions.create(hello("x".repeat(9 * 1024 * 1024))).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.APIError);
    if (!(err instanceof OpenAI.APIError)) return;
    expect(err.status).toBe(413);
    expect(err.code).toBe("payload_too_large");
  });
});

describe("upstream errors", () => {
  it("raises RateLimitError with the provider's Retry-After when the provider answers 429", async () => {
    const mark = marker();
    await addScenario({ match: { text: mark }, status: 429, retryAfter: 7, times: 1 });
    const err = await client.chat.completions.create(hello(`busy? ${mark}`)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    if (err instanceof OpenAI.RateLimitError) expect(err.headers.get("retry-after")).toBe("7");
  });

  it("answers 502 when the provider fails with a 5xx", async () => {
    const mark = marker();
    await addScenario({ match: { text: mark }, status: 503, times: 1 });
    const err = await client.chat.completions.create(hello(`down? ${mark}`)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.InternalServerError);
    if (err instanceof OpenAI.InternalServerError) {
      expect(err.status).toBe(502);
      expect(err.code).toBe("upstream_error");
    }
  });

  it("answers 502 naming the provider when the provider rejects the configured credentials", async () => {
    const mark = marker();
    await addScenario({ match: { text: mark }, status: 401, times: 1 });
    const err = await client.chat.completions.create(hello(`key? ${mark}`)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.InternalServerError);
    if (!(err instanceof OpenAI.InternalServerError)) return;
    expect(err.status).toBe(502);
    expect(err.message).toContain("credentials configured for openai");
  });

  it("passes a provider's 400 through with the provider's message", async () => {
    const mark = marker();
    await addScenario({ match: { text: mark }, status: 400, times: 1, errorBody: { error: { message: "context too long for this model", type: "invalid_request_error", param: null, code: null } } });
    const err = await client.chat.completions.create(hello(`long ${mark}`)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect(String(err)).toContain("context too long for this model");
  });
});
