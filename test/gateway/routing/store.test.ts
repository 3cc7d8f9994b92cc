import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { makeDb } from "../../../workers/db";
import { AppError } from "../../../workers/errors";
import { invalidateRoutingRules, loadRoutingRules, parseRoutingRules } from "../../../workers/gateway/routing";
import { routingHistory, saveRoutingRules } from "../../../workers/gateway/routing/store";
import { createTestTenant } from "../../helpers/fixtures";

const db = makeDb(env.DB);

function docOf(yaml: string): unknown {
  const r = parseRoutingRules(yaml);
  if (!r.ok) throw new Error("bad test yaml");
  return r.document;
}

const V1 = "rules:\n  - name: one\n    targets: [openai/gpt-4o-mini]\n";
const V2 = "rules:\n  - name: two\n    targets: [openai/gpt-4o]\n";

describe("routing rules storage", () => {
  it("numbers versions, keeps every one in history, and pages through it", async () => {
    const { tenantId } = await createTestTenant();
    const scope = { db, tenantId };
    const first = await saveRoutingRules(scope, { yaml: V1, document: docOf(V1), actorId: "usr_a" }, 1000);
    const second = await saveRoutingRules(scope, { yaml: V2, document: docOf(V2), actorId: "usr_b" }, 2000);
    const third = await saveRoutingRules(scope, { yaml: V1, document: docOf(V1), actorId: null }, 3000);
    expect([first.version, second.version, third.version]).toEqual([1, 2, 3]);
    const page1 = await routingHistory(scope, { limit: 2 });
    expect(page1.data.map((v) => [v.version, v.createdBy, v.createdAt])).toEqual([[3, null, 3000], [2, "usr_b", 2000]]);
    expect(page1.nextBefore).toBe(2);
    const page2 = await routingHistory(scope, { limit: 2, before: 2 });
    expect(page2.data.map((v) => [v.version, v.yaml, v.id])).toEqual([[1, V1, first.id]]);
    expect(page2.nextBefore).toBeNull();
  });

  it("refuses a save over a version the writer did not see (409), and stores nothing", async () => {
    const { tenantId } = await createTestTenant();
    const scope = { db, tenantId };
    await saveRoutingRules(scope, { yaml: V1, document: docOf(V1), actorId: null, expectedVersion: 0 });
    const err = await saveRoutingRules(scope, { yaml: V2, document: docOf(V2), actorId: null, expectedVersion: 0 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err instanceof AppError && err.status).toBe(409);
    expect((await routingHistory(scope, { limit: 10 })).data.map((v) => v.version)).toEqual([1]);
    expect((await saveRoutingRules(scope, { yaml: V2, document: docOf(V2), actorId: null, expectedVersion: 1 })).version).toBe(2);
  });

  it("gives concurrent saves distinct versions, each in history", async () => {
    const { tenantId } = await createTestTenant();
    const scope = { db, tenantId };
    const saved = await Promise.all(Array.from({ length: 6 }, () => saveRoutingRules(scope, { yaml: V1, document: docOf(V1), actorId: null })));
    expect(saved.map((s) => s.version).sort()).toEqual([1, 2, 3, 4, 5, 6]);
    expect((await routingHistory(scope, { limit: 10 })).data).toHaveLength(6);
  });

  it("the loader caches per isolate, and a save here is seen at once", async () => {
    const { tenantId } = await createTestTenant();
    expect(await loadRoutingRules(db, tenantId)).toBeNull();
    await saveRoutingRules({ db, tenantId }, { yaml: V1, document: docOf(V1), actorId: null });
    expect((await loadRoutingRules(db, tenantId))?.rules.map((r) => r.name)).toEqual(["one"]);
    // A write that bypasses the save path is not seen until the cache is dropped.
    await env.DB.prepare("update routing_rules set parsed = ? where tenant_id = ?").bind(JSON.stringify(docOf(V2)), tenantId).run();
    expect((await loadRoutingRules(db, tenantId))?.rules.map((r) => r.name)).toEqual(["one"]);
    invalidateRoutingRules(tenantId);
    expect((await loadRoutingRules(db, tenantId))?.rules.map((r) => r.name)).toEqual(["two"]);
  });

  it("stored rules that no longer validate route directly instead of failing calls", async () => {
    const { tenantId } = await createTestTenant();
    await saveRoutingRules({ db, tenantId }, { yaml: V1, document: docOf(V1), actorId: null });
    await env.DB.prepare("update routing_rules set parsed = ? where tenant_id = ?").bind(JSON.stringify({ rules: [{ name: "x", retired_key: 1 }] }), tenantId).run();
    invalidateRoutingRules(tenantId);
    expect(await loadRoutingRules(db, tenantId)).toBeNull();
  });
});
