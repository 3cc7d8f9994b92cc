/**
 * The review-response template: a low-star review gets an AI-drafted reply that waits for a
 * manager. GET /approvals shows the draft; approving (with an edit) publishes
 * review.response.approved carrying what the manager approved; rejecting publishes nothing.
 */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { call, createTestUser, expectError, expectOk } from "../../api/helpers";
import { RunDetail, startRun, stepOf, waitForRun, waitForStep } from "../helpers";
import { type Dealer, dealer, eventsOf, waitForEvents, zoneWhereHourIs } from "./helpers";

const REVIEW = {
  reviewId: "rev_g_8841",
  platform: "google",
  rating: 2,
  author: "Sam Ortiz",
  text: "Terrible experience. Waited two hours for an oil change and nobody told me why. Very disappointed.",
};

const Approval = z.object({
  runId: z.string(),
  workflowKey: z.string(),
  stepId: z.string(),
  request: z.object({ title: z.string(), summary: z.string(), data: z.object({ response: z.string(), quality: z.unknown() }) }),
});

/** A review-response run of `d`, waiting at its approval step; answers the run and the drafted reply. */
async function draftedReply(d: Dealer, review = REVIEW): Promise<{ runId: string; draft: string }> {
  const run = await startRun(d, "review-response", review);
  const waiting = await waitForStep(d, run.id, "approve", "waiting");
  expect(waiting.status).toBe("waiting");
  expect(stepOf(waiting, "sentiment").output).toMatchObject({ label: "negative" });
  return { runId: run.id, draft: z.object({ text: z.string() }).parse(stepOf(waiting, "draft").output).text };
}

async function approvals(d: Dealer) {
  return expectOk(await call("GET", "/approvals", { token: d.token }), 200, z.object({ data: z.array(Approval) })).data;
}

describe("review response", { timeout: 60_000 }, () => {
  it("holds the draft for a manager, and publishes the text the manager edited and approved", async () => {
    const d = await dealer("review-response", zoneWhereHourIs(11), ["review.response.approved"]);
    const { runId, draft } = await draftedReply(d);
    expect(draft).toContain("Review (2 stars on google) by Sam Ortiz");

    const [pending] = await approvals(d);
    expect(pending).toMatchObject({ runId, workflowKey: "review-response", stepId: "approve" });
    expect(pending?.request).toMatchObject({ title: "Reply to Sam Ortiz's 2-star review", summary: REVIEW.text, data: { response: draft } });

    const manager = await createTestUser(d.tenantId, "member");
    const edited = "Sam, I'm sorry you waited two hours without an update. That is not our standard. Please call me directly so I can make it right. — Jordan, Service Manager";
    const decided = expectOk(
      await call("POST", `/approvals/${runId}/approve`, { token: manager.accessToken, body: { decision: "approve", comment: "Softer tone", data: { response: edited } } }),
      200,
      RunDetail,
    );
    expect(stepOf(decided, "approve")).toMatchObject({ status: "succeeded", output: { approved: true, by: manager.id, comment: "Softer tone", data: { response: edited } } });

    const done = await waitForRun(d, runId, ["complete", "errored"]);
    expect(done.status).toBe("complete");
    expect(done.output).toEqual({ approved: true, response: edited });
    const [published] = await waitForEvents(d.partner, "review.response.approved", 1);
    expect(published?.verified).toBe(true);
    expect(published?.data).toEqual({ reviewId: REVIEW.reviewId, platform: "google", response: edited, approvedBy: manager.id, runId });
    expect(await approvals(d)).toEqual([]);
  });

  it("publishes nothing when the manager rejects the draft, and the run completes", async () => {
    const d = await dealer("review-response", zoneWhereHourIs(11), ["review.response.approved"]);
    const { runId } = await draftedReply(d, { ...REVIEW, reviewId: "rev_g_9002" });
    expectOk(await call("POST", `/approvals/${runId}/approve`, { token: d.token, body: { decision: "reject", comment: "We will call Sam instead" } }), 200, RunDetail);
    const done = await waitForRun(d, runId, ["complete", "errored"]);
    expect(done.status).toBe("complete");
    expect(stepOf(done, "approve").output).toMatchObject({ decision: "reject", approved: false });
    expect(done.steps.map((s) => s.stepId)).not.toContain("publish");
    expect(done.output).toMatchObject({ approved: false });
    expect(await eventsOf(d.partner, "review.response.approved")).toEqual([]);
    expect(await approvals(d)).toEqual([]);
  });

  it("lets only people who may approve decide, once, with a valid decision", async () => {
    const d = await dealer("review-response", zoneWhereHourIs(11), ["review.response.approved"]);
    const { runId } = await draftedReply(d, { ...REVIEW, reviewId: "rev_g_9003" });
    const viewer = await createTestUser(d.tenantId, "viewer");
    expectError(await call("POST", `/approvals/${runId}/approve`, { token: viewer.accessToken, body: { decision: "approve" } }), 403, "forbidden");
    expectError(await call("POST", `/approvals/${runId}/approve`, { token: d.token, body: { decision: "maybe" } }), 400, "validation_failed");
    expectError(await call("POST", `/approvals/${runId}/draft`, { token: d.token, body: { decision: "approve" } }), 409, "conflict");
    expect((await approvals(d)).map((a) => a.runId)).toEqual([runId]);

    expectOk(await call("POST", `/approvals/${runId}/approve`, { token: d.token, body: { decision: "approve" } }), 200, RunDetail);
    expectError(await call("POST", `/approvals/${runId}/approve`, { token: d.token, body: { decision: "reject" } }), 409, "conflict");
    await waitForRun(d, runId, ["complete"]);
  });

  it("refuses a review without a rating from 1 to 5", async () => {
    const d = await dealer("review-response", zoneWhereHourIs(11), ["review.response.approved"]);
    const msg = expectError(await call("POST", "/workflows/review-response/runs", { token: d.token, body: { input: { ...REVIEW, rating: 7 } } }), 400, "validation_failed");
    expect(msg).toContain("rating");
  });
});
