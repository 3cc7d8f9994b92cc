/**
 * /webhooks/endpoints: create (secret shown once), read, change, rotate, delete, who may
 * do it, and URLs refused with a clear 400 — in production, every non-public target.
 */
import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { app } from "../../workers/app";
import { makeDb } from "../../workers/db";
import { AppError } from "../../workers/errors";
import { createEndpoint as createEndpointFn } from "../../workers/webhooks/endpoints";
import { STRICT_POLICY } from "../../workers/webhooks/url-policy";
import { API, call, createTestUser, expectError, expectOk, ListOf } from "../api/helpers";
import { createTestKey, createTestTenant, type TestTenant } from "../helpers/fixtures";
import { EndpointBody, partnerUrl, WithSecret } from "./helpers";

let tenant: TestTenant;
beforeAll(async () => {
  tenant = await createTestTenant("Endpoint Motors");
});

const create = (body: unknown, token = tenant.adminKey) => call("POST", "/webhooks/endpoints", { token, body });

/** Calls the API as a Worker deployed with ENVIRONMENT = production. */
async function asProduction(method: string, path: string, body: unknown) {
  const req = new Request(`${API}${path}`, { method, headers: { authorization: `Bearer ${tenant.adminKey}`, "content-type": "application/json" }, body: JSON.stringify(body) });
  const res = await app.fetch(req, { ...env, ENVIRONMENT: "production" }, createExecutionContext());
  return { status: res.status, body: await res.json<unknown>(), res };
}

describe("endpoints", () => {
  it("shows the whsec_ secret on creation only", async () => {
    const ep = expectOk(await create({ url: partnerUrl("a"), description: "CRM", eventTypes: ["lead.created"] }), 201, WithSecret);
    expect(ep).toMatchObject({ status: "enabled", eventTypes: ["lead.created"], disabledReason: null });
    expect(ep.secret).toMatch(/^whsec_/);
    for (const path of [`/webhooks/endpoints/${ep.id}`, "/webhooks/endpoints", `/audit?resourceId=${ep.id}`]) {
      const body = JSON.stringify((await call("GET", path, { token: tenant.adminKey })).body);
      expect(body, path).toContain(ep.id);
      expect(body, path).not.toContain("whsec_");
      expect(body, path).not.toContain("secretEnc");
    }
    const { results } = await env.DB.prepare("select secret_enc from webhook_endpoints where id = ?").bind(ep.id).all<{ secret_enc: string }>();
    expect(results[0]!.secret_enc).toMatch(/^v1\./);
    expect(results[0]!.secret_enc).not.toContain(ep.secret.slice(6));
  });

  it("changes url, filter and description, disables and re-enables", async () => {
    const ep = expectOk(await create({ url: partnerUrl("b") }), 201, WithSecret);
    expect(ep.eventTypes).toBeNull();
    const patched = expectOk(await call("PATCH", `/webhooks/endpoints/${ep.id}`, { token: tenant.adminKey, body: { url: partnerUrl("b2"), eventTypes: ["budget.threshold"], description: "Budgets" } }), 200, EndpointBody);
    expect(patched).toMatchObject({ url: partnerUrl("b2"), eventTypes: ["budget.threshold"] });
    const off = expectOk(await call("PATCH", `/webhooks/endpoints/${ep.id}`, { token: tenant.adminKey, body: { enabled: false } }), 200, EndpointBody);
    expect(off).toMatchObject({ status: "disabled", disabledReason: "manual" });
    const on = expectOk(await call("PATCH", `/webhooks/endpoints/${ep.id}`, { token: tenant.adminKey, body: { enabled: true } }), 200, EndpointBody);
    expect(on).toMatchObject({ status: "enabled", disabledReason: null, failingSince: null });
    const list = expectOk(await call("GET", "/webhooks/endpoints", { token: tenant.adminKey }), 200, ListOf(EndpointBody));
    expect(list.data.find((e) => e.id === ep.id)?.url).toBe(partnerUrl("b2"));
  });

  it("rotates the secret with a grace period, within limits", async () => {
    const ep = expectOk(await create({ url: partnerUrl("c") }), 201, WithSecret);
    const rotated = expectOk(await call("POST", `/webhooks/endpoints/${ep.id}/rotate-secret`, { token: tenant.adminKey, body: {} }), 200, WithSecret);
    expect(rotated.secret).not.toBe(ep.secret);
    expect(rotated.previousSecretExpiresAt! - Date.now()).toBeGreaterThan(23 * 3600 * 1000);
    expectError(await call("POST", `/webhooks/endpoints/${ep.id}/rotate-secret`, { token: tenant.adminKey, body: { graceSeconds: 30 * 24 * 3600 } }), 400, "validation_failed");
    expectError(await call("POST", `/webhooks/endpoints/${ep.id}/rotate-secret`, { token: tenant.adminKey, body: { graceSeconds: -1 } }), 400, "validation_failed");
  });

  it("deletes an endpoint", async () => {
    const ep = expectOk(await create({ url: partnerUrl("d") }), 201, WithSecret);
    expect((await call("DELETE", `/webhooks/endpoints/${ep.id}`, { token: tenant.adminKey })).status).toBe(204);
    expectError(await call("GET", `/webhooks/endpoints/${ep.id}`, { token: tenant.adminKey }), 404, "not_found");
    expectError(await call("DELETE", `/webhooks/endpoints/${ep.id}`, { token: tenant.adminKey }), 404, "not_found");
  });
});

