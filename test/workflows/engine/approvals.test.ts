/**
 * Approval steps: the request waits in GET /approvals; a member approves (possibly editing
 * what was submitted) or rejects, a viewer cannot, a step is decided once, and an approval
 * nobody decides in time counts as rejected.
 */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { call, createTestUser, expectError, expectOk } from "../../api/helpers";
import { createWorkflow, type Harness, harness, RunDetail, startRun, stepOf, waitForRun, waitForStep } from "../helpers";
import { Engine, HOUR, runRow, stepRow } from "./driver";

const Approvals = z.object({
  data: z.array(z.object({ runId: z.string(), workflowId: z.string(), workflowKey: z.string(), stepId: z.string(), iteration: z.number(), request: z.unknown(), since: z.number(), expiresAt: z.number().nullable() })),
});

function replyApproval(timeout?: string) {
  return {
    name: "Reply approval",
    steps: [
      {
        id: "approve",
        type: "approval",
        title: "Reply to {{ input.name }}",
        summary: "Lead {{ input.leadId }} asked about a RAV4",
        data: { reply: "Hi {{ input.name }}, the RAV4 is in stock." },
        ...(timeout ? { timeout } : {}),
      },
      { id: "after", type: "transform", output: { approved: "{{ steps.approve.approved }}", reply: "{{ steps.approve.data.reply }}", by: "{{ steps.approve.by }}", timedOut: "{{ steps.approve.timedOut }}" } },
    ],
  };
}

async function waitingApproval(h: Harness, name: string) {
  const run = await startRun(h, "reply-approval", { name, leadId: "lead_7" });
  await waitForStep(h, run.id, "approve", "waiting");
  return run;
}

describe("approvals", { timeout: 30_000 }, () => {
  it("lists the waiting request, refuses a viewer, and continues with a member's edit", async () => {
    const h = await harness();
    await createWorkflow(h, "reply-approval", replyApproval());
    const run = await waitingApproval(h, "Dana");

    const listed = expectOk(await call("GET", "/approvals", { token: h.token }), 200, Approvals).data.filter((a) => a.runId === run.id);
    expect(listed).toEqual([
      {
        runId: run.id,
        workflowId: run.workflowId,
        workflowKey: "reply-approval",
        stepId: "approve",
        iteration: 0,
        request: { title: "Reply to Dana", summary: "Lead lead_7 asked about a RAV4", data: { reply: "Hi Dana, the RAV4 is in stock." } },
        since: expect.any(Number),
        expiresAt: null,
      },
    ]);

    const viewer = await createTestUser(h.tenantId, "viewer");
    expectError(await call("POST", `/approvals/${run.id}/approve`, { token: viewer.accessToken, body: { decision: "approve" } }), 403, "forbidden");
    expect(stepOf(await waitForStep(h, run.id, "approve", "waiting"), "approve").status).toBe("waiting");

    const member = await createTestUser(h.tenantId, "member");
    const edited = { reply: "Hi Dana! Your RAV4 is ready for a test drive today." };
    const decided = expectOk(await call("POST", `/approvals/${run.id}/approve`, { token: member.accessToken, body: { decision: "approve", comment: "friendlier", data: edited } }), 200, RunDetail);
    expect(stepOf(decided, "approve")).toMatchObject({ status: "succeeded", output: { decision: "approve", approved: true, by: member.id, comment: "friendlier", data: edited, timedOut: false } });
    const done = await waitForRun(h, run.id, ["complete", "errored"]);
    expect(done.output).toEqual({ approved: true, reply: edited.reply, by: member.id, timedOut: false });
    expect(expectOk(await call("GET", "/approvals", { token: h.token }), 200, Approvals).data.filter((a) => a.runId === run.id)).toEqual([]);

    // Decided once: a second decision is refused.
    expectError(await call("POST", `/approvals/${run.id}/approve`, { token: member.accessToken, body: { decision: "reject" } }), 409, "conflict");
  });

  it("continues with approved false when rejected, keeping what was submitted", async () => {
    const h = await harness();
    await createWorkflow(h, "reply-approval", replyApproval());
    const run = await waitingApproval(h, "Sam");
    const decided = expectOk(await call("POST", `/approvals/${run.id}/approve`, { token: h.token, body: { decision: "reject", comment: "too pushy" } }), 200, RunDetail);
    expect(stepOf(decided, "approve").output).toMatchObject({ decision: "reject", approved: false, comment: "too pushy" });
    const done = await waitForRun(h, run.id, ["complete", "errored"]);
    expect(done.output).toMatchObject({ approved: false, reply: "Hi Sam, the RAV4 is in stock." });
    expectError(await call("POST", `/approvals/${run.id}/approve`, { token: h.token, body: { decision: "approve" } }), 409, "conflict");
  });

  it("refuses decisions on a step that is not an approval, and bad bodies", async () => {
    const h = await harness();
    await createWorkflow(h, "reply-approval", replyApproval());
    const run = await waitingApproval(h, "Lee");
    expectError(await call("POST", `/approvals/${run.id}/after`, { token: h.token, body: { decision: "approve" } }), 409, "conflict");
    expect((await call("POST", `/approvals/${run.id}/approve`, { token: h.token, body: { decision: "maybe" } })).status).toBe(400);
    expectError(await call("POST", `/approvals/run_missing/approve`, { token: h.token, body: { decision: "approve" } }), 404, "not_found");
    expect(stepOf(await waitForStep(h, run.id, "approve", "waiting"), "approve").status).toBe("waiting");
  });

  it("counts an approval nobody decided in time as rejected", async () => {
    const h = await harness();
    await createWorkflow(h, "reply-approval", replyApproval("2h"));
    const e = new Engine();
    const run = await e.start(h.tenantId, "reply-approval", { name: "Kim", leadId: "lead_8" });
    await e.drain();
    expect(await stepRow(run.id, "approve")).toMatchObject({ status: "waiting", waitKind: "approval", wakeAt: e.now + 2 * HOUR });
    expect(e.publishedEvents().find((ev) => ev.type === "workflow.approval.requested")?.data).toMatchObject({ runId: run.id, stepId: "approve", title: "Reply to Kim", expiresAt: e.now + 2 * HOUR });
    await e.advance(2 * HOUR);
    expect(await stepRow(run.id, "approve")).toMatchObject({ status: "succeeded", output: { decision: "reject", approved: false, by: null, timedOut: true } });
    expect(await runRow(h.tenantId, run.id)).toMatchObject({ status: "complete", output: { approved: false, timedOut: true } });
  });
});
