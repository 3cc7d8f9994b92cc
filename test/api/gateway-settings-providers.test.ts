import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { makeDb } from "../../workers/db";
import { putProvider } from "../../workers/api/gateway-provider-store";
import { tenantGatewayConfig } from "../../workers/gateway/tenant-config";
import { openSecret } from "../../workers/lib/secret-box";
import { createTestTenant, type TestTenant } from "../helpers/fixtures";
import { call, createTestUser, expectError, expectOk, ListOf } from "./helpers";

const db = makeDb(env.DB);
const Provider = z
  .object({
    name: z.string(),
    kind: z.enum(["openai", "anthropic", "openai-compatible"]),
    baseUrl: z.string().nullable(),
    models: z.array(z.string()),
    hasApiKey: z.boolean(),
    apiKeyLast4: z.string().nullable(),
    createdAt: z.number(),
  })
  .strict();

const GROQ_KEY = "gsk_live_SECRETsecret0123456789wxyz";
const groq = { kind: "openai-compatible", baseUrl: "https://api.groq.example/openai/v1/", apiKey: GROQ_KEY, models: ["llama-3.3-70b-versatile", "llama-3.3-70b-versatile"] };

async function storedRow(tenantId: string, name: string) {
  return env.DB.prepare("select * from provider_credentials where tenant_id = ? and name = ?").bind(tenantId, name).first<{ api_key_enc: string | null; base_url: string | null }>();
}

let a: TestTenant;
let b: TestTenant;

beforeAll(async () => {
  a = await createTestTenant("Keyholder Motors");
  b = await createTestTenant("Nosy Neighbour Cars");
});

