import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { makeDb } from "../../workers/db";
import { AppError } from "../../workers/errors";
import { admitCall, ledgerFailsOpen } from "../../workers/gateway/ledger/client";
import type { LedgerRequest } from "../../workers/gateway/ledger/types";
import { createTestKey, createTestTenant, type TestTenant } from "../helpers/fixtures";
import { call, createTestUser, expectError, expectOk, ListOf } from "./helpers";
import { request } from "../durable-objects/tenant-ledger-helpers";

const RateLimit = z.object({ id: z.string(), scope: z.enum(["tenant", "key"]), apiKeyId: z.string().nullable(), rpm: z.number().nullable(), tpm: z.number().nullable() });
const Settings = z.object({ ledgerFailOpen: z.boolean() });

let t: TestTenant;
let other: TestTenant;

beforeAll(async () => {
  t = await createTestTenant("Limited Motors");
  other = await createTestTenant("Unlimited Motors");
});

const ledgerRequest = (over: Partial<LedgerRequest> = {}): LedgerRequest =>
  request({ estimatedTokens: 10, worstCaseNanoUsd: 0, now: Date.now(), ...over });

describe("/rate-limits", () => {
  it("creates one per tenant and one per key, lists, changes and deletes them", async () => {
    const key = await createTestKey(t.tenantId, ["gateway"]);
    const tenantWide = expectOk(await call("POST", "/rate-limits", { token: t.adminKey, body: { scope: "tenant", rpm: 600, tpm: 200_000 } }), 201, RateLimit);
    expect(tenantWide).toMatchObject({ scope: "tenant", apiKeyId: null, rpm: 600, tpm: 200_000 });
    const perKey = expectOk(await call("POST", "/rate-limits", { token: t.adminKey, body: { scope: "key", apiKeyId: key.id, rpm: 2 } }), 201, RateLimit);
    expect(perKey).toMatchObject({ apiKeyId: key.id, rpm: 2, tpm: null });
    const conflict = await call("POST", "/rate-limits", { token: t.adminKey, body: { scope: "key", apiKeyId: key.id, rpm: 5 } });
    expectError(conflict, 409, "conflict");
    expect(JSON.stringify(conflict.body)).toContain(perKey.id);

    expect(expectOk(await call("GET", "/rate-limits", { token: t.adminKey }), 200, ListOf(RateLimit)).data.map((l) => l.id)).toEqual([tenantWide.id, perKey.id]);
    const patched = expectOk(await call("PATCH", `/rate-limits/${tenantWide.id}`, { token: t.adminKey, body: { tpm: null } }), 200, RateLimit);
    expect(patched).toMatchObject({ rpm: 600, tpm: null });
    expectError(await call("PATCH", `/rate-limits/${tenantWide.id}`, { token: t.adminKey, body: { rpm: null } }), 400, "validation_failed");
    expectOk(await call("DELETE", `/rate-limits/${tenantWide.id}`, { token: t.adminKey }), 200, RateLimit);
    expectError(await call("GET", `/rate-limits/${tenantWide.id}`, { token: t.adminKey }), 404, "not_found");
    const { results } = await env.DB.prepare("select action from audit_log where tenant_id = ? and resource_type = 'rate_limit'").bind(t.tenantId).all<{ action: string }>();
    expect(results.map((r) => r.action).sort()).toEqual(["rate_limit.created", "rate_limit.created", "rate_limit.deleted", "rate_limit.updated"]);
  });

  it("the ledger enforces a new limit from the next call, with headers", async () => {
    const tenant = await createTestTenant("Throttled Motors");
    const key = await createTestKey(tenant.tenantId, ["gateway"]);
    expectOk(await call("POST", "/rate-limits", { token: tenant.adminKey, body: { scope: "key", apiKeyId: key.id, rpm: 1 } }), 201, RateLimit);
    const now = Date.now();
    const ok = await admitCall(env, tenant.tenantId, ledgerRequest({ apiKeyId: key.id, now }));
    expect(ok.headers).toMatchObject({ "x-ratelimit-limit-requests": "1", "x-ratelimit-remaining-requests": "0" });
    const err = await admitCall(env, tenant.tenantId, ledgerRequest({ apiKeyId: key.id, now })).catch((e: unknown) => e);
    expect(err instanceof AppError && [err.status, err.code, err.headers?.["retry-after"]]).toEqual([429, "rate_limited", "60"]);
    // Another key of the same tenant is not held back by this key's limit.
    await admitCall(env, tenant.tenantId, ledgerRequest({ apiKeyId: "key_other", now }));
  });

  it.each([
    ["neither rpm nor tpm", { scope: "tenant" }, "rpm"],
    ["a zero rpm", { scope: "tenant", rpm: 0 }, "rpm"],
    ["a fractional tpm", { scope: "tenant", tpm: 1.5 }, "tpm"],
    ["a key limit without the key", { scope: "key", rpm: 5 }, "apiKeyId"],
    ["a tenant limit naming a key", { scope: "tenant", apiKeyId: "key_x", rpm: 5 }, "apiKeyId"],
    ["an unknown scope", { scope: "user", rpm: 5 }, "scope"],
  ])("refuses %s", async (_, body, path) => {
    const reply = await call("POST", "/rate-limits", { token: t.adminKey, body });
    expectError(reply, 400, "validation_failed");
    expect(JSON.stringify(reply.body)).toContain(`"path":"${path}"`);
  });

  it("refuses a limit on another tenant's key as if it did not exist", async () => {
    const theirs = await createTestKey(other.tenantId, ["gateway"]);
    const msg = expectError(await call("POST", "/rate-limits", { token: t.adminKey, body: { scope: "key", apiKeyId: theirs.id, rpm: 5 } }), 400, "validation_failed");
    expect(msg).toBe(`No API key '${theirs.id}' in this tenant`);
  });
});

