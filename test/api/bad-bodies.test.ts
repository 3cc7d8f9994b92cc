import { exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { API, call, expectError } from "./helpers";
import { createTestTenant, type TestTenant } from "../helpers/fixtures";

let t: TestTenant;
beforeAll(async () => {
  t = await createTestTenant("Strict Motors");
});

const Details = z.object({ error: z.object({ details: z.array(z.object({ path: z.string(), message: z.string() })) }) });

function pathsOf(body: unknown): string[] {
  return Details.parse(body).error.details.map((d) => d.path);
}

describe("malformed JSON", () => {
  const targets = [
    ["POST", "/users", true],
    ["PATCH", "/tenant", true],
    ["POST", "/keys", true],
    ["POST", "/auth/login", false],
    ["POST", "/signup", false],
  ] as const;
  for (const [method, path, authed] of targets) {
    it(`${method} ${path} answers invalid_json in the API error body`, async () => {
      const reply = await call(method, path, { token: authed ? t.adminKey : undefined, raw: '{"name": "Pat",', headers: { "x-request-id": "trace-badjson-1" } });
      expect(expectError(reply, 400, "invalid_json")).toMatch(/not valid JSON/);
      expect(reply.body).toMatchObject({ error: { requestId: "trace-badjson-1" } });
    });
  }

  it("an empty JSON body is invalid_json too", async () => {
    expectError(await call("POST", "/rooftops", { token: t.adminKey, raw: "" }), 400, "invalid_json");
  });
});

describe("wrong content types", () => {
  it("text/plain is refused with 415", async () => {
    const reply = await call("POST", "/rooftops", { token: t.adminKey, raw: JSON.stringify({ kind: "rooftop", name: "X" }), contentType: "text/plain" });
    expectError(reply, 415, "unsupported_media_type");
  });

  it("a form post (curl -d without a content type) is refused with 415", async () => {
    const reply = await call("PATCH", "/tenant", { token: t.adminKey, raw: "name=Renamed", contentType: "application/x-www-form-urlencoded" });
    expectError(reply, 415, "unsupported_media_type");
    const tenant = await call("GET", "/tenant", { token: t.adminKey });
    expect(tenant.body).toMatchObject({ name: "Strict Motors" });
  });

  it("a body with no content type at all is refused with 415", async () => {
    const res = await exports.default.fetch(`${API}/auth/login`, { method: "POST", headers: { authorization: `Bearer ${t.adminKey}` }, body: new Uint8Array([123, 125]) });
    expect(res.status).toBe(415);
    expect(await res.json()).toMatchObject({ error: { code: "unsupported_media_type" } });
  });

  it("application/json with a charset is fine", async () => {
    const reply = await call("PATCH", "/tenant", { token: t.adminKey, raw: JSON.stringify({ timezone: "America/Denver" }), contentType: "application/json; charset=utf-8" });
    expect(reply.status).toBe(200);
  });
});

describe("wrong shapes", () => {
  it("wrong types name the offending fields", async () => {
    const reply = await call("POST", "/users", { token: t.adminKey, body: { email: 42, name: ["Pat"], role: "member" } });
    expectError(reply, 400, "validation_failed");
    expect(pathsOf(reply.body)).toEqual(expect.arrayContaining(["email", "name"]));
  });

  it("an unknown role is refused", async () => {
    const reply = await call("POST", "/users", { token: t.adminKey, body: { email: "x@dealer.example", name: "X", role: "superuser" } });
    expectError(reply, 400, "validation_failed");
    expect(pathsOf(reply.body)).toContain("role");
  });

  it("unknown fields are refused rather than silently ignored", async () => {
    const reply = await call("PATCH", "/tenant", { token: t.adminKey, body: { name: "X", tenantId: "ten_other" } });
    expectError(reply, 400, "validation_failed");
  });

  it("a JSON array where an object belongs is refused", async () => {
    expectError(await call("POST", "/rooftops", { token: t.adminKey, body: [{ kind: "rooftop", name: "X" }] }), 400, "validation_failed");
  });

  it("keys: unknown scopes, no scopes, and a past expiry are refused", async () => {
    for (const body of [
      { name: "k", scopes: ["root"] },
      { name: "k", scopes: [] },
      { name: "k", scopes: ["gateway", "gateway"] },
      { name: "k", scopes: ["gateway"], expiresAt: Date.now() - 1 },
    ]) {
      expectError(await call("POST", "/keys", { token: t.adminKey, body }), 400, "validation_failed");
    }
  });

  it("a time zone that is not an IANA zone is refused", async () => {
    const reply = await call("PATCH", "/tenant", { token: t.adminKey, body: { timezone: "Eastern" } });
    expect(expectError(reply, 400, "validation_failed")).toMatch(/IANA/);
  });

  it("rooftop kinds are only rooftop and department", async () => {
    expectError(await call("POST", "/rooftops", { token: t.adminKey, body: { kind: "region", name: "X" } }), 400, "validation_failed");
  });
});
