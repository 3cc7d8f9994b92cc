import { exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { call, createTestUser, expectError, expectOk, type TestUser } from "../../api/helpers";
import { createTestKey } from "../../helpers/fixtures";
import { createWorkflow, type Harness, harness, RunBody, RunDetail, waitForStep } from "../helpers";
import { constant, gated, postWorkflow, Workflow } from "./helpers";

let h: Harness;
let viewer: TestUser;
let member: TestUser;
let workflowsKey: string;

beforeAll(async () => {
  h = await harness("Access Motors");
  viewer = await createTestUser(h.tenantId, "viewer");
  member = await createTestUser(h.tenantId, "member");
  workflowsKey = (await createTestKey(h.tenantId, ["workflows"])).key;
  await createWorkflow(h, "gate", gated("ok"));
});

async function heldRun(token: string): Promise<string> {
  const run = expectOk(await call("POST", "/workflows/gate/runs", { token, body: { input: {} } }), 202, RunBody);
  await waitForStep(h, run.id, "gate", "waiting");
  return run.id;
}

describe("roles", () => {
  it("a viewer reads workflows, runs and approvals but cannot create, start, cancel or decide", async () => {
    const runId = await heldRun(h.token);
    const token = viewer.accessToken;
    for (const path of ["/workflows", "/workflows/gate", "/workflows/gate/versions", "/workflows/templates", "/runs", `/runs/${runId}`, "/approvals"]) {
      expect((await call("GET", path, { token })).status, path).toBe(200);
    }
    expectError(await postWorkflow(token, { key: "by-viewer", definition: constant(1) }), 403, "forbidden");
    expectError(await call("PUT", "/workflows/gate", { token, body: { definition: constant(2) } }), 403, "forbidden");
    expectError(await call("PATCH", "/workflows/gate", { token, body: { enabled: false } }), 403, "forbidden");
    expectError(await call("POST", "/workflows/templates/review-response/install", { token, body: {} }), 403, "forbidden");
    expectError(await call("POST", "/workflows/gate/runs", { token, body: { input: {} } }), 403, "forbidden");
    expectError(await call("POST", `/runs/${runId}/cancel`, { token }), 403, "forbidden");
    expectError(await call("POST", `/runs/${runId}/pause`, { token }), 403, "forbidden");
    expectError(await call("POST", "/runs/rerun", { token, body: { status: "errored", from: 0, to: Date.now() } }), 403, "forbidden");
    expectError(await call("POST", `/approvals/${runId}/gate`, { token, body: { decision: "approve" } }), 403, "forbidden");
    // Nothing changed: the run still waits for a decision.
    expect(expectOk(await call("GET", `/runs/${runId}`, { token }), 200, RunDetail).status).toBe("waiting");
  });

  it("a member starts runs and decides approvals", async () => {
    const token = member.accessToken;
    const runId = await heldRun(token);
    const decided = expectOk(await call("POST", `/approvals/${runId}/gate`, { token, body: { decision: "approve" } }), 200, RunDetail);
    expect(decided.steps.find((s) => s.stepId === "gate")?.output).toMatchObject({ approved: true, by: member.id });
    expect(expectOk(await call("POST", `/runs/${await heldRun(token)}/cancel`, { token }), 200, RunBody).status).toBe("terminated");
  });
});

describe("API keys", () => {
  it("a gateway-scoped key is refused on every workflow route", async () => {
    const token = h.gatewayKey;
    expectError(await call("GET", "/workflows", { token }), 403, "insufficient_scope");
    expectError(await call("GET", "/runs", { token }), 403, "insufficient_scope");
    expectError(await call("GET", "/approvals", { token }), 403, "insufficient_scope");
    expectError(await call("POST", "/workflows/gate/runs", { token, body: { input: {} } }), 403, "insufficient_scope");
    expectError(await postWorkflow(token, { key: "by-gateway-key", definition: constant(1) }), 403, "insufficient_scope");
  });

  it("a workflows-scoped key drives workflows end to end", async () => {
    const token = workflowsKey;
    const wf = expectOk(await postWorkflow(token, { key: "by-key", definition: constant("made by key") }), 201, Workflow);
    expect(expectOk(await call("PUT", `/workflows/${wf.id}`, { token, body: { definition: constant("v2") } }), 201, Workflow).latestVersion).toBe(2);
    const runId = await heldRun(token);
    expect(expectOk(await call("GET", "/approvals", { token }), 200, z.object({ data: z.array(z.object({ runId: z.string() })) })).data.map((a) => a.runId)).toContain(runId);
    expectOk(await call("POST", `/approvals/${runId}/gate`, { token, body: { decision: "reject" } }), 200, RunDetail);
    expect((await call("GET", "/runs?workflowId=gate", { token })).status).toBe(200);
  });

  it("a workflows-scoped key can do nothing else", async () => {
    const token = workflowsKey;
    for (const [method, path, body] of [
      ["GET", "/tenant"],
      ["GET", "/users"],
      ["GET", "/keys"],
      ["POST", "/keys", { name: "escalate", scopes: ["admin"] }],
      ["GET", "/audit"],
      ["GET", "/usage/summary"],
      ["GET", "/gateway/aliases"],
      ["GET", "/webhooks/endpoints"],
    ] as const) {
      expectError(await call(method, path, { token, body }), 403, "forbidden");
    }
    const chat = await exports.default.fetch("http://auterity.test/v1/chat/completions", {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] }),
    });
    expect(chat.status).toBe(403);
  });
});

