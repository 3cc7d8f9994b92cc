import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { makeDb } from "../../workers/db";
import { priceFor } from "../../workers/gateway/pricing";
import { tenantGatewayConfig } from "../../workers/gateway/tenant-config";
import { createTestTenant, type TestTenant } from "../helpers/fixtures";
import { call, createTestUser, expectError, expectOk, ListOf } from "./helpers";

const db = makeDb(env.DB);
const Alias = z.object({ alias: z.string(), target: z.string(), createdAt: z.number() });
const EffectivePrice = z.object({
  provider: z.string(),
  model: z.string(),
  inputPerMtok: z.number(),
  outputPerMtok: z.number(),
  cachedInputPerMtok: z.number().nullable(),
  source: z.enum(["tenant", "platform"]),
  effectiveFrom: z.number().nullable(),
  inCatalog: z.boolean(),
});
const PriceVersion = z.object({ id: z.string(), inputPerMtok: z.number(), source: z.enum(["tenant", "platform"]), effectiveFrom: z.number(), current: z.boolean() });

async function auditActions(tenantId: string, resourceType: string): Promise<{ action: string; resource_id: string | null; before: string | null; after: string | null }[]> {
  const { results } = await env.DB.prepare("select action, resource_id, before, after from audit_log where tenant_id = ? and resource_type = ? order by id")
    .bind(tenantId, resourceType)
    .all<{ action: string; resource_id: string | null; before: string | null; after: string | null }>();
  return results;
}

let a: TestTenant;
let b: TestTenant;

beforeAll(async () => {
  a = await createTestTenant("Aliased Auto");
  b = await createTestTenant("Bystander Cars");
});

describe("/gateway/aliases", () => {
  it("creates, lists, repoints and deletes an alias, auditing each change", async () => {
    const created = expectOk(await call("PUT", "/gateway/aliases/fast", { token: a.adminKey, body: { target: "anthropic/claude-3-5-haiku-latest" } }), 200, Alias);
    expect(created).toMatchObject({ alias: "fast", target: "anthropic/claude-3-5-haiku-latest" });
    expectOk(await call("PUT", "/gateway/aliases/fast", { token: a.adminKey, body: { target: "openai/gpt-4o-mini" } }), 200, Alias);
    const list = expectOk(await call("GET", "/gateway/aliases", { token: a.adminKey }), 200, ListOf(Alias));
    expect(list.data.map((x) => [x.alias, x.target])).toEqual([["fast", "openai/gpt-4o-mini"]]);
    expectOk(await call("DELETE", "/gateway/aliases/fast", { token: a.adminKey }), 200, Alias);
    expectError(await call("DELETE", "/gateway/aliases/fast", { token: a.adminKey }), 404, "not_found");
    const audit = await auditActions(a.tenantId, "gateway_alias");
    expect(audit.map((x) => x.action)).toEqual(["gateway_alias.created", "gateway_alias.updated", "gateway_alias.deleted"]);
    expect(JSON.parse(audit[1]?.before ?? "null")).toMatchObject({ target: "anthropic/claude-3-5-haiku-latest" });
    expect(JSON.parse(audit[1]?.after ?? "null")).toMatchObject({ target: "openai/gpt-4o-mini" });
  });

  it("is seen by the gateway in this isolate at once", async () => {
    const t = await createTestTenant();
    expect((await tenantGatewayConfig(db, t.tenantId)).aliases.has("smart")).toBe(false);
    await call("PUT", "/gateway/aliases/smart", { token: t.adminKey, body: { target: "openai/gpt-4.1" } });
    expect((await tenantGatewayConfig(db, t.tenantId)).aliases.get("smart")?.target).toBe("openai/gpt-4.1");
    await call("DELETE", "/gateway/aliases/smart", { token: t.adminKey });
    expect((await tenantGatewayConfig(db, t.tenantId)).aliases.has("smart")).toBe(false);
  });

  it("refuses targets that are not provider/model of a provider the tenant has", async () => {
    for (const target of ["gpt-4o-mini", "openai/", "/gpt-4o", "nope/some-model", "openai/has space", "OpenAI/gpt-4o"]) {
      expectError(await call("PUT", "/gateway/aliases/x", { token: a.adminKey, body: { target } }), 400, "validation_failed");
    }
    expectError(await call("PUT", "/gateway/aliases/x", { token: a.adminKey, body: { target: "openai/gpt-4o", extra: 1 } }), 400, "validation_failed");
    expectError(await call("PUT", "/gateway/aliases/x", { token: a.adminKey, body: {} }), 400, "validation_failed");
    expectError(await call("PUT", "/gateway/aliases/x", { token: a.adminKey, raw: "{target:" }), 400, "invalid_json");
    expectError(await call("PUT", "/gateway/aliases/bad%20name", { token: a.adminKey, body: { target: "openai/gpt-4o" } }), 400, "validation_failed");
    expect(expectOk(await call("GET", "/gateway/aliases", { token: a.adminKey }), 200, ListOf(Alias)).data).toEqual([]);
  });

  it("accepts a target on one of the tenant's own providers", async () => {
    const t = await createTestTenant();
    await call("PUT", "/gateway/providers/groq", { token: t.adminKey, body: { kind: "openai-compatible", baseUrl: "https://api.groq.example/openai/v1", apiKey: "gsk_0123456789abcdef" } });
    expectOk(await call("PUT", "/gateway/aliases/llama", { token: t.adminKey, body: { target: "groq/llama-3.3-70b-versatile" } }), 200, Alias);
    // The provider is another tenant's name only: b cannot point at it.
    expectError(await call("PUT", "/gateway/aliases/llama", { token: b.adminKey, body: { target: "groq/llama-3.3-70b-versatile" } }), 400, "validation_failed");
  });

  it("keeps tenants apart and needs gateway permissions", async () => {
    await call("PUT", "/gateway/aliases/mine", { token: a.adminKey, body: { target: "openai/gpt-4o" } });
    expect(expectOk(await call("GET", "/gateway/aliases", { token: b.adminKey }), 200, ListOf(Alias)).data).toEqual([]);
    expectError(await call("DELETE", "/gateway/aliases/mine", { token: b.adminKey }), 404, "not_found");
    const viewer = await createTestUser(a.tenantId, "viewer");
    const member = await createTestUser(a.tenantId, "member");
    expect(expectOk(await call("GET", "/gateway/aliases", { token: viewer.accessToken }), 200, ListOf(Alias)).data).toHaveLength(1);
    expectError(await call("PUT", "/gateway/aliases/v", { token: viewer.accessToken, body: { target: "openai/gpt-4o" } }), 403, "forbidden");
    expectError(await call("DELETE", "/gateway/aliases/mine", { token: member.accessToken }), 403, "forbidden");
    expectError(await call("GET", "/gateway/aliases", { token: a.gatewayKey }), 403, "insufficient_scope");
    expectError(await call("GET", "/gateway/aliases"), 401, "unauthorized");
  });
});

