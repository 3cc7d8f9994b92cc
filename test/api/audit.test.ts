import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { makeDb } from "../../workers/db";
import { recordAudit } from "../../workers/platform/audit";
import { call, createTestUser, expectError, expectOk, uniqueEmail, WithId } from "./helpers";
import { createTestTenant, type TestTenant } from "../helpers/fixtures";

const Entry = z.object({
  id: z.string(),
  actorType: z.string(),
  actorId: z.string().nullable(),
  action: z.string(),
  resourceType: z.string(),
  resourceId: z.string().nullable(),
  before: z.record(z.string(), z.unknown()).nullable(),
  after: z.record(z.string(), z.unknown()).nullable(),
  requestId: z.string().nullable(),
  createdAt: z.number(),
});
const Page = z.object({ data: z.array(Entry), nextCursor: z.string().nullable() });

let t: TestTenant;
beforeAll(async () => {
  t = await createTestTenant("Audit Motors");
});

async function auditOf(query: string, token = t.adminKey) {
  return expectOk(await call("GET", `/audit?${query}`, { token }), 200, Page);
}

describe("mutations are audited", () => {
  it("rooftop create, update and delete, with before/after and the request id", async () => {
    const created = await call("POST", "/rooftops", { token: t.adminKey, body: { kind: "rooftop", name: "East" }, headers: { "x-request-id": "trace-rooftop-1" } });
    const id = expectOk(created, 201, WithId).id;
    await call("PATCH", `/rooftops/${id}`, { token: t.adminKey, body: { name: "East Side" } });
    expect((await call("DELETE", `/rooftops/${id}`, { token: t.adminKey })).status).toBe(204);
    const { data } = await auditOf(`resourceId=${id}`);
    expect(data.map((e) => e.action)).toEqual(["rooftop.deleted", "rooftop.updated", "rooftop.created"]);
    const [deleted, updated, createdEntry] = data;
    expect(createdEntry).toMatchObject({ actorType: "api_key", resourceType: "rooftop", requestId: "trace-rooftop-1", after: { name: "East", kind: "rooftop" } });
    expect(updated).toMatchObject({ before: { name: "East" }, after: { name: "East Side" } });
    expect(deleted?.before).toMatchObject({ name: "East Side" });
  });

  it("user changes name the acting user; a password is stored redacted", async () => {
    const owner = await createTestUser(t.tenantId, "owner");
    const made = expectOk(
      await call("POST", "/users", { token: owner.accessToken, body: { email: uniqueEmail(), name: "Sam", role: "member", password: "a secret password" } }),
      201,
      WithId,
    );
    await call("PATCH", `/users/${made.id}`, { token: owner.accessToken, body: { role: "viewer" } });
    await call("DELETE", `/users/${made.id}`, { token: owner.accessToken });
    const { data } = await auditOf(`resourceId=${made.id}`);
    expect(data.map((e) => e.action)).toEqual(["user.disabled", "user.updated", "user.created"]);
    for (const e of data) expect(e).toMatchObject({ actorType: "user", actorId: owner.id });
    expect(data[2]?.after).toMatchObject({ name: "Sam", role: "member", password: "[redacted]" });
    expect(data[1]).toMatchObject({ before: { role: "member" }, after: { role: "viewer" } });
    expect(data[0]).toMatchObject({ before: { status: "active" }, after: { status: "disabled" } });
    expect(JSON.stringify(data)).not.toContain("a secret password");
  });

  it("keys: created and revoked, and the secret never reaches the log", async () => {
    const created = expectOk(await call("POST", "/keys", { token: t.adminKey, body: { name: "dms", scopes: ["gateway"] } }), 201, z.object({ id: z.string(), key: z.string() }));
    await call("DELETE", `/keys/${created.id}`, { token: t.adminKey });
    const { data } = await auditOf(`resourceType=api_key&resourceId=${created.id}`);
    expect(data.map((e) => e.action)).toEqual(["api_key.revoked", "api_key.created"]);
    expect(JSON.stringify(data)).not.toContain(created.key);
    expect(data[0]?.after).toMatchObject({ revokedAt: expect.any(Number) });
  });

  it("tenant settings: secret-looking fields are masked, nested ones too", async () => {
    await call("PATCH", "/tenant", { token: t.adminKey, body: { settings: { crm: { apiKey: "crm-secret-123", region: "us" }, webhookSecret: "whsec_abc" } } });
    const { data } = await auditOf("action=tenant.updated");
    expect(data[0]?.after).toMatchObject({ settings: { crm: { apiKey: "[redacted]", region: "us" }, webhookSecret: "[redacted]" } });
    expect(JSON.stringify(data)).not.toMatch(/crm-secret-123|whsec_abc/);
  });

  it("sign-in and sign-out are recorded as the user's own actions", async () => {
    const password = "long enough password";
    const user = await createTestUser(t.tenantId, "member", { password });
    const login = expectOk(await call("POST", "/auth/login", { body: { email: user.email, password } }), 200, z.object({ refreshToken: z.string() }));
    await call("POST", "/auth/logout", { body: { refreshToken: login.refreshToken } });
    const { data } = await auditOf(`actorId=${user.id}`);
    expect(data.map((e) => e.action)).toEqual(["auth.logout", "auth.login"]);
  });

  it("a reused refresh token is recorded as an incident", async () => {
    const user = await createTestUser(t.tenantId, "member");
    await call("POST", "/auth/refresh", { body: { refreshToken: user.refreshToken } });
    await call("POST", "/auth/refresh", { body: { refreshToken: user.refreshToken } });
    const { data } = await auditOf(`actorId=${user.id}&action=auth.refresh_reused`);
    expect(data).toHaveLength(1);
    expect(data[0]?.resourceType).toBe("session");
  });
});

