import { env, exports } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog, ssoConfigs, users } from "../../d1/schema";
import { makeDb } from "../../workers/db";
import { createUser } from "../../workers/platform/users";
import { createTestTenant } from "../helpers/fixtures";
import { authorizeAt, CALLBACK, configureSso, issuer, signIn, slugOf, worker } from "./sso-flow";

type Tokens = { accessToken: string; refreshToken: string; expiresIn: number; tokenType: string; user: { id: string; email: string; role: string } };

const db = () => makeDb(env.DB);
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const putSso = (key: string, body: unknown) =>
  worker("/api/v1/sso", { method: "PUT", headers: { ...bearer(key), "content-type": "application/json" }, body: JSON.stringify(body) });

async function actions(tenantId: string): Promise<string[]> {
  const rows = await db().query.auditLog.findMany({ where: eq(auditLog.tenantId, tenantId) });
  return rows.map((r) => r.action);
}

describe("SSO configuration API", () => {
  it("saves a configuration and never returns the client secret", async () => {
    const t = await createTestTenant("Secret Motors");
    const client = await configureSso(t.adminKey, { allowedDomains: ["Example.com"], defaultRole: "viewer" });
    const res = await worker("/api/v1/sso", { headers: bearer(t.adminKey) });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).not.toContain(client.clientSecret);
    const body: unknown = JSON.parse(text);
    expect(body).toMatchObject({ issuer: issuer(), clientId: client.clientId, clientSecretSet: true, allowedDomains: ["example.com"], defaultRole: "viewer", enabled: true, redirectUri: CALLBACK });
    expect(Object.keys(body as object)).not.toContain("clientSecretEnc");
    // At rest the secret is sealed, not stored in the clear.
    const row = await db().query.ssoConfigs.findFirst({ where: eq(ssoConfigs.tenantId, t.tenantId) });
    expect(row?.clientSecretEnc).toMatch(/^v1\./);
    expect(row?.clientSecretEnc).not.toContain(client.clientSecret);
    expect(await actions(t.tenantId)).toContain("sso.configured");
    const audit = await db().query.auditLog.findFirst({ where: and(eq(auditLog.tenantId, t.tenantId), eq(auditLog.action, "sso.configured")) });
    expect(JSON.stringify(audit)).not.toContain(client.clientSecret);
  });

  it("refuses an issuer whose discovery document cannot be read, with a clear 422", async () => {
    const t = await createTestTenant("Typo Motors");
    const res = await putSso(t.adminKey, { issuer: `${env.SIM_URL}/not-an-issuer`, clientId: "x", clientSecret: "y" });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("unprocessable");
    expect(body.error.message).toContain("/not-an-issuer/.well-known/openid-configuration");
    expect(await (await worker("/api/v1/sso", { headers: bearer(t.adminKey) })).json()).toBeNull();
  });

  it("validates the body: secret on first save, domains, no owner by default, no unknown fields", async () => {
    const t = await createTestTenant("Strict Motors");
    const base = { issuer: issuer(), clientId: "client" };
    const cases: unknown[] = [
      base,
      { ...base, clientSecret: "s", allowedDomains: ["not a domain"] },
      { ...base, clientSecret: "s", defaultRole: "owner" },
      { ...base, clientSecret: "s", extra: true },
      { ...base, issuer: "not a url", clientSecret: "s" },
    ];
    for (const body of cases) {
      const res = await putSso(t.adminKey, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    const notJson = await worker("/api/v1/sso", { method: "PUT", headers: { ...bearer(t.adminKey), "content-type": "application/json" }, body: "{" });
    expect(notJson.status).toBe(400);
  });

  it("keeps the stored secret when an update leaves it out, and deletes", async () => {
    const t = await createTestTenant("Update Motors");
    const client = await configureSso(t.adminKey);
    const update = await putSso(t.adminKey, { issuer: issuer(), clientId: client.clientId, enabled: true, defaultRole: "member" });
    expect(update.status).toBe(200);
    expect(await actions(t.tenantId)).toContain("sso.updated");
    // The kept secret still authenticates at the token endpoint.
    expect((await signIn(await slugOf(t.tenantId), "kept@example.com")).status).toBe(200);

    const del = await worker("/api/v1/sso", { method: "DELETE", headers: bearer(t.adminKey) });
    expect(del.status).toBe(204);
    expect(await actions(t.tenantId)).toContain("sso.deleted");
    expect(await (await worker("/api/v1/sso", { headers: bearer(t.adminKey) })).json()).toBeNull();
    expect((await worker("/api/v1/sso", { method: "DELETE", headers: bearer(t.adminKey) })).status).toBe(404);
    const start = await worker(`/api/v1/auth/sso/start?tenant=${await slugOf(t.tenantId)}`, { redirect: "manual" });
    expect(start.status).toBe(404);
  });

  it("another tenant cannot read or change this tenant's configuration", async () => {
    const a = await createTestTenant("Alpha Motors");
    const b = await createTestTenant("Beta Motors");
    const client = await configureSso(a.adminKey);
    const read = await worker("/api/v1/sso", { headers: bearer(b.adminKey) });
    expect(read.status).toBe(200);
    expect(await read.json()).toBeNull();
    expect((await worker("/api/v1/sso", { method: "DELETE", headers: bearer(b.adminKey) })).status).toBe(404);
    expect((await worker("/api/v1/sso", { headers: bearer(a.adminKey) })).status).toBe(200);
  });

  it("requires credentials, and tenant:write to change it", async () => {
    const t = await createTestTenant("Viewer Motors");
    expect((await worker("/api/v1/sso")).status).toBe(401);
    await configureSso(t.adminKey, { defaultRole: "viewer" });
    const tokens = (await (await signIn(await slugOf(t.tenantId), "val.viewer@example.com")).json()) as Tokens;
    expect(tokens.user.role).toBe("viewer");
    expect((await worker("/api/v1/sso", { headers: bearer(tokens.accessToken) })).status).toBe(200);
    const put = await putSso(tokens.accessToken, { issuer: issuer(), clientId: "mine", clientSecret: "mine" });
    expect(put.status).toBe(403);
    expect((await worker("/api/v1/sso", { method: "DELETE", headers: bearer(tokens.accessToken) })).status).toBe(403);
  });
});

describe("SSO sign-in", () => {
  it("runs the whole authorization-code flow with PKCE and signs the user in", async () => {
    const t = await createTestTenant("Flow Motors");
    const client = await configureSso(t.adminKey, { defaultRole: "member" });
    const start = await worker(`/api/v1/auth/sso/start?tenant=${await slugOf(t.tenantId)}&login_hint=jo.jit@example.com`, { redirect: "manual" });
    expect(start.status).toBe(302);
    const to = new URL(start.headers.get("location") ?? "");
    expect(`${to.origin}${to.pathname}`).toBe(`${issuer()}/authorize`);
    expect(to.searchParams.get("client_id")).toBe(client.clientId);
    expect(to.searchParams.get("redirect_uri")).toBe(CALLBACK);
    expect(to.searchParams.get("code_challenge_method")).toBe("S256");
    expect(to.searchParams.get("state")).toBeTruthy();
    expect(to.searchParams.get("nonce")).toBeTruthy();

    const authorize = await fetch(to, { redirect: "manual" });
    const res = await exports.default.fetch(authorize.headers.get("location") ?? "", { headers: { accept: "application/json" } });
    expect(res.status).toBe(200);
    const tokens = (await res.json()) as Tokens;
    expect(tokens.tokenType).toBe("Bearer");
    expect(tokens.expiresIn).toBeGreaterThan(0);
    expect(tokens.user).toMatchObject({ email: "jo.jit@example.com", role: "member" });

    const me = await worker("/api/v1/me", { headers: bearer(tokens.accessToken) });
    expect(me.status).toBe(200);
    expect(JSON.stringify(await me.json())).toContain("jo.jit@example.com");
  });

  it("provisions a new user just in time with the default role, once", async () => {
    const t = await createTestTenant("Jit Motors");
    await configureSso(t.adminKey, { defaultRole: "viewer" });
    const slug = await slugOf(t.tenantId);
    const first = (await (await signIn(slug, "New.Hire@Example.com")).json()) as Tokens;
    const row = await db().query.users.findFirst({ where: eq(users.email, "new.hire@example.com") });
    expect(row).toMatchObject({ id: first.user.id, tenantId: t.tenantId, role: "viewer", name: "New Hire", passwordHash: null, status: "active" });
    expect(row?.lastLoginAt).not.toBeNull();
    const second = (await (await signIn(slug, "new.hire@example.com")).json()) as Tokens;
    expect(second.user.id).toBe(first.user.id);
    const log = await actions(t.tenantId);
    expect(log.filter((a) => a === "user.provisioned")).toHaveLength(1);
    expect(log.filter((a) => a === "user.sso_login")).toHaveLength(2);
  });

  it("links an existing user of the tenant and keeps their role", async () => {
    const t = await createTestTenant("Link Motors");
    const existing = await createUser({ db: db(), tenantId: t.tenantId }, { email: "gm@linkmotors.example", name: "General Manager", role: "admin", password: "correct horse battery staple" });
    await configureSso(t.adminKey, { defaultRole: "viewer" });
    const res = await signIn(await slugOf(t.tenantId), "gm@linkmotors.example");
    expect(res.status).toBe(200);
    const tokens = (await res.json()) as Tokens;
    expect(tokens.user).toMatchObject({ id: existing.id, role: "admin" });
    expect(await actions(t.tenantId)).not.toContain("user.provisioned");
  });

  it("redirects a browser back to the app with the tokens in the fragment only", async () => {
    const t = await createTestTenant("Browser Motors");
    await configureSso(t.adminKey);
    const back = await authorizeAt(await slugOf(t.tenantId), { email: "pat@example.com", redirect: "/dashboard?tab=runs" });
    const res = await exports.default.fetch(back, { headers: { accept: "text/html" }, redirect: "manual" });
    expect(res.status).toBe(302);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const location = res.headers.get("location") ?? "";
    const [path, fragment] = location.split("#");
    expect(path).toBe("/dashboard?tab=runs");
    const params = new URLSearchParams(fragment);
    expect(params.get("refresh_token")).toMatch(/^rt_/);
    const me = await worker("/api/v1/me", { headers: bearer(params.get("access_token") ?? "") });
    expect(me.status).toBe(200);
  });

  it("refuses redirects off this site and unknown tenants", async () => {
    const t = await createTestTenant("Redirect Motors");
    await configureSso(t.adminKey);
    const slug = await slugOf(t.tenantId);
    for (const redirect of ["https://evil.example/", "//evil.example/x", "/\\evil.example", "dashboard"]) {
      const res = await worker(`/api/v1/auth/sso/start?tenant=${slug}&redirect=${encodeURIComponent(redirect)}`, { redirect: "manual" });
      expect(res.status, redirect).toBe(400);
    }
    expect((await worker("/api/v1/auth/sso/start?tenant=no-such-dealer", { redirect: "manual" })).status).toBe(404);
    expect((await worker("/api/v1/auth/sso/start", { redirect: "manual" })).status).toBe(400);
  });

  it("lists the SSO routes in the OpenAPI document", async () => {
    const doc = (await (await worker("/api/v1/openapi.json")).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(["/sso", "/auth/sso/start", "/auth/sso/callback"]));
  });
});