describe("bad input", () => {
  it.each([
    [{}, "url"],
    [{ url: "" }, "url"],
    [{ url: partnerUrl("x"), eventTypes: ["lead.created", "lead.exploded"] }, "eventTypes.1"],
    [{ url: partnerUrl("x"), eventTypes: "lead.created" }, "eventTypes"],
    [{ url: partnerUrl("x"), secret: "whsec_mine" }, "(root)"],
    [{ url: partnerUrl("x"), enabled: "yes" }, "enabled"],
  ])("refuses %j", async (body, path) => {
    const res = await create(body);
    expectError(res, 400, "validation_failed");
    expect(JSON.stringify(res.body)).toContain(`"path":"${path}"`);
  });

  it("refuses cloud metadata and non-http URLs even in development", async () => {
    expect(expectError(await create({ url: "http://169.254.169.254/latest/meta-data/" }), 400, "validation_failed")).toBe("url: 169.254.169.254 is a cloud metadata address");
    expect(expectError(await create({ url: "file:///etc/passwd" }), 400, "validation_failed")).toBe("url: scheme file: is not allowed; use https");
  });

  it("refuses a non-JSON body and an unknown endpoint", async () => {
    expectError(await call("POST", "/webhooks/endpoints", { token: tenant.adminKey, raw: "{url:" }), 400, "invalid_json");
    expectError(await call("PATCH", "/webhooks/endpoints/whe_missing", { token: tenant.adminKey, body: { description: "x" } }), 404, "not_found");
  });
});

describe("in production", () => {
  it.each([
    ["http://crm.example.com/hooks", "url: webhook URLs must use https"],
    ["https://127.0.0.1/hooks", "url: 127.0.0.1 is a loopback address"],
    ["https://10.0.0.8/hooks", "url: 10.0.0.8 is a private address"],
    ["https://[::ffff:169.254.169.254]/", "url: [::ffff:a9fe:a9fe] is an IPv4-mapped IPv6 address"],
    ["https://metadata.google.internal/", "url: metadata.google.internal is a cloud metadata address"],
    ["https://partner.localhost/", "url: partner.localhost is a local host name"],
  ])("the API refuses %s with a clear 400", async (url, message) => {
    const res = await asProduction("POST", "/webhooks/endpoints", { url });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { code: "validation_failed", message, details: [{ path: "url" }] } });
  });

  it("accepts a public https URL, and refuses changing it to a private one", async () => {
    const created = await asProduction("POST", "/webhooks/endpoints", { url: "https://crm.example.com/hooks" });
    expect(created.status).toBe(201);
    const id = WithSecret.parse(created.body).id;
    const patched = await asProduction("PATCH", `/webhooks/endpoints/${id}`, { url: "https://192.168.0.10/hooks" });
    expect(patched).toMatchObject({ status: 400, body: { error: { message: "url: 192.168.0.10 is a private address" } } });
  });

  it("the endpoint validation path refuses with the production policy injected", async () => {
    const deps = { db: makeDb(env.DB), tenantId: tenant.tenantId, masterKey: env.MASTER_KEY, policy: STRICT_POLICY, now: Date.now() };
    const attempt = createEndpointFn(deps, { url: partnerUrl("prod") });
    await expect(attempt).rejects.toBeInstanceOf(AppError);
    await expect(attempt).rejects.toMatchObject({ status: 400, message: "url: webhook URLs must use https" });
  });
});

describe("who may manage endpoints", () => {
  it("viewers and members read; admins and owners write; a gateway or workflows key does neither", async () => {
    const viewer = await createTestUser(tenant.tenantId, "viewer");
    const member = await createTestUser(tenant.tenantId, "member");
    const owner = await createTestUser(tenant.tenantId, "owner");
    const workflowsKey = (await createTestKey(tenant.tenantId, ["workflows"])).key;
    expect((await call("GET", "/webhooks/endpoints", { token: viewer.accessToken })).status).toBe(200);
    expect((await call("GET", "/webhooks/endpoints", { token: member.accessToken })).status).toBe(200);
    expectError(await create({ url: partnerUrl("v") }, viewer.accessToken), 403, "forbidden");
    expectError(await create({ url: partnerUrl("m") }, member.accessToken), 403, "forbidden");
    expect((await create({ url: partnerUrl("o") }, owner.accessToken)).status).toBe(201);
    expectError(await call("GET", "/webhooks/endpoints", { token: workflowsKey }), 403, "forbidden");
    expectError(await call("GET", "/webhooks/endpoints", { token: tenant.gatewayKey }), 403, "insufficient_scope");
    expectError(await call("GET", "/webhooks/endpoints"), 401, "unauthorized");
  });
});
