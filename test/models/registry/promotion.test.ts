import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { makeDb } from "../../../workers/db";
import { promote, rollback, type RegistryDeps } from "../../../workers/models/registry/aliases";
import { call, expectError, expectOk } from "../../api/helpers";
import { createTestTenant } from "../../helpers/fixtures";
import { addScenario } from "../../gateway/helpers";
import { RecordingQueue } from "../../webhooks/helpers";
import { addVersion, auditOf, createModel, ModelBody, promote as promoteApi, simModel } from "./helpers";

const t = await createTestTenant("Promotion Motors");
const other = await createTestTenant("Other Promotion Motors");

const EvalRun = z.object({ versionId: z.string(), status: z.enum(["completed", "failed"]), meanScore: z.number(), exampleCount: z.number(), scores: z.array(z.object({ score: z.number(), overlap: z.number().nullable(), error: z.string().nullable() })) });
const EvalReply = z.object({ batchId: z.string(), candidate: EvalRun, champion: EvalRun.nullable() });

const EVAL_SET = [
  { messages: [{ role: "user", content: "Is the 2024 RAV4 still available for a test drive?" }], expected: "Thanks for reaching out about the RAV4" },
  { messages: [{ role: "user", content: "Can I book an oil change on Saturday?" }] },
  { messages: [{ role: "system", content: "You are a helpful dealership assistant." }, { role: "user", content: "What are your service hours?" }] },
  { messages: [{ role: "user", content: "Do you take trade-ins?" }], expected: "Thanks for reaching out" },
];

function depsWithQueue(): { deps: RegistryDeps; queue: RecordingQueue } {
  const queue = new RecordingQueue();
  const deps: RegistryDeps = { scope: { db: makeDb(env.DB), tenantId: t.tenantId }, env: { ...env, EVENTS_QUEUE: queue }, actor: { actorType: "user", actorId: "usr_test" }, now: Date.now() };
  return { deps, queue };
}

const Event = z.object({ type: z.string(), tenantId: z.string(), data: z.record(z.string(), z.unknown()) });

describe("promotion and rollback", () => {
  it("moves aliases, keeps history, rolls the champion back step by step, with audit and events", async () => {
    const m = await createModel(t.adminKey);
    const [v1, v2, v3] = [await addVersion(t.adminKey, m.id), await addVersion(t.adminKey, m.id), await addVersion(t.adminKey, m.id)];
    const { deps, queue } = depsWithQueue();
    for (const v of [v1, v2, v3]) await promote(deps, m.id, { versionId: v.id, alias: "champion", force: true, mayForce: true });
    const events = queue.take().map((s) => Event.parse(s.body));
    expect(events.map((e) => [e.type, e.data.versionId, e.data.previousVersionId])).toEqual([
      ["model.version.promoted", v1.id, null],
      ["model.version.promoted", v2.id, v1.id],
      ["model.version.promoted", v3.id, v2.id],
    ]);
    expect(await rollback(deps, m.id)).toEqual({ versionId: v2.id, fromVersionId: v3.id });
    expect(await rollback(deps, m.id)).toEqual({ versionId: v1.id, fromVersionId: v2.id });
    await expect(rollback(deps, m.id)).rejects.toMatchObject({ code: "conflict" });
    expect(queue.take().map((s) => Event.parse(s.body)).map((e) => [e.type, e.data.versionId, e.data.fromVersionId])).toEqual([
      ["model.version.rolled_back", v2.id, v3.id],
      ["model.version.rolled_back", v1.id, v2.id],
    ]);
    const detail = expectOk(await call("GET", `/models/${m.id}`, { token: t.adminKey }), 200, ModelBody.extend({ aliasHistory: z.array(z.object({ action: z.string(), versionId: z.string() })) }));
    expect(detail.aliases.champion).toBe(v1.id);
    expect(detail.aliasHistory.map((h) => h.action)).toEqual(["rollback", "rollback", "promote", "promote", "promote"]);
    const audited = (await auditOf(t.tenantId, m.id)).map((a) => a.action);
    expect(audited.filter((a) => a.startsWith("model.version.promoted"))).toHaveLength(3);
    expect(audited.filter((a) => a === "model.version.rolled_back")).toHaveLength(2);
  });

  it("promotes through the API, audited; a challenger promoted to champion leaves the challenger slot", async () => {
    const m = await createModel(t.adminKey);
    const v1 = await addVersion(t.adminKey, m.id);
    const first = await promoteApi(t.adminKey, m.id, v1.id, "challenger");
    expect(first.status).toBe(200);
    const again = await promoteApi(t.adminKey, m.id, v1.id, "challenger");
    expect(z.object({ changed: z.boolean() }).parse(again.body).changed).toBe(false);
    expect((await promoteApi(t.adminKey, m.id, v1.id, "champion")).status).toBe(200);
    const after = expectOk(await call("GET", `/models/${m.id}`, { token: t.adminKey }), 200, ModelBody);
    expect(after.aliases).toEqual({ champion: v1.id, challenger: null });
    expect(after.canaryPercent).toBe(0);
    const audit = await auditOf(t.tenantId, m.id);
    expect(audit.filter((a) => a.action === "model.version.promoted")).toHaveLength(2);
    expect(audit.every((a) => a.actor_type === "api_key")).toBe(true);
  });

  it("refuses unknown versions, other tenants' models, bad aliases and a rollback without history", async () => {
    const m = await createModel(t.adminKey);
    const v1 = await addVersion(t.adminKey, m.id);
    expectError(await promoteApi(t.adminKey, m.id, "mv_nope", "champion"), 404, "not_found");
    expectError(await call("POST", `/models/${m.id}/promote`, { token: t.adminKey, body: { versionId: v1.id, alias: "latest" } }), 400, "validation_failed");
    expectError(await promoteApi(other.adminKey, m.id, v1.id, "champion"), 404, "not_found");
    expectError(await call("POST", `/models/${m.id}/rollback`, { token: t.adminKey }), 409, "conflict");
    expect((await promoteApi(t.adminKey, m.id, v1.id, "champion")).status).toBe(200);
    expectError(await call("POST", `/models/${m.id}/rollback`, { token: t.adminKey }), 409, "conflict");
    expectError(await call("POST", `/models/${m.id}/rollback`, { token: other.adminKey }), 404, "not_found");
  });
});

