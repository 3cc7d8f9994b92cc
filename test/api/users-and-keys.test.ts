import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { call, expectError, expectOk, ListOf, uniqueEmail, UserBody } from "./helpers";
import { createTestTenant, type TestTenant } from "../helpers/fixtures";

const Key = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  scopes: z.array(z.string()),
  tags: z.array(z.string()),
  createdBy: z.string().nullable(),
  expiresAt: z.number().nullable(),
  revokedAt: z.number().nullable(),
});
const NewKey = Key.extend({ key: z.string() });

let t: TestTenant;
beforeAll(async () => {
  t = await createTestTenant("People Motors");
});

describe("/users", () => {
  it("creates a user who can sign in with the password given", async () => {
    const email = uniqueEmail("Sales.Rep").toUpperCase();
    const made = expectOk(await call("POST", "/users", { token: t.adminKey, body: { email, name: "Rep", role: "member", password: "showroom floor 42" } }), 201, UserBody);
    expect(made).toMatchObject({ email: email.toLowerCase(), hasPassword: true, status: "active" });
    expect(made).not.toHaveProperty("passwordHash");
    const login = await call("POST", "/auth/login", { body: { email, password: "showroom floor 42" } });
    expect(login.status).toBe(200);
  });

  it("creates SSO-only users without a password", async () => {
    const made = expectOk(await call("POST", "/users", { token: t.adminKey, body: { email: uniqueEmail(), name: "SSO", role: "viewer" } }), 201, UserBody);
    expect(made.hasPassword).toBe(false);
  });

  it("refuses a taken email, whatever its case", async () => {
    const email = uniqueEmail();
    expectOk(await call("POST", "/users", { token: t.adminKey, body: { email, name: "One", role: "viewer" } }), 201, UserBody);
    expectError(await call("POST", "/users", { token: t.adminKey, body: { email: email.toUpperCase(), name: "Two", role: "viewer" } }), 409, "conflict");
  });

  it("lists, filters, reads, updates and disables", async () => {
    const made = expectOk(await call("POST", "/users", { token: t.adminKey, body: { email: uniqueEmail(), name: "Filter me", role: "viewer" } }), 201, UserBody);
    const viewers = expectOk(await call("GET", "/users?role=viewer", { token: t.adminKey }), 200, ListOf(UserBody));
    expect(viewers.data.map((u) => u.id)).toContain(made.id);
    expect(viewers.data.every((u) => u.role === "viewer")).toBe(true);
    const renamed = expectOk(await call("PATCH", `/users/${made.id}`, { token: t.adminKey, body: { name: "Renamed", role: "member" } }), 200, UserBody);
    expect(renamed).toMatchObject({ name: "Renamed", role: "member" });
    expectOk(await call("DELETE", `/users/${made.id}`, { token: t.adminKey }), 200, UserBody);
    const disabled = expectOk(await call("GET", "/users?status=disabled", { token: t.adminKey }), 200, ListOf(UserBody));
    expect(disabled.data.map((u) => u.id)).toEqual([made.id]);
    expectOk(await call("PATCH", `/users/${made.id}`, { token: t.adminKey, body: { status: "active" } }), 200, UserBody);
  });

  it("answers 404 for an unknown id", async () => {
    expectError(await call("GET", "/users/usr_nobody", { token: t.adminKey }), 404, "not_found");
    expectError(await call("PATCH", "/users/usr_nobody", { token: t.adminKey, body: { name: "X" } }), 404, "not_found");
  });
});

describe("/keys", () => {
  it("shows the secret once; lists and reads show only the prefix", async () => {
    const made = expectOk(await call("POST", "/keys", { token: t.adminKey, body: { name: "dms sync", scopes: ["gateway"], tags: ["dms"] } }), 201, NewKey);
    expect(made.key.startsWith(made.prefix)).toBe(true);
    expect(made).toMatchObject({ name: "dms sync", scopes: ["gateway"], tags: ["dms"], revokedAt: null });
    const list = await call("GET", "/keys", { token: t.adminKey });
    const read = await call("GET", `/keys/${made.id}`, { token: t.adminKey });
    for (const reply of [list, read]) {
      expect(reply.status).toBe(200);
      expect(JSON.stringify(reply.body)).not.toContain(made.key);
      expect(JSON.stringify(reply.body)).not.toContain('"hash"');
    }
    expect(expectOk(list, 200, ListOf(Key)).data.map((k) => k.id)).toContain(made.id);
  });

  it("a created admin key works at once and stops at once when revoked", async () => {
    const owner = expectOk(await call("POST", "/keys", { token: t.adminKey, body: { name: "ops", scopes: ["admin"], expiresAt: Date.now() + 86_400_000 } }), 201, NewKey);
    expect(owner.createdBy).not.toBeNull();
    expect((await call("GET", "/users", { token: owner.key })).status).toBe(200);
    const revoked = expectOk(await call("DELETE", `/keys/${owner.id}`, { token: t.adminKey }), 200, Key);
    expect(revoked.revokedAt).toEqual(expect.any(Number));
    expectError(await call("GET", "/users", { token: owner.key }), 401, "invalid_api_key");
    // Revoking again changes nothing.
    expect(expectOk(await call("DELETE", `/keys/${owner.id}`, { token: t.adminKey }), 200, Key).revokedAt).toBe(revoked.revokedAt);
  });

  it("answers 404 for an unknown id", async () => {
    expectError(await call("GET", "/keys/key_nothing", { token: t.adminKey }), 404, "not_found");
    expectError(await call("DELETE", "/keys/key_nothing", { token: t.adminKey }), 404, "not_found");
  });
});
