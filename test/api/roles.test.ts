import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createTestTenant } from "../helpers/fixtures";
import { call, createTestUser, expectError, expectOk, ListOf } from "./helpers";

const Roles = ListOf(z.object({ role: z.string(), permissions: z.array(z.string()), grantable: z.boolean() }));

describe("GET /api/v1/roles", () => {
  it("lists every role with the permissions the platform enforces", async () => {
    const { tenantId } = await createTestTenant();
    const owner = await createTestUser(tenantId, "owner");
    const body = expectOk(await call("GET", "/roles", { token: owner.accessToken }), 200, Roles);
    const byRole = Object.fromEntries(body.data.map((r) => [r.role, r]));
    expect(body.data.map((r) => r.role)).toEqual(["owner", "admin", "department_admin", "member", "viewer"]);
    expect(byRole.viewer?.permissions).toContain("usage:read");
    expect(byRole.viewer?.permissions).not.toContain("audit:read");
    expect(byRole.viewer?.permissions.some((p) => p.endsWith(":write"))).toBe(false);
    expect(byRole.member?.permissions).toContain("workflows:approve");
    expect(byRole.admin?.permissions).toContain("keys:write");
    expect(body.data.every((r) => r.grantable)).toBe(true);
  });

  it("says which roles the caller may grant", async () => {
    const { tenantId } = await createTestTenant();
    const admin = await createTestUser(tenantId, "admin");
    const asAdmin = expectOk(await call("GET", "/roles", { token: admin.accessToken }), 200, Roles);
    expect(asAdmin.data.filter((r) => r.grantable).map((r) => r.role)).toEqual(["admin", "department_admin", "member", "viewer"]);
    const dept = await createTestUser(tenantId, "department_admin");
    const asDept = expectOk(await call("GET", "/roles", { token: dept.accessToken }), 200, Roles);
    expect(asDept.data.filter((r) => r.grantable).map((r) => r.role)).toEqual(["member", "viewer"]);
  });

  it("refuses a caller without credentials", async () => {
    expectError(await call("GET", "/roles"), 401, "unauthorized");
  });
});