describe("the eval gate", () => {
  it("blocks a worse candidate, lets an equal-or-better one through, and lets an admin force it (audited)", async () => {
    const m = await createModel(t.adminKey);
    expect((await call("PATCH", `/models/${m.id}`, { token: t.adminKey, body: { evalMargin: 20 } })).status).toBe(200);
    const champion = await addVersion(t.adminKey, m.id, simModel("champ"));
    expect((await promoteApi(t.adminKey, m.id, champion.id, "champion")).status).toBe(200);

    const flakyModel = simModel("flaky");
    const worse = await addVersion(t.adminKey, m.id, flakyModel);
    await addScenario({ match: { model: flakyModel }, status: 500, times: 2 });
    const first = expectOk(await call("POST", `/models/${m.id}/evals`, { token: t.adminKey, body: { versionId: worse.id, evalSet: EVAL_SET } }), 201, EvalReply);
    expect(first.candidate).toMatchObject({ versionId: worse.id, status: "completed", exampleCount: 4 });
    expect(first.candidate.scores.filter((s) => s.error !== null)).toHaveLength(2);
    expect(first.champion?.versionId).toBe(champion.id);
    expect(first.champion?.scores.every((s) => s.error === null && s.score > 0)).toBe(true);
    expect(first.champion?.scores[0]?.overlap).toBeGreaterThan(0);
    expect(first.candidate.meanScore).toBeLessThan((first.champion?.meanScore ?? 0) - 20);
    expectError(await promoteApi(t.adminKey, m.id, worse.id, "champion"), 409, "conflict");

    const better = await addVersion(t.adminKey, m.id, simModel("better"));
    expectError(await promoteApi(t.adminKey, m.id, better.id, "champion"), 409, "conflict");
    // The stored eval set is reused when none is sent.
    const second = expectOk(await call("POST", `/models/${m.id}/evals`, { token: t.adminKey, body: { versionId: better.id } }), 201, EvalReply);
    expect(second.candidate.scores.every((s) => s.error === null)).toBe(true);
    expect(second.candidate.meanScore).toBeGreaterThanOrEqual((second.champion?.meanScore ?? 0) - 20);
    expect((await promoteApi(t.adminKey, m.id, better.id, "champion")).status).toBe(200);

    const forced = await promoteApi(t.adminKey, m.id, worse.id, "champion", true);
    expect(forced.status).toBe(200);
    expect(z.object({ forced: z.boolean() }).parse(forced.body).forced).toBe(true);
    expect((await auditOf(t.tenantId, m.id)).map((a) => a.action)).toContain("model.version.promoted_forced");

    const runs = expectOk(await call("GET", `/models/${m.id}/evals`, { token: t.adminKey }), 200, z.object({ data: z.array(EvalRun) }));
    expect(runs.data).toHaveLength(4);
  });

  it("refuses an eval without a set, with a malformed set, or for another tenant", async () => {
    const m = await createModel(t.adminKey);
    const v = await addVersion(t.adminKey, m.id);
    expectError(await call("POST", `/models/${m.id}/evals`, { token: t.adminKey, body: { versionId: v.id } }), 400, "validation_failed");
    expectError(await call("POST", `/models/${m.id}/evals`, { token: t.adminKey, body: { versionId: v.id, evalSet: [] } }), 400, "validation_failed");
    expectError(await call("POST", `/models/${m.id}/evals`, { token: t.adminKey, body: { versionId: v.id, evalSet: [{ messages: [{ role: "robot", content: "x" }] }] } }), 400, "validation_failed");
    expectError(await call("POST", `/models/${m.id}/evals`, { token: other.adminKey, body: { versionId: v.id, evalSet: EVAL_SET } }), 404, "not_found");
  });
});
