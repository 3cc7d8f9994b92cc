import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { call, createTestUser, expectError, expectOk, ListOf, WithId } from "./helpers";
import { createTestTenant, type TestTenant } from "../helpers/fixtures";

const Tenant = z.object({ id: z.string(), name: z.string(), timezone: z.string(), settings: z.record(z.string(), z.unknown()) });
const Rooftop = z.object({ id: z.string(), kind: z.enum(["rooftop", "department"]), name: z.string(), parentId: z.string().nullable(), timezone: z.string().nullable() });

let t: TestTenant;
beforeAll(async () => {
  t = await createTestTenant("Lakeside Auto");
});

describe("/tenant", () => {
  it("reads and renames the caller's tenant and sets its time zone", async () => {
    expect(expectOk(await call("GET", "/tenant", { token: t.adminKey }), 200, Tenant)).toMatchObject({ id: t.tenantId, name: "Lakeside Auto" });
    const patched = expectOk(await call("PATCH", "/tenant", { token: t.adminKey, body: { name: "Lakeside Auto Group", timezone: "America/Phoenix" } }), 200, Tenant);
    expect(patched).toMatchObject({ name: "Lakeside Auto Group", timezone: "America/Phoenix" });
    expect(expectOk(await call("GET", "/tenant", { token: t.adminKey }), 200, Tenant).timezone).toBe("America/Phoenix");
  });

  it("merges settings one level deep; null removes a key", async () => {
    await call("PATCH", "/tenant", { token: t.adminKey, body: { settings: { brand: "Lakeside", locale: "en-US" } } });
    const merged = expectOk(await call("PATCH", "/tenant", { token: t.adminKey, body: { settings: { locale: null, crm: { vendor: "dms" } } } }), 200, Tenant);
    expect(merged.settings).toEqual({ brand: "Lakeside", crm: { vendor: "dms" } });
  });
});

describe("/rooftops", () => {
  let north: string;
  beforeAll(async () => {
    north = expectOk(await call("POST", "/rooftops", { token: t.adminKey, body: { kind: "rooftop", name: "North", timezone: "America/Chicago" } }), 201, Rooftop).id;
  });

  it("creates departments under a rooftop, and lists them by parent or kind", async () => {
    const service = expectOk(await call("POST", "/rooftops", { token: t.adminKey, body: { kind: "department", name: "Service", parentId: north } }), 201, Rooftop);
    expect(service).toMatchObject({ kind: "department", parentId: north, timezone: null });
    const children = expectOk(await call("GET", `/rooftops?parentId=${north}`, { token: t.adminKey }), 200, ListOf(Rooftop));
    expect(children.data.map((r) => r.id)).toEqual([service.id]);
    const tops = expectOk(await call("GET", "/rooftops?kind=rooftop", { token: t.adminKey }), 200, ListOf(Rooftop));
    expect(tops.data.every((r) => r.kind === "rooftop")).toBe(true);
    expect(expectOk(await call("GET", `/rooftops/${service.id}`, { token: t.adminKey }), 200, Rooftop).name).toBe("Service");
  });

  it("keeps two levels: departments need a rooftop parent, rooftops have none", async () => {
    const dept = expectOk(await call("POST", "/rooftops", { token: t.adminKey, body: { kind: "department", name: "Parts", parentId: north } }), 201, WithId).id;
    const cases = [
      { kind: "department", name: "Orphan" },
      { kind: "department", name: "Nested", parentId: dept },
      { kind: "department", name: "Ghost", parentId: "rft_doesnotexist" },
      { kind: "rooftop", name: "Child lot", parentId: north },
    ];
    for (const body of cases) {
      const reply = await call("POST", "/rooftops", { token: t.adminKey, body });
      expect(expectError(reply, 400, "validation_failed")).toMatch(/parentId/);
    }
  });

  it("renames, and refuses to delete while departments or users remain", async () => {
    const east = expectOk(await call("POST", "/rooftops", { token: t.adminKey, body: { kind: "rooftop", name: "East" } }), 201, WithId).id;
    const dept = expectOk(await call("POST", "/rooftops", { token: t.adminKey, body: { kind: "department", name: "Sales", parentId: east } }), 201, WithId).id;
    expect(expectOk(await call("PATCH", `/rooftops/${east}`, { token: t.adminKey, body: { name: "East Side" } }), 200, Rooftop).name).toBe("East Side");

    expectError(await call("DELETE", `/rooftops/${east}`, { token: t.adminKey }), 409, "conflict");
    const user = await createTestUser(t.tenantId, "member", { rooftopId: dept });
    expectError(await call("DELETE", `/rooftops/${dept}`, { token: t.adminKey }), 409, "conflict");
    await call("PATCH", `/users/${user.id}`, { token: t.adminKey, body: { rooftopId: null } });
    expect((await call("DELETE", `/rooftops/${dept}`, { token: t.adminKey })).status).toBe(204);
    expect((await call("DELETE", `/rooftops/${east}`, { token: t.adminKey })).status).toBe(204);
    expectError(await call("GET", `/rooftops/${east}`, { token: t.adminKey }), 404, "not_found");
  });
});
