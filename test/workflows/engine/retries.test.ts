/**
 * Step retries and timeouts: a failing partner is tried again on the step's backoff, a
 * 4xx is not, a step past its limit errors the run (and leaves a record in the
 * dead-letter queue), and the run can be rerun from that step once the partner is fixed.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { randomString } from "../../../workers/lib/ids";
import { retryDelayMs } from "../../../workers/workflows/engine/step-run";
import { call, expectOk } from "../../api/helpers";
import { configurePartner, partnerName, partnerUrl, received } from "../../webhooks/helpers";
import { createWorkflow, harness, RunBody, stepOf, waitForRun } from "../helpers";
import { Engine, FailedRecord, runRow, stepRow, stepRows } from "./driver";

function pushTo(partner: string, retry: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return { id: "push", type: "http", url: partnerUrl(partner), body: { leadId: "{{ input.leadId }}" }, retry, ...extra };
}

describe("retries", { timeout: 30_000 }, () => {
  it("retries a failing step on its backoff and completes on the third attempt", async () => {
    const h = await harness();
    const partner = partnerName("flaky");
    await configurePartner(partner, { mode: "fail", status: 503, times: 2 });
    await createWorkflow(h, "flaky", { name: "Flaky", steps: [pushTo(partner, { limit: 2, delay: "10s", backoff: "exponential" })] });
    const e = new Engine();
    const t0 = e.now;
    const run = await e.start(h.tenantId, "flaky", { leadId: "lead_1" });
    await e.drain();

    expect(await stepRow(run.id, "push")).toMatchObject({ status: "pending", attempts: 1, wakeAt: t0 + 10_000, error: { code: "http_503", retryable: true } });
    expect(e.pendingFor(run.id).map((p) => p.at)).toEqual([t0 + 10_000]);
    // A copy of the message that arrives early runs nothing.
    await e.deliver(e.pendingFor(run.id).map((p) => p.body), t0 + 5_000);
    expect(await received(partner)).toHaveLength(1);

    await e.advance(10_000);
    expect(await stepRow(run.id, "push")).toMatchObject({ status: "pending", attempts: 2, wakeAt: t0 + 30_000 });
    await e.advance(20_000);
    expect(await stepRow(run.id, "push")).toMatchObject({ status: "succeeded", attempts: 3, error: null });
    expect((await runRow(h.tenantId, run.id)).status).toBe("complete");
    expect((await received(partner)).map((r) => r.answered)).toEqual([503, 503, 200]);
  });

  it("errors the run at once on an answer retrying cannot fix (404)", async () => {
    const h = await harness();
    const partner = partnerName("missing");
    await configurePartner(partner, { mode: "fail", status: 404 });
    await createWorkflow(h, "missing", { name: "Missing", steps: [pushTo(partner, { limit: 5, delay: "1s" })] });
    const e = new Engine();
    const run = await e.start(h.tenantId, "missing", { leadId: "lead_2" });
    await e.drain();

    const step = await stepRow(run.id, "push");
    expect(step).toMatchObject({ status: "failed", attempts: 1, error: { code: "http_404", retryable: false } });
    const errored = await runRow(h.tenantId, run.id);
    expect(errored.status).toBe("errored");
    expect(errored.error).toMatchObject({ code: "http_404", stepId: "push", retryable: false });
    expect(errored.error?.message).toContain("404");
    expect(await received(partner)).toHaveLength(1);
    expect(e.pendingFor(run.id)).toEqual([]);
  });

  it("errors the run past the limit, names the step, dead-letters a record, and reruns from that step", async () => {
    const h = await harness();
    const crm = `crm-${randomString(8)}`;
    const partner = partnerName("down");
    await configurePartner(partner, { mode: "fail", status: 500 });
    await createWorkflow(h, "down", {
      name: "Down",
      steps: [
        { id: "lookup", type: "http", url: `${env.SIM_URL}/echo/${crm}`, body: { leadId: "{{ input.leadId }}" } },
        pushTo(partner, { limit: 1, delay: "30s", backoff: "constant" }),
        { id: "done", type: "transform", output: { looked: "{{ steps.lookup.status }}", pushed: "{{ steps.push.status }}" } },
      ],
    });
    const e = new Engine();
    const run = await e.start(h.tenantId, "down", { leadId: "lead_3" });
    await e.drain();
    await e.advance(30_000);

    const errored = await runRow(h.tenantId, run.id);
    expect(errored.status).toBe("errored");
    expect(errored.error).toMatchObject({ code: "http_500", stepId: "push" });
    expect(await stepRow(run.id, "push")).toMatchObject({ status: "failed", attempts: 2 });
    expect(await received(partner)).toHaveLength(2);
    const [record, ...more] = e.dlq.sent.map((s) => FailedRecord.parse(s.body));
    expect(more).toEqual([]);
    expect(record).toMatchObject({ type: "failed", runId: run.id, tenantId: h.tenantId, stepId: "push", error: { code: "http_500" } });
    expect(e.publishedEvents().find((ev) => ev.type === "workflow.run.failed")?.data).toMatchObject({ runId: run.id, failedStepId: "push" });

    // Fixed: rerun through the API (and the real queue) from the failed step.
    await configurePartner(partner, { mode: "ok" });
    const rerun = expectOk(await call("POST", `/runs/${run.id}/rerun`, { token: h.token }), 200, RunBody);
    expect(rerun.id).toBe(run.id);
    const done = await waitForRun(h, run.id, ["complete", "errored"]);
    expect(done.status).toBe("complete");
    expect(done.output).toEqual({ looked: 200, pushed: 200 });
    expect(stepOf(done, "push")).toMatchObject({ iteration: 1, status: "succeeded", attempts: 1 });
    // The first attempt stays on record; the step before it did not run again.
    expect((await stepRows(run.id)).filter((s) => s.stepId === "push").map((s) => [s.iteration, s.status])).toEqual([[1, "succeeded"], [0, "failed"]]);
    expect(done.steps.filter((s) => s.stepId === "lookup")).toHaveLength(1);
    const lookups = z.object({ data: z.array(z.unknown()) }).parse(await (await fetch(`${env.SIM_URL}/echo/${crm}/_received`)).json());
    expect(lookups.data).toHaveLength(1);
    expect(await received(partner)).toHaveLength(3);

    // Only an errored run can be rerun.
    expect((await call("POST", `/runs/${run.id}/rerun`, { token: h.token })).status).toBe(409);
  });

  it("waits longer between attempts as the backoff says", () => {
    const attempts = [1, 2, 3, 4];
    expect(attempts.map((a) => retryDelayMs({ limit: 5, delay: "2s", backoff: "constant" }, a))).toEqual([2000, 2000, 2000, 2000]);
    expect(attempts.map((a) => retryDelayMs({ limit: 5, delay: "2s", backoff: "linear" }, a))).toEqual([2000, 4000, 6000, 8000]);
    expect(attempts.map((a) => retryDelayMs({ limit: 5, delay: "2s", backoff: "exponential" }, a))).toEqual([2000, 4000, 8000, 16000]);
    expect(retryDelayMs({ limit: 5, delay: 1.5, backoff: "exponential" }, 2)).toBe(3000);
    // Never more than a day, however far the doubling goes.
    expect(retryDelayMs({ limit: 25, delay: "1h", backoff: "exponential" }, 25)).toBe(24 * 3600_000);
  });
});

describe("timeouts", { timeout: 30_000 }, () => {
  it("fails a step that outlives its timeout with step_timeout, and retries it", async () => {
    const h = await harness();
    const partner = partnerName("stall");
    await configurePartner(partner, { mode: "stall", times: 1 });
    await createWorkflow(h, "stall", { name: "Stall", steps: [pushTo(partner, { limit: 1, delay: "5s" }, { timeout: 1 })] });
    const e = new Engine();
    const run = await e.start(h.tenantId, "stall", { leadId: "lead_4" });
    await e.drain();
    expect(await stepRow(run.id, "push")).toMatchObject({ status: "pending", attempts: 1, error: { code: "step_timeout", retryable: true } });
    await e.advance(5_000);
    expect(await stepRow(run.id, "push")).toMatchObject({ status: "succeeded", attempts: 2 });
    expect((await received(partner)).map((r) => r.answered)).toEqual(["stalled", 200]);
  });

  it("errors the run with step_timeout when no retry is left", async () => {
    const h = await harness();
    const partner = partnerName("stall");
    await configurePartner(partner, { mode: "stall" });
    await createWorkflow(h, "stall-out", { name: "Stall out", steps: [pushTo(partner, { limit: 0 }, { timeout: "1s" })] });
    const e = new Engine();
    const run = await e.start(h.tenantId, "stall-out", { leadId: "lead_5" });
    await e.drain();
    const errored = await runRow(h.tenantId, run.id);
    expect(errored.status).toBe("errored");
    expect(errored.error).toMatchObject({ code: "step_timeout", stepId: "push", retryable: true });
  });
});
