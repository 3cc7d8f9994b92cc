import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { AppError } from "../../workers/errors";
import { admitCall, settleCall } from "../../workers/gateway/ledger/client";
import type { LedgerRequest } from "../../workers/gateway/ledger/types";
import { createTestKey, createTestTenant, type TestTenant } from "../helpers/fixtures";
import { call, createTestUser, expectError, expectOk, ListOf } from "./helpers";
import { request } from "../durable-objects/tenant-ledger-helpers";

const Budget = z.object({
  id: z.string(),
  name: z.string(),
  scope: z.string(),
  scopeId: z.string().nullable(),
  limitNanoUsd: z.number(),
  limitUsd: z.number(),
  window: z.string(),
  action: z.string(),
  degradeTo: z.string().nullable(),
  degradeAtPercent: z.number(),
  thresholds: z.array(z.number()),
  enabled: z.boolean(),
});
const Spend = z.object({
  budgetId: z.string(),
  spentNanoUsd: z.number(),
  reservedNanoUsd: z.number(),
  remainingNanoUsd: z.number(),
  limitNanoUsd: z.number(),
  spentUsd: z.number(),
  remainingUsd: z.number(),
  percent: z.number(),
  windowStart: z.number(),
  windowEnd: z.number(),
});

let t: TestTenant;
let other: TestTenant;

beforeAll(async () => {
  t = await createTestTenant("Budgeted Motors");
  other = await createTestTenant("Other Motors");
});

const ledgerRequest = (over: Partial<LedgerRequest> = {}): LedgerRequest =>
  request({ estimatedTokens: 10, worstCaseNanoUsd: 1_000_000, now: Date.now(), ...over });

async function auditActions(tenantId: string, resourceType: string): Promise<string[]> {
  const { results } = await env.DB.prepare("select action from audit_log where tenant_id = ? and resource_type = ? order by id").bind(tenantId, resourceType).all<{ action: string }>();
  return results.map((r) => r.action);
}

describe("/budgets", () => {
  it("creates with defaults, lists, reads, changes and deletes, auditing each change", async () => {
    const created = expectOk(await call("POST", "/budgets", { token: t.adminKey, body: { scope: "tenant", limitUsd: 250, window: "month" } }), 201, Budget);
    expect(created).toMatchObject({ name: "Tenant month", scopeId: null, limitNanoUsd: 250_000_000_000, action: "hard", thresholds: [50, 80, 100], degradeAtPercent: 100, enabled: true });
    expect(created.id).toMatch(/^bud_/);
    expect(expectOk(await call("GET", "/budgets", { token: t.adminKey }), 200, ListOf(Budget)).data.map((b) => b.id)).toContain(created.id);
    const patched = expectOk(await call("PATCH", `/budgets/${created.id}`, { token: t.adminKey, body: { limitUsd: 100.5, thresholds: [90, 25, 90] } }), 200, Budget);
    expect(patched).toMatchObject({ limitNanoUsd: 100_500_000_000, limitUsd: 100.5, thresholds: [25, 90], window: "month" });
    expect(expectOk(await call("GET", `/budgets/${created.id}`, { token: t.adminKey }), 200, Budget)).toEqual(patched);
    expectOk(await call("DELETE", `/budgets/${created.id}`, { token: t.adminKey }), 200, Budget);
    expectError(await call("GET", `/budgets/${created.id}`, { token: t.adminKey }), 404, "not_found");
    expect(await auditActions(t.tenantId, "budget")).toEqual(expect.arrayContaining(["budget.created", "budget.updated", "budget.deleted"]));
  });

  it.each([
    ["an unknown window", { scope: "tenant", limitUsd: 1, window: "fortnight" }, "window"],
    ["a rolling window over 31 days", { scope: "tenant", limitUsd: 1, window: "32d" }, "window"],
    ["a zero limit", { scope: "tenant", limitUsd: 0, window: "day" }, "limitUsd"],
    ["a limit as a string", { scope: "tenant", limitUsd: "10", window: "day" }, "limitUsd"],
    ["a threshold over 100", { scope: "tenant", limitUsd: 1, window: "day", thresholds: [150] }, "thresholds.0"],
    ["an unknown field", { scope: "tenant", limitUsd: 1, window: "day", currency: "EUR" }, "(root)"],
    ["a tenant budget naming an id", { scope: "tenant", scopeId: "key_x", limitUsd: 1, window: "day" }, "scopeId"],
    ["a key budget without the key", { scope: "key", limitUsd: 1, window: "day" }, "scopeId"],
    ["a key that does not exist", { scope: "key", scopeId: "key_nope", limitUsd: 1, window: "day" }, "scopeId"],
    ["a degrade budget without a model", { scope: "tenant", limitUsd: 1, window: "day", action: "degrade" }, "degradeTo"],
    ["a degrade budget to a model nobody serves", { scope: "tenant", limitUsd: 1, window: "day", action: "degrade", degradeTo: "nope/model" }, "degradeTo"],
    ["a hard budget with a degrade model", { scope: "tenant", limitUsd: 1, window: "day", degradeTo: "openai/gpt-4o-mini" }, "degradeTo"],
  ])("refuses %s", async (_, body, path) => {
    const reply = await call("POST", "/budgets", { token: t.adminKey, body });
    expectError(reply, 400, "validation_failed");
    expect(JSON.stringify(reply.body)).toContain(`"path":"${path}"`);
  });

  it("refuses a budget on another tenant's key or user as if they did not exist", async () => {
    const theirKey = await createTestKey(other.tenantId, ["gateway"]);
    const theirUser = await createTestUser(other.tenantId, "member");
    for (const [scope, scopeId] of [["key", theirKey.id], ["user", theirUser.id]]) {
      const msg = expectError(await call("POST", "/budgets", { token: t.adminKey, body: { scope, scopeId, limitUsd: 1, window: "day" } }), 400, "validation_failed");
      expect(msg).toContain("in this tenant");
    }
    const mine = expectOk(await call("POST", "/budgets", { token: t.adminKey, body: { scope: "tag", scopeId: "bdc", limitUsd: 1, window: "day" } }), 201, Budget);
    expectError(await call("PATCH", `/budgets/${mine.id}`, { token: t.adminKey, body: { scope: "key", scopeId: theirKey.id } }), 400, "validation_failed");
  });

  it("accepts budgets on this tenant's keys and users, and a degrade to a catalog model", async () => {
    const key = await createTestKey(t.tenantId, ["gateway"]);
    const user = await createTestUser(t.tenantId, "member");
    expectOk(await call("POST", "/budgets", { token: t.adminKey, body: { scope: "key", scopeId: key.id, limitUsd: 5, window: "24h", action: "soft" } }), 201, Budget);
    expectOk(await call("POST", "/budgets", { token: t.adminKey, body: { scope: "user", scopeId: user.id, limitUsd: 5, window: "day" } }), 201, Budget);
    const degrade = expectOk(
      await call("POST", "/budgets", { token: t.adminKey, body: { name: "Cheap after 80%", scope: "tenant", limitUsd: 5, window: "7d", action: "degrade", degradeTo: "gpt-4o-mini", degradeAtPercent: 80 } }),
      201,
      Budget,
    );
    expect(degrade).toMatchObject({ name: "Cheap after 80%", degradeTo: "gpt-4o-mini", degradeAtPercent: 80 });
    // Switching it to hard drops the degrade model.
    expect(expectOk(await call("PATCH", `/budgets/${degrade.id}`, { token: t.adminKey, body: { action: "hard" } }), 200, Budget).degradeTo).toBeNull();
  });

  it("viewers may read budgets and spend but not change them; gateway keys may do neither", async () => {
    const viewer = await createTestUser(t.tenantId, "viewer");
    expect((await call("GET", "/budgets", { token: viewer.accessToken })).status).toBe(200);
    expect((await call("GET", "/spend", { token: viewer.accessToken })).status).toBe(200);
    expectError(await call("POST", "/budgets", { token: viewer.accessToken, body: { scope: "tenant", limitUsd: 1, window: "day" } }), 403, "forbidden");
    expectError(await call("PUT", "/budgets/settings", { token: viewer.accessToken, body: { ledgerFailOpen: true } }), 403, "forbidden");
    expectError(await call("GET", "/budgets", { token: t.gatewayKey }), 403, "insufficient_scope");
  });
});

