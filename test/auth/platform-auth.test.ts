import { env } from "cloudflare:workers";
import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { signAccessToken } from "../../workers/auth/jwt";
import { call, createTestUser, expectError, expectOk, UserBody } from "../api/helpers";
import { createTestKey, createTestTenant } from "../helpers/fixtures";

const Me = z.object({ type: z.enum(["user", "api_key"]) });

function b64url(value: unknown): string {
  return btoa(JSON.stringify(value)).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
}

describe("API keys on /api/v1", () => {
  it("refuses a call without credentials", async () => {
    expectError(await call("GET", "/users"), 401, "unauthorized");
  });

  it("accepts an admin key and refuses it once revoked", async () => {
    const { tenantId, adminKey } = await createTestTenant();
    const victim = await createTestKey(tenantId, ["admin"]);
    expectOk(await call("GET", "/me", { token: victim.key }), 200, Me);
    expectOk(await call("DELETE", `/keys/${victim.id}`, { token: adminKey }), 200, z.object({ revokedAt: z.number() }));
    expectError(await call("GET", "/me", { token: victim.key }), 401, "invalid_api_key");
  });

  it("refuses an expired key", async () => {
    const { tenantId } = await createTestTenant();
    const expired = await createTestKey(tenantId, ["admin"], { expiresAt: Date.now() - 1000 });
    expect(expectError(await call("GET", "/users", { token: expired.key }), 401, "invalid_api_key")).toMatch(/expired/);
  });

  it("refuses a key that does not exist, and something that is not a key", async () => {
    expectError(await call("GET", "/users", { token: `sk-aut-${"a".repeat(44)}` }), 401, "invalid_api_key");
    expectError(await call("GET", "/users", { token: "sk-aut-short" }), 401, "invalid_api_key");
  });

  it("refuses a gateway-scoped key on the platform API", async () => {
    const { gatewayKey } = await createTestTenant();
    expectError(await call("GET", "/users", { token: gatewayKey }), 403, "insufficient_scope");
  });

  it("lets a workflows-scoped key in, but not to users, keys or audit", async () => {
    const { tenantId } = await createTestTenant();
    const wf = await createTestKey(tenantId, ["workflows"]);
    expectOk(await call("GET", "/me", { token: wf.key }), 200, Me);
    for (const path of ["/users", "/keys", "/audit", "/tenant"]) {
      expectError(await call("GET", path, { token: wf.key }), 403, "forbidden");
    }
  });
});

describe("access tokens on /api/v1", () => {
  it("refuses a token signed with another secret", async () => {
    const { tenantId } = await createTestTenant();
    const user = await createTestUser(tenantId, "owner");
    const forged = await signAccessToken("another-secret-that-is-long-enough-0123456789", { sub: user.id, tid: tenantId, role: "owner" });
    expectError(await call("GET", "/me", { token: forged }), 401, "invalid_token");
  });

  it("refuses an unsigned (alg: none) token", async () => {
    const { tenantId } = await createTestTenant();
    const user = await createTestUser(tenantId, "owner");
    const now = Math.floor(Date.now() / 1000);
    const claims = { sub: user.id, tid: tenantId, role: "owner", rid: null, typ: "access", iss: "auterity", aud: "auterity-api", iat: now, exp: now + 600 };
    const token = `${b64url({ alg: "none", typ: "JWT" })}.${b64url(claims)}.`;
    expectError(await call("GET", "/me", { token }), 401, "invalid_token");
  });

  it("refuses a token signed with another algorithm (HS512) even with the right secret", async () => {
    const { tenantId } = await createTestTenant();
    const user = await createTestUser(tenantId, "owner");
    const token = await new SignJWT({ tid: tenantId, role: "owner", rid: null, typ: "access" })
      .setProtectedHeader({ alg: "HS512" })
      .setSubject(user.id)
      .setIssuer("auterity")
      .setAudience("auterity-api")
      .setIssuedAt()
      .setExpirationTime("10m")
      .sign(new TextEncoder().encode(env.JWT_SECRET));
    expectError(await call("GET", "/me", { token }), 401, "invalid_token");
  });

  it("refuses an expired token and says to refresh", async () => {
    const { tenantId } = await createTestTenant();
    const user = await createTestUser(tenantId, "owner");
    const old = await signAccessToken(env.JWT_SECRET, { sub: user.id, tid: tenantId, role: "owner" }, Math.floor(Date.now() / 1000) - 3600);
    expect(expectError(await call("GET", "/me", { token: old }), 401, "invalid_token")).toMatch(/expired/);
  });

  it("refuses a token whose claims name another tenant than the user's", async () => {
    const a = await createTestTenant("A Motors");
    const b = await createTestTenant("B Motors");
    const user = await createTestUser(a.tenantId, "owner");
    const crossed = await signAccessToken(env.JWT_SECRET, { sub: user.id, tid: b.tenantId, role: "owner" });
    expectError(await call("GET", "/users", { token: crossed }), 401, "invalid_token");
  });

  it("shuts a disabled user out at once, before the access token expires", async () => {
    const { tenantId, adminKey } = await createTestTenant();
    const user = await createTestUser(tenantId, "admin");
    expectOk(await call("GET", "/users", { token: user.accessToken }), 200, z.object({ data: z.array(UserBody) }));
    expectOk(await call("DELETE", `/users/${user.id}`, { token: adminKey }), 200, UserBody);
    expectError(await call("GET", "/users", { token: user.accessToken }), 401, "invalid_token");
  });

  it("applies a role change at once (the token's role claim is not trusted)", async () => {
    const { tenantId, adminKey } = await createTestTenant();
    const user = await createTestUser(tenantId, "admin");
    expectOk(await call("GET", "/keys", { token: user.accessToken }), 200, z.object({ data: z.array(z.unknown()) }));
    expectOk(await call("PATCH", `/users/${user.id}`, { token: adminKey, body: { role: "viewer" } }), 200, UserBody);
    expectError(await call("GET", "/keys", { token: user.accessToken }), 403, "forbidden");
  });
});