describe("/gateway/prices", () => {
  it("lists every catalog model at its platform price", async () => {
    const t = await createTestTenant();
    const list = expectOk(await call("GET", "/gateway/prices", { token: t.adminKey }), 200, ListOf(EffectivePrice));
    expect(list.data).toHaveLength(12);
    expect(list.data.find((p) => p.model === "gpt-4o-mini")).toEqual({
      provider: "openai", model: "gpt-4o-mini", inputPerMtok: 0.15, outputPerMtok: 0.6, cachedInputPerMtok: 0.075, source: "platform", effectiveFrom: 0, inCatalog: true,
    });
  });

  it("adds tenant versions that take effect at once and keeps the history", async () => {
    const t = await createTestTenant();
    const before = await priceFor(db, t.tenantId, "openai", "gpt-4o"); // warms this isolate's cache
    expect(before.source).toBe("platform");
    const v1 = expectOk(await call("PUT", "/gateway/prices", { token: t.adminKey, body: { provider: "openai", model: "gpt-4o", inputPerMtok: 2, outputPerMtok: 8 } }), 200, PriceVersion);
    expect(v1).toMatchObject({ source: "tenant", current: true, inputPerMtok: 2 });
    expect(await priceFor(db, t.tenantId, "openai", "gpt-4o")).toEqual({ inputPerMtok: 2, outputPerMtok: 8, cachedInputPerMtok: null, source: "tenant" });
    const future = Date.now() + 7 * 86_400_000;
    expectOk(await call("PUT", "/gateway/prices", { token: t.adminKey, body: { provider: "openai", model: "gpt-4o", inputPerMtok: 1.5, outputPerMtok: 6, cachedInputPerMtok: 0.75, effectiveFrom: future } }), 200, PriceVersion);
    const list = expectOk(await call("GET", "/gateway/prices", { token: t.adminKey }), 200, ListOf(EffectivePrice));
    expect(list.data.find((p) => p.model === "gpt-4o")).toMatchObject({ inputPerMtok: 2, source: "tenant" });
    const history = expectOk(await call("GET", "/gateway/prices/history?provider=openai&model=gpt-4o", { token: t.adminKey }), 200, ListOf(PriceVersion));
    expect(history.data.map((v) => [v.inputPerMtok, v.source, v.current])).toEqual([[1.5, "tenant", false], [2, "tenant", true], [2.5, "platform", false]]);
    expect((await auditActions(t.tenantId, "gateway_price")).map((x) => x.action)).toEqual(["gateway_price.created", "gateway_price.created"]);
  });

  it("prices models outside the catalog, such as a tenant's own host", async () => {
    const t = await createTestTenant();
    expectOk(await call("PUT", "/gateway/prices", { token: t.adminKey, body: { provider: "groq", model: "meta-llama/llama-4-scout", inputPerMtok: 0.11, outputPerMtok: 0.34 } }), 200, PriceVersion);
    const list = expectOk(await call("GET", "/gateway/prices", { token: t.adminKey }), 200, ListOf(EffectivePrice));
    expect(list.data.find((p) => p.provider === "groq")).toMatchObject({ model: "meta-llama/llama-4-scout", inCatalog: false, source: "tenant" });
  });

  it("refuses bad prices", async () => {
    const ok = { provider: "openai", model: "gpt-4o", inputPerMtok: 1, outputPerMtok: 1 };
    for (const body of [{ ...ok, inputPerMtok: -1 }, { ...ok, provider: "Open AI" }, { ...ok, outputPerMtok: undefined }, { ...ok, inputPerMtok: "1" }, { ...ok, effectiveFrom: -5 }, { ...ok, currency: "EUR" }]) {
      expectError(await call("PUT", "/gateway/prices", { token: a.adminKey, body }), 400, "validation_failed");
    }
    expectError(await call("GET", "/gateway/prices/history?provider=openai", { token: a.adminKey }), 400, "validation_failed");
  });

  it("keeps one tenant's prices from another", async () => {
    await call("PUT", "/gateway/prices", { token: a.adminKey, body: { provider: "anthropic", model: "claude-opus-4-1", inputPerMtok: 1, outputPerMtok: 1 } });
    const list = expectOk(await call("GET", "/gateway/prices", { token: b.adminKey }), 200, ListOf(EffectivePrice));
    expect(list.data.find((p) => p.model === "claude-opus-4-1")).toMatchObject({ inputPerMtok: 15, source: "platform" });
    const history = expectOk(await call("GET", "/gateway/prices/history?provider=anthropic&model=claude-opus-4-1", { token: b.adminKey }), 200, ListOf(PriceVersion));
    expect(history.data.map((v) => v.source)).toEqual(["platform"]);
    const viewer = await createTestUser(b.tenantId, "viewer");
    expectError(await call("PUT", "/gateway/prices", { token: viewer.accessToken, body: { provider: "openai", model: "gpt-4o", inputPerMtok: 0, outputPerMtok: 0 } }), 403, "forbidden");
  });
});

describe("OpenAPI document", () => {
  it("lists the usage and gateway settings routes, each behind the bearer scheme", async () => {
    const Doc = z.object({ paths: z.record(z.string(), z.record(z.string(), z.object({ security: z.array(z.record(z.string(), z.array(z.string()))).optional() }))) });
    const doc = Doc.parse((await call("GET", "/openapi.json")).body);
    const ours = [
      "get /usage/summary", "get /usage/events",
      "get /gateway/aliases", "get /gateway/aliases/{alias}", "put /gateway/aliases/{alias}", "delete /gateway/aliases/{alias}",
      "get /gateway/providers", "get /gateway/providers/{name}", "put /gateway/providers/{name}", "delete /gateway/providers/{name}",
      "get /gateway/prices", "put /gateway/prices", "get /gateway/prices/history",
    ];
    for (const op of ours) {
      const [method = "", path = ""] = op.split(" ");
      expect(doc.paths[path]?.[method]?.security, op).toEqual([{ bearer: [] }]);
    }
  });
});