describe("reading the log", () => {
  let tenant: TestTenant;
  const scopeFor = () => ({ db: makeDb(env.DB), tenantId: tenant.tenantId });
  beforeAll(async () => {
    tenant = await createTestTenant("Paging Motors");
    for (let i = 1; i <= 5; i++) {
      await recordAudit(scopeFor(), { actorType: "system", actorId: `job_${i % 2}` }, { action: `test.step${i}`, resourceType: i <= 3 ? "widget" : "gadget", resourceId: `w_${i}` }, 1_000_000 + i * 1000);
    }
  });

  it("pages newest first with a cursor, without repeats", async () => {
    const seen: string[] = [];
    let cursor: string | null = "";
    while (cursor !== null) {
      const page: z.infer<typeof Page> = await auditOf(`to=1999999&limit=2${cursor ? `&cursor=${cursor}` : ""}`, tenant.adminKey);
      expect(page.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.data.map((e) => e.action));
      cursor = page.nextCursor;
    }
    expect(seen).toEqual(["test.step5", "test.step4", "test.step3", "test.step2", "test.step1"]);
  });

  it("filters by resource type, actor, action and time (epoch ms or ISO)", async () => {
    expect((await auditOf("resourceType=gadget", tenant.adminKey)).data.map((e) => e.action)).toEqual(["test.step5", "test.step4"]);
    expect((await auditOf("actorId=job_0&to=1999999", tenant.adminKey)).data.map((e) => e.action)).toEqual(["test.step4", "test.step2"]);
    expect((await auditOf("action=test.step3", tenant.adminKey)).data).toHaveLength(1);
    expect((await auditOf("from=1002000&to=1003000", tenant.adminKey)).data.map((e) => e.action)).toEqual(["test.step3", "test.step2"]);
    const iso = new Date(1_004_000).toISOString();
    expect((await auditOf(`from=${encodeURIComponent(iso)}&to=1999999`, tenant.adminKey)).data.map((e) => e.action)).toEqual(["test.step5", "test.step4"]);
  });

  it("refuses a forged cursor, a bad time and an out-of-range limit", async () => {
    expectError(await call("GET", "/audit?cursor=bm90LWEtY3Vyc29y", { token: tenant.adminKey }), 400, "validation_failed");
    expectError(await call("GET", "/audit?from=yesterday", { token: tenant.adminKey }), 400, "validation_failed");
    expectError(await call("GET", "/audit?limit=0", { token: tenant.adminKey }), 400, "validation_failed");
    expectError(await call("GET", "/audit?limit=5000", { token: tenant.adminKey }), 400, "validation_failed");
  });
});