describe("/spend", () => {
  it("shows each budget's spent, reserved and remaining as calls are admitted and settled", async () => {
    const tenant = await createTestTenant("Spend Gauges");
    const created = expectOk(await call("POST", "/budgets", { token: tenant.adminKey, body: { scope: "tenant", limitUsd: 0.01, window: "day" } }), 201, Budget);
    const admission = await admitCall(env, tenant.tenantId, ledgerRequest({ worstCaseNanoUsd: 4_000_000 }));
    let view = expectOk(await call("GET", `/budgets/${created.id}/spend`, { token: tenant.adminKey }), 200, Spend);
    expect(view).toMatchObject({ spentNanoUsd: 0, reservedNanoUsd: 4_000_000, remainingNanoUsd: 6_000_000, remainingUsd: 0.006, percent: 0 });
    expect(view.windowEnd - view.windowStart).toBeGreaterThanOrEqual(23 * 3_600_000);

    await settleCall(env, tenant.tenantId, admission.reservationId, { nanoUsd: 2_500_000, tokens: 10 });
    view = expectOk(await call("GET", "/spend", { token: tenant.adminKey }), 200, ListOf(Spend)).data[0] ?? view;
    expect(view).toMatchObject({ budgetId: created.id, spentNanoUsd: 2_500_000, spentUsd: 0.0025, reservedNanoUsd: 0, percent: 25 });
    expectError(await call("GET", "/budgets/bud_doesNotExist/spend", { token: tenant.adminKey }), 404, "not_found");
  });

  it("a change applies to the very next call", async () => {
    const tenant = await createTestTenant("Tightened Motors");
    const created = expectOk(await call("POST", "/budgets", { token: tenant.adminKey, body: { scope: "tenant", limitUsd: 1, window: "month" } }), 201, Budget);
    await admitCall(env, tenant.tenantId, ledgerRequest({ worstCaseNanoUsd: 2_000_000 }));
    expectOk(await call("PATCH", `/budgets/${created.id}`, { token: tenant.adminKey, body: { limitUsd: 0.003 } }), 200, Budget);
    const err = await admitCall(env, tenant.tenantId, ledgerRequest({ worstCaseNanoUsd: 2_000_000 })).catch((e: unknown) => e);
    expect(err instanceof AppError && [err.status, err.code]).toEqual([402, "budget_exceeded"]);
    expectOk(await call("DELETE", `/budgets/${created.id}`, { token: tenant.adminKey }), 200, Budget);
    await admitCall(env, tenant.tenantId, ledgerRequest({ worstCaseNanoUsd: 2_000_000 }));
    expect(expectOk(await call("GET", "/spend", { token: tenant.adminKey }), 200, ListOf(Spend)).data).toEqual([]);
  });
});