describe("/gateway/providers", () => {
  it("stores an OpenAI-compatible host with a sealed key and never returns the key", async () => {
    const put = await call("PUT", "/gateway/providers/groq", { token: a.adminKey, body: groq });
    const saved = expectOk(put, 200, Provider);
    expect(saved).toMatchObject({ name: "groq", kind: "openai-compatible", baseUrl: "https://api.groq.example/openai/v1", models: ["llama-3.3-70b-versatile"], hasApiKey: true, apiKeyLast4: "wxyz" });
    const got = await call("GET", "/gateway/providers/groq", { token: a.adminKey });
    const list = await call("GET", "/gateway/providers", { token: a.adminKey });
    for (const reply of [put, got, list]) expect(JSON.stringify(reply.body)).not.toContain("SECRET");
    expect(expectOk(list, 200, ListOf(Provider)).data.map((p) => p.name)).toEqual(["groq"]);
    const row = await storedRow(a.tenantId, "groq");
    expect(row?.api_key_enc).not.toContain("SECRET");
    expect(await openSecret(env.MASTER_KEY, row?.api_key_enc ?? "")).toBe(GROQ_KEY);
  });

  it("keeps the stored key when an update leaves it out, and audits without secrets", async () => {
    const t = await createTestTenant();
    await call("PUT", "/gateway/providers/groq", { token: t.adminKey, body: groq });
    const updated = expectOk(await call("PUT", "/gateway/providers/groq", { token: t.adminKey, body: { kind: "openai-compatible", baseUrl: "https://api.groq.example/v2", models: ["mixtral"] } }), 200, Provider);
    expect(updated).toMatchObject({ baseUrl: "https://api.groq.example/v2", models: ["mixtral"], hasApiKey: true, apiKeyLast4: "wxyz" });
    expect((await tenantGatewayConfig(db, t.tenantId)).providers.get("groq")?.models).toEqual(["mixtral"]);
    const rotated = expectOk(await call("PUT", "/gateway/providers/groq", { token: t.adminKey, body: { ...groq, apiKey: "gsk_rotated_key_9876" } }), 200, Provider);
    expect(rotated.apiKeyLast4).toBe("9876");
    expectOk(await call("DELETE", "/gateway/providers/groq", { token: t.adminKey }), 200, Provider);
    const { results } = await env.DB.prepare("select action, before, after from audit_log where tenant_id = ? and resource_type = 'gateway_provider' order by id").bind(t.tenantId).all<{ action: string; before: string | null; after: string | null }>();
    expect(results.map((r) => r.action)).toEqual(["gateway_provider.created", "gateway_provider.updated", "gateway_provider.updated", "gateway_provider.deleted"]);
    expect(results.map((r) => JSON.parse(r.after ?? "null")?.keyChanged ?? null)).toEqual([true, false, true, null]);
    expect(JSON.stringify(results)).not.toMatch(/SECRET|rotated_key/);
    expectError(await call("GET", "/gateway/providers/groq", { token: t.adminKey }), 404, "not_found");
    expect((await tenantGatewayConfig(db, t.tenantId)).providers.has("groq")).toBe(false);
  });

  it("takes a tenant's own key for a built-in provider only under a matching kind", async () => {
    const t = await createTestTenant();
    const own = expectOk(await call("PUT", "/gateway/providers/anthropic", { token: t.adminKey, body: { kind: "anthropic", apiKey: "sk-ant-tenant-own-key-1234" } }), 200, Provider);
    expect(own).toMatchObject({ kind: "anthropic", baseUrl: null, hasApiKey: true, apiKeyLast4: "1234" });
    expectError(await call("PUT", "/gateway/providers/openai", { token: t.adminKey, body: { kind: "openai-compatible", baseUrl: "https://x.example/v1", apiKey: "k-12345678" } }), 400, "validation_failed");
    expectError(await call("PUT", "/gateway/providers/openai", { token: t.adminKey, body: { kind: "anthropic", apiKey: "k-12345678" } }), 400, "validation_failed");
    // Without its own key a built-in kind would send the platform's key to the tenant's host.
    expectError(await call("PUT", "/gateway/providers/openai", { token: t.adminKey, body: { kind: "openai", baseUrl: "https://proxy.example/v1" } }), 400, "validation_failed");
    expectError(await call("PUT", "/gateway/providers/anthropic", { token: t.adminKey, body: { kind: "openai", apiKey: "k-12345678" } }), 400, "validation_failed");
  });

  it("validates base URLs: http(s) only, https outside development", async () => {
    const cases: [unknown, string][] = [
      [{ kind: "openai-compatible", apiKey: "k-12345678" }, "missing baseUrl"],
      [{ kind: "openai-compatible", baseUrl: "not a url" }, "not a URL"],
      [{ kind: "openai-compatible", baseUrl: "ftp://files.example/v1" }, "ftp"],
      [{ kind: "openai-compatible", baseUrl: "https://user:pw@host.example/v1" }, "credentials in URL"],
      [{ kind: "openai-compatible", baseUrl: "https://host.example/v1", apiKey: "" }, "empty key"],
      [{ kind: "openai-compatible", baseUrl: "https://host.example/v1", models: ["a b"] }, "model with a space"],
      [{ kind: "azure", baseUrl: "https://host.example/v1" }, "unknown kind"],
      [{ kind: "openai-compatible", baseUrl: "https://host.example/v1", secret: "x" }, "unknown field"],
    ];
    for (const [body, why] of cases) {
      const reply = await call("PUT", "/gateway/providers/broken", { token: a.adminKey, body });
      expect(reply.status, why).toBe(400);
      expectError(reply, 400, "validation_failed");
    }
    expectError(await call("PUT", "/gateway/providers/Bad_Name", { token: a.adminKey, body: groq }), 400, "validation_failed");
    // The test Worker runs with ENVIRONMENT=test, where a local http host is fine.
    const local = expectOk(await call("PUT", "/gateway/providers/vllm", { token: a.adminKey, body: { kind: "openai-compatible", baseUrl: "http://127.0.0.1:8000/v1" } }), 200, Provider);
    expect(local).toMatchObject({ hasApiKey: false, apiKeyLast4: null });
  });

  it("refuses plain http in production", async () => {
    const deps = { scope: { db, tenantId: a.tenantId }, masterKey: env.MASTER_KEY, environment: "production" };
    await expect(putProvider(deps, "plain", { kind: "openai-compatible", baseUrl: "http://llm.internal.example/v1" })).rejects.toMatchObject({ code: "validation_failed" });
    await expect(putProvider(deps, "tls", { kind: "openai-compatible", baseUrl: "https://llm.example/v1" })).resolves.toMatchObject({ after: { baseUrl: "https://llm.example/v1" } });
  });

  it("will not delete a provider that aliases still use", async () => {
    const t = await createTestTenant();
    await call("PUT", "/gateway/providers/groq", { token: t.adminKey, body: groq });
    await call("PUT", "/gateway/aliases/llama", { token: t.adminKey, body: { target: "groq/llama-3.3-70b-versatile" } });
    expectError(await call("DELETE", "/gateway/providers/groq", { token: t.adminKey }), 409, "conflict");
    await call("DELETE", "/gateway/aliases/llama", { token: t.adminKey });
    expectOk(await call("DELETE", "/gateway/providers/groq", { token: t.adminKey }), 200, Provider);
  });

  it("shows another tenant nothing and lets it change nothing", async () => {
    expect(expectOk(await call("GET", "/gateway/providers", { token: b.adminKey }), 200, ListOf(Provider)).data).toEqual([]);
    expectError(await call("GET", "/gateway/providers/groq", { token: b.adminKey }), 404, "not_found");
    expectError(await call("DELETE", "/gateway/providers/groq", { token: b.adminKey }), 404, "not_found");
    // The same name is b's own, separate provider.
    expectOk(await call("PUT", "/gateway/providers/groq", { token: b.adminKey, body: { ...groq, apiKey: "gsk_b_key_0000" } }), 200, Provider);
    expect(expectOk(await call("GET", "/gateway/providers/groq", { token: a.adminKey }), 200, Provider).apiKeyLast4).toBe("wxyz");
  });

  it("lets viewers read and only gateway:write change", async () => {
    const viewer = await createTestUser(a.tenantId, "viewer");
    expectOk(await call("GET", "/gateway/providers/groq", { token: viewer.accessToken }), 200, Provider);
    expectError(await call("PUT", "/gateway/providers/new", { token: viewer.accessToken, body: groq }), 403, "forbidden");
    expectError(await call("DELETE", "/gateway/providers/groq", { token: viewer.accessToken }), 403, "forbidden");
    expectError(await call("GET", "/gateway/providers", { token: a.gatewayKey }), 403, "insufficient_scope");
  });
});
