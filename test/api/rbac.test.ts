import { beforeAll, describe, expect, it } from "vitest";
import type { Role } from "../../d1/schema";
import { call, createTestUser, expectError, expectOk, uniqueEmail, UserBody, WithId } from "./helpers";
import { createTestTenant, type TestTenant } from "../helpers/fixtures";

type Probe = { name: string; method: string; path: string; body?: () => unknown; allowed: Role[] };

let tenant: TestTenant;
let rooftopId: string;
/** Each role's access token, filled in by beforeAll. */
const tokens: Record<Role, string> = { owner: "", admin: "", department_admin: "", member: "", viewer: "" };

beforeAll(async () => {
  tenant = await createTestTenant("Role Motors");
  rooftopId = expectOk(await call("POST", "/rooftops", { token: tenant.adminKey, body: { kind: "rooftop", name: "North" } }), 201, WithId).id;
  for (const role of ["owner", "admin", "department_admin", "member", "viewer"] as const) {
    tokens[role] = (await createTestUser(tenant.tenantId, role, { rooftopId: role === "department_admin" ? rooftopId : null })).accessToken;
  }
});

const ALL: Role[] = ["owner", "admin", "department_admin", "member", "viewer"];
const ADMINS: Role[] = ["owner", "admin"];
const MANAGERS: Role[] = ["owner", "admin", "department_admin"];

/** What each role may call; every other role must get 403. */
const PROBES: Probe[] = [
  { name: "read the tenant", method: "GET", path: "/tenant", allowed: ALL },
  { name: "change the tenant", method: "PATCH", path: "/tenant", body: () => ({ name: "Role Motors" }), allowed: ADMINS },
  { name: "list rooftops", method: "GET", path: "/rooftops", allowed: ALL },
  { name: "create a rooftop", method: "POST", path: "/rooftops", body: () => ({ kind: "rooftop", name: "South" }), allowed: ADMINS },
  { name: "list users", method: "GET", path: "/users", allowed: ALL },
  { name: "create a viewer in North", method: "POST", path: "/users", body: () => ({ email: uniqueEmail(), name: "New", role: "viewer", rooftopId }), allowed: MANAGERS },
  { name: "list keys", method: "GET", path: "/keys", allowed: MANAGERS },
  { name: "create a key", method: "POST", path: "/keys", body: () => ({ name: "ci", scopes: ["gateway"] }), allowed: ADMINS },
  { name: "read the audit log", method: "GET", path: "/audit", allowed: MANAGERS },
  { name: "read who I am", method: "GET", path: "/me", allowed: ALL },
];

describe("what each role may do", () => {
  for (const probe of PROBES) {
    for (const role of ALL) {
      const allowed = probe.allowed.includes(role);
      it(`${role} ${allowed ? "may" : "may not"} ${probe.name}`, async () => {
        const reply = await call(probe.method, probe.path, { token: tokens[role], body: probe.body?.() });
        if (allowed) expect(reply.status, JSON.stringify(reply.body)).toBeLessThan(300);
        else expectError(reply, 403, "forbidden");
      });
    }
  }
});

describe("role escalation", () => {
  it("an admin cannot make an owner, by creating or by promoting", async () => {
    expectError(await call("POST", "/users", { token: tokens.admin, body: { email: uniqueEmail(), name: "X", role: "owner" } }), 403, "forbidden");
    const member = await createTestUser(tenant.tenantId, "member");
    expectError(await call("PATCH", `/users/${member.id}`, { token: tokens.admin, body: { role: "owner" } }), 403, "forbidden");
    const after = expectOk(await call("GET", `/users/${member.id}`, { token: tokens.admin }), 200, UserBody);
    expect(after.role).toBe("member");
  });

  it("an admin-scoped API key acts as an admin: no owners", async () => {
    expectError(await call("POST", "/users", { token: tenant.adminKey, body: { email: uniqueEmail(), name: "X", role: "owner" } }), 403, "forbidden");
  });

  it("an admin cannot demote or disable an owner", async () => {
    const owner = await createTestUser(tenant.tenantId, "owner");
    expectError(await call("PATCH", `/users/${owner.id}`, { token: tokens.admin, body: { role: "viewer" } }), 403, "forbidden");
    expectError(await call("DELETE", `/users/${owner.id}`, { token: tokens.admin }), 403, "forbidden");
  });

  it("an owner can make another owner", async () => {
    const made = expectOk(await call("POST", "/users", { token: tokens.owner, body: { email: uniqueEmail(), name: "Co-owner", role: "owner" } }), 201, UserBody);
    expect(made.role).toBe("owner");
  });

  it("a member cannot change anyone, not even their own role", async () => {
    const member = await createTestUser(tenant.tenantId, "member");
    expectError(await call("PATCH", `/users/${member.id}`, { token: member.accessToken, body: { role: "admin" } }), 403, "forbidden");
  });
});