describe("other tenants", () => {
  it("never see this tenant's waiting approvals, runs or workflows in their lists", async () => {
    const runId = await heldRun(h.token);
    const other = await harness("Elsewhere Motors");
    for (const path of ["/approvals", "/runs", "/workflows"]) {
      const seen = await call("GET", path, { token: other.token });
      expect(seen.status).toBe(200);
      expect(JSON.stringify(seen.body), path).not.toContain(runId);
      expect(JSON.stringify(seen.body), path).not.toContain("gate");
    }
  });
});

const Audit = z.object({ data: z.array(z.object({ action: z.string(), actorId: z.string().nullable(), actorType: z.string(), resourceId: z.string().nullable(), after: z.record(z.string(), z.unknown()).nullable() })) });

async function auditOf(resourceId: string) {
  return expectOk(await call("GET", `/audit?resourceId=${resourceId}`, { token: h.token }), 200, Audit).data;
}

describe("audit", () => {
  it("creating, saving a version, starting, cancelling and deciding are recorded with who did it", async () => {
    const owner = await createTestUser(h.tenantId, "owner");
    const token = owner.accessToken;
    const wf = expectOk(await postWorkflow(token, { key: "audited", definition: gated("a") }), 201, Workflow);
    expectOk(await call("PUT", `/workflows/${wf.id}`, { token, body: { definition: gated("b") } }), 201, Workflow);
    // An unchanged save adds no version and no entry.
    expectOk(await call("PUT", `/workflows/${wf.id}`, { token, body: { definition: gated("b") } }), 200, Workflow);
    const wfEntries = await auditOf(wf.id);
    expect(wfEntries.map((e) => e.action)).toEqual(["workflow.version_saved", "workflow.created"]);
    expect(wfEntries[0]).toMatchObject({ actorId: owner.id, actorType: "user", after: { version: 2 } });

    const cancelled = expectOk(await call("POST", "/workflows/audited/runs", { token, body: { input: {} } }), 202, RunBody);
    expectOk(await call("POST", `/runs/${cancelled.id}/cancel`, { token }), 200, RunBody);
    expect((await auditOf(cancelled.id)).map((e) => e.action)).toEqual(["workflow_run.cancel", "workflow_run.started"]);

    const approved = expectOk(await call("POST", "/workflows/audited/runs", { token, body: { input: {} } }), 202, RunBody);
    await waitForStep(h, approved.id, "gate", "waiting");
    expectOk(await call("POST", `/approvals/${approved.id}/gate`, { token: workflowsKey, body: { decision: "approve", comment: "looks right" } }), 200, RunDetail);
    const [decision] = await auditOf(approved.id);
    expect(decision).toMatchObject({ action: "workflow_approval.approved", actorType: "api_key", after: { stepId: "gate", comment: "looks right" } });
  });

  it("a refused call leaves no entry", async () => {
    const all = async () => expectOk(await call("GET", "/audit?limit=200", { token: h.token }), 200, Audit).data;
    const before = (await all()).length;
    expect(before).toBeGreaterThan(0);
    expectError(await postWorkflow(viewer.accessToken, { key: "refused", definition: constant(1) }), 403, "forbidden");
    expectError(await postWorkflow(h.token, { key: "refused", definition: { name: "X", steps: [] } }), 400, "validation_failed");
    expect((await all()).length).toBe(before);
  });
});
