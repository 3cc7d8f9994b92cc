import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { app } from "../../workers/app";
import { call, createTestUser, expectError, expectOk, Session, uniqueEmail, UserBody } from "../api/helpers";
import { createTestTenant } from "../helpers/fixtures";

const PASSWORD = "correct horse battery";
const SignedUp = Session.extend({ user: UserBody, tenant: z.object({ id: z.string(), name: z.string(), timezone: z.string() }) });
const LoggedIn = Session.extend({ user: UserBody });

async function signUp(email = uniqueEmail("owner")) {
  const reply = await call("POST", "/signup", { body: { tenantName: "Smith Motors", name: "Pat Smith", email, password: PASSWORD, timezone: "America/Chicago" } });
  return { email, ...expectOk(reply, 201, SignedUp) };
}

describe("sign-up", () => {
  it("creates a tenant and its owner and signs the owner in", async () => {
    const s = await signUp();
    expect(s.user).toMatchObject({ email: s.email, role: "owner", status: "active", hasPassword: true });
    expect(s.tenant).toMatchObject({ name: "Smith Motors", timezone: "America/Chicago" });
    const me = expectOk(await call("GET", "/me", { token: s.accessToken }), 200, z.object({ type: z.literal("user"), user: UserBody, permissions: z.array(z.string()) }));
    expect(me.user.id).toBe(s.user.id);
    expect(me.permissions).toContain("keys:write");
  });

  it("refuses an email that is already taken, in any letter case", async () => {
    const s = await signUp();
    const again = await call("POST", "/signup", { body: { tenantName: "Other", name: "X", email: s.email.toUpperCase(), password: PASSWORD } });
    expectError(again, 409, "conflict");
  });

  it("refuses short passwords and unknown time zones", async () => {
    const short = await call("POST", "/signup", { body: { tenantName: "T", name: "N", email: uniqueEmail(), password: "short" } });
    expectError(short, 400, "validation_failed");
    const tz = await call("POST", "/signup", { body: { tenantName: "T", name: "N", email: uniqueEmail(), password: PASSWORD, timezone: "Mars/Olympus" } });
    expect(expectError(tz, 400, "validation_failed")).toMatch(/timezone/);
  });

  it("is refused where SIGNUP_ENABLED is not \"true\"", async () => {
    const res = await app.request(
      "/api/v1/signup",
      { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ tenantName: "T", name: "N", email: uniqueEmail(), password: PASSWORD }) },
      { ...env, SIGNUP_ENABLED: "false" },
    );
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: { code: "forbidden" } });
  });
});

describe("login", () => {
  it("signs in with the right password, whatever the email's case", async () => {
    const s = await signUp();
    const reply = await call("POST", "/auth/login", { body: { email: s.email.toUpperCase(), password: PASSWORD } });
    const body = expectOk(reply, 200, LoggedIn);
    expect(body.user.id).toBe(s.user.id);
    expectOk(await call("GET", "/me", { token: body.accessToken }), 200, z.object({ type: z.literal("user") }));
  });

  it("gives one message for an unknown email, a wrong password and an SSO-only user", async () => {
    const s = await signUp();
    const { tenantId } = await createTestTenant();
    const ssoOnly = await createTestUser(tenantId, "member");
    const unknown = expectError(await call("POST", "/auth/login", { body: { email: uniqueEmail("nobody"), password: PASSWORD } }), 401, "unauthorized");
    const wrong = expectError(await call("POST", "/auth/login", { body: { email: s.email, password: "wrong password!" } }), 401, "unauthorized");
    const sso = expectError(await call("POST", "/auth/login", { body: { email: ssoOnly.email, password: PASSWORD } }), 401, "unauthorized");
    expect(wrong).toBe(unknown);
    expect(sso).toBe(unknown);
  });

  it("refuses a disabled user, even with the right password", async () => {
    const { tenantId, adminKey } = await createTestTenant();
    const user = await createTestUser(tenantId, "member", { password: PASSWORD });
    expectOk(await call("DELETE", `/users/${user.id}`, { token: adminKey }), 200, UserBody);
    expectError(await call("POST", "/auth/login", { body: { email: user.email, password: PASSWORD } }), 401, "unauthorized");
  });
});

describe("refresh tokens", () => {
  it("rotate: each one works once and yields a new pair", async () => {
    const s = await signUp();
    const first = expectOk(await call("POST", "/auth/refresh", { body: { refreshToken: s.refreshToken } }), 200, Session);
    expect(first.refreshToken).not.toBe(s.refreshToken);
    const second = expectOk(await call("POST", "/auth/refresh", { body: { refreshToken: first.refreshToken } }), 200, Session);
    expectOk(await call("GET", "/me", { token: second.accessToken }), 200, z.object({ type: z.literal("user") }));
  });

  it("reused: the whole family is revoked, including the newest token", async () => {
    const s = await signUp();
    const rotated = expectOk(await call("POST", "/auth/refresh", { body: { refreshToken: s.refreshToken } }), 200, Session);
    // The old token shows up again: someone copied it.
    const reuse = expectError(await call("POST", "/auth/refresh", { body: { refreshToken: s.refreshToken } }), 401, "invalid_token");
    expect(reuse).toMatch(/already used/);
    expectError(await call("POST", "/auth/refresh", { body: { refreshToken: rotated.refreshToken } }), 401, "invalid_token");
    // Another sign-in of the same user is a different family and keeps working.
    const other = expectOk(await call("POST", "/auth/login", { body: { email: s.email, password: PASSWORD } }), 200, LoggedIn);
    expectOk(await call("POST", "/auth/refresh", { body: { refreshToken: other.refreshToken } }), 200, Session);
  });

  it("refuses an unknown token", async () => {
    expectError(await call("POST", "/auth/refresh", { body: { refreshToken: "rt_not-a-real-token" } }), 401, "invalid_token");
  });

  it("refuses a disabled user's refresh token", async () => {
    const { tenantId, adminKey } = await createTestTenant();
    const user = await createTestUser(tenantId, "member");
    expectOk(await call("DELETE", `/users/${user.id}`, { token: adminKey }), 200, UserBody);
    expectError(await call("POST", "/auth/refresh", { body: { refreshToken: user.refreshToken } }), 401, "invalid_token");
  });

  it("logout ends the family; unknown tokens still answer 204", async () => {
    const s = await signUp();
    expect((await call("POST", "/auth/logout", { body: { refreshToken: s.refreshToken } })).status).toBe(204);
    expectError(await call("POST", "/auth/refresh", { body: { refreshToken: s.refreshToken } }), 401, "invalid_token");
    expect((await call("POST", "/auth/logout", { body: { refreshToken: "rt_unknown" } })).status).toBe(204);
  });
});