describe("department admins", () => {
  let deptAdmin: string;
  let southId: string;
  beforeAll(async () => {
    deptAdmin = tokens.department_admin;
    southId = expectOk(await call("POST", "/rooftops", { token: tenant.adminKey, body: { kind: "rooftop", name: "South lot" } }), 201, WithId).id;
  });

  it("create members in their own rooftop (the default) and not elsewhere", async () => {
    const made = expectOk(await call("POST", "/users", { token: deptAdmin, body: { email: uniqueEmail(), name: "Tech", role: "member" } }), 201, UserBody);
    expect(made.rooftopId).toBe(rooftopId);
    const elsewhere = await call("POST", "/users", { token: deptAdmin, body: { email: uniqueEmail(), name: "Tech", role: "member", rooftopId: southId } });
    expectError(elsewhere, 403, "forbidden");
  });

  it("grant only member and viewer", async () => {
    for (const role of ["department_admin", "admin", "owner"]) {
      expectError(await call("POST", "/users", { token: deptAdmin, body: { email: uniqueEmail(), name: "X", role, rooftopId } }), 403, "forbidden");
    }
    const member = await createTestUser(tenant.tenantId, "member", { rooftopId });
    expectError(await call("PATCH", `/users/${member.id}`, { token: deptAdmin, body: { role: "department_admin" } }), 403, "forbidden");
    expectOk(await call("PATCH", `/users/${member.id}`, { token: deptAdmin, body: { role: "viewer" } }), 200, UserBody);
  });

  it("cannot touch users of another rooftop, nor move theirs out", async () => {
    const other = await createTestUser(tenant.tenantId, "member", { rooftopId: southId });
    expectError(await call("PATCH", `/users/${other.id}`, { token: deptAdmin, body: { name: "Renamed" } }), 403, "forbidden");
    expectError(await call("DELETE", `/users/${other.id}`, { token: deptAdmin }), 403, "forbidden");
    const mine = await createTestUser(tenant.tenantId, "member", { rooftopId });
    expectError(await call("PATCH", `/users/${mine.id}`, { token: deptAdmin, body: { rooftopId: southId } }), 403, "forbidden");
    expectOk(await call("DELETE", `/users/${mine.id}`, { token: deptAdmin }), 200, UserBody);
  });

  it("cannot manage an admin of their own rooftop", async () => {
    const admin = await createTestUser(tenant.tenantId, "admin", { rooftopId });
    expectError(await call("DELETE", `/users/${admin.id}`, { token: deptAdmin }), 403, "forbidden");
  });

  it("without a rooftop of their own, manage no one", async () => {
    const loose = await createTestUser(tenant.tenantId, "department_admin");
    expectError(await call("POST", "/users", { token: loose.accessToken, body: { email: uniqueEmail(), name: "X", role: "viewer" } }), 403, "forbidden");
  });
});

describe("the last active owner", () => {
  it("cannot be demoted or disabled; with a second owner it can", async () => {
    const t = await createTestTenant("Solo Motors");
    const owner = await createTestUser(t.tenantId, "owner");
    expect(expectError(await call("PATCH", `/users/${owner.id}`, { token: owner.accessToken, body: { role: "admin" } }), 409, "conflict")).toMatch(/last active owner/);
    expectError(await call("DELETE", `/users/${owner.id}`, { token: owner.accessToken }), 409, "conflict");
    expectError(await call("PATCH", `/users/${owner.id}`, { token: owner.accessToken, body: { status: "disabled" } }), 409, "conflict");

    const second = await createTestUser(t.tenantId, "owner");
    expectOk(await call("PATCH", `/users/${owner.id}`, { token: second.accessToken, body: { role: "admin" } }), 200, UserBody);
    expectError(await call("DELETE", `/users/${second.id}`, { token: second.accessToken }), 409, "conflict");
  });

  it("a disabled owner does not count", async () => {
    const t = await createTestTenant("Two Owners");
    const a = await createTestUser(t.tenantId, "owner");
    const b = await createTestUser(t.tenantId, "owner");
    expectOk(await call("DELETE", `/users/${b.id}`, { token: a.accessToken }), 200, UserBody);
    expectError(await call("PATCH", `/users/${a.id}`, { token: a.accessToken, body: { role: "viewer" } }), 409, "conflict");
  });
});