describe("/budgets/settings", () => {
  it("fail-closed by default; an admin can choose fail-open, audited, and admission reads it", async () => {
    const tenant = await createTestTenant("Open Motors");
    expect(expectOk(await call("GET", "/budgets/settings", { token: tenant.adminKey }), 200, Settings)).toEqual({ ledgerFailOpen: false });
    expect(await ledgerFailsOpen(makeDb(env.DB), tenant.tenantId)).toBe(false);
    expect(expectOk(await call("PUT", "/budgets/settings", { token: tenant.adminKey, body: { ledgerFailOpen: true } }), 200, Settings)).toEqual({ ledgerFailOpen: true });
    expect(expectOk(await call("GET", "/budgets/settings", { token: tenant.adminKey }), 200, Settings)).toEqual({ ledgerFailOpen: true });
    expect(await ledgerFailsOpen(makeDb(env.DB), tenant.tenantId)).toBe(true);
    const { results } = await env.DB.prepare("select action, before, after from audit_log where tenant_id = ? and resource_type = 'budget_settings'").bind(tenant.tenantId).all();
    expect(results).toEqual([{ action: "budget_settings.updated", before: '{"ledgerFailOpen":false}', after: '{"ledgerFailOpen":true}' }]);
  });

  it("keeps the tenant's other settings, and refuses anything but a boolean", async () => {
    const tenant = await createTestTenant("Settled Motors");
    const owner = await createTestUser(tenant.tenantId, "owner");
    expect((await call("PATCH", "/tenant", { token: owner.accessToken, body: { settings: { brandColor: "#123456" } } })).status).toBe(200);
    expectOk(await call("PUT", "/budgets/settings", { token: owner.accessToken, body: { ledgerFailOpen: true } }), 200, Settings);
    expect(JSON.stringify((await call("GET", "/tenant", { token: owner.accessToken })).body)).toContain("#123456");
    expectError(await call("PUT", "/budgets/settings", { token: owner.accessToken, body: { ledgerFailOpen: "yes" } }), 400, "validation_failed");
    expectError(await call("PUT", "/budgets/settings", { token: owner.accessToken, body: {} }), 400, "validation_failed");
  });
});
