/**
 * Workflow and webhook series through the real queues. These counters carry no tenant, and
 * other files run workflows and deliver webhooks at the same time, so they are checked to
 * have moved by at least this file's own runs and deliveries.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { randomString } from "../../workers/lib/ids";
import { call, expectOk } from "../api/helpers";
import { configurePartner, createEndpoint, partnerName, received } from "../webhooks/helpers";
import { createWorkflow, getRun, harness, startRun, waitForRun, waitForStep } from "../workflows/helpers";
import { delta, scrape, scrapeUntil, valueOf } from "./helpers";

describe("workflow series", { timeout: 60_000 }, () => {
  it("count runs that complete or are cancelled, and the steps that succeed", async () => {
    const h = await harness("Metrics Workflow Motors");
    await createWorkflow(h, "metrics-two-steps", {
      name: "Two steps",
      steps: [
        { id: "a", type: "transform", output: "one" },
        { id: "b", type: "transform", output: "{{ steps.a }} two" },
      ],
    });
    await createWorkflow(h, "metrics-gated", { name: "Gated", steps: [{ id: "gate", type: "approval", title: "Go?" }] });
    const before = await scrape();

    const run = await startRun(h, "metrics-two-steps", {});
    expect((await waitForRun(h, run.id, ["complete", "errored"])).status).toBe("complete");
    const held = await startRun(h, "metrics-gated", {});
    await waitForStep(h, held.id, "gate", "waiting");
    expectOk(await call("POST", `/runs/${held.id}/cancel`, { token: h.token }), 200, z.object({ status: z.literal("terminated") }));
    expect((await getRun(h, held.id)).status).toBe("terminated");

    const after = await scrapeUntil(
      (e) => delta(before, e, "auterity_workflow_runs_total", { outcome: "complete" }) >= 1 && delta(before, e, "auterity_workflow_runs_total", { outcome: "terminated" }) >= 1,
      "both runs counted",
    );
    expect(delta(before, after, "auterity_workflow_steps_total", { status: "succeeded" })).toBeGreaterThanOrEqual(2);
    expect(after.types.get("auterity_workflow_runs_total")).toBe("counter");
  });

  it("count a step that fails and is scheduled again as a retry, and the errored run", async () => {
    const h = await harness("Metrics Retry Motors");
    await createWorkflow(h, "metrics-failing", {
      name: "Failing",
      // The simulator's echo answers 503 every time: retried once, then the run errors.
      steps: [{ id: "call", type: "http", url: `${env.SIM_URL}/echo/metrics-${randomString(8)}?status=503`, body: {}, retry: { limit: 1, delay: "1s", backoff: "constant" } }],
    });
    const before = await scrape();
    const run = await startRun(h, "metrics-failing", {});
    expect((await waitForRun(h, run.id, ["complete", "errored"], 30_000)).status).toBe("errored");
    const after = await scrapeUntil((e) => delta(before, e, "auterity_workflow_runs_total", { outcome: "errored" }) >= 1, "the errored run counted");
    expect(delta(before, after, "auterity_queue_retries_total", { queue: "auterity-workflows", kind: "scheduled" })).toBeGreaterThanOrEqual(1);
    expect(delta(before, after, "auterity_workflow_steps_total", { status: "failed" })).toBeGreaterThanOrEqual(1);
  });
});

const Message = z.object({ id: z.string(), status: z.string() });

describe("webhook series", { timeout: 60_000 }, () => {
  it("count deliveries, retries scheduled after a failed attempt, and the pending backlog", async () => {
    const h = await harness("Metrics Webhook Motors");
    const okName = partnerName("metrics-ok");
    const failingName = partnerName("metrics-down");
    const ok = await createEndpoint(h.token, okName);
    const failing = await createEndpoint(h.token, failingName);
    await configurePartner(failingName, { mode: "fail", status: 503 });
    const before = await scrape();

    const delivered = expectOk(await call("POST", `/webhooks/endpoints/${ok.id}/test`, { token: h.token, body: {} }), 201, Message);
    expectOk(await call("POST", `/webhooks/endpoints/${failing.id}/test`, { token: h.token, body: {} }), 201, Message);
    const after = await scrapeUntil(
      (e) => delta(before, e, "auterity_webhook_deliveries_total", { outcome: "delivered" }) >= 1 && delta(before, e, "auterity_webhook_deliveries_total", { outcome: "retrying" }) >= 1,
      "both attempts counted",
    );
    expect((await received(okName)).map((r) => r.webhookId)).toEqual([delivered.id]);
    expect(delta(before, after, "auterity_queue_retries_total", { queue: "auterity-webhooks", kind: "scheduled" })).toBeGreaterThanOrEqual(1);
    // The failing endpoint's message waits for its next attempt (in 5 s, then minutes): it is backlog.
    expect(valueOf(after, "auterity_queue_backlog", { queue: "auterity-webhooks" })).toBeGreaterThanOrEqual(1);
    expect(after.types.get("auterity_queue_backlog")).toBe("gauge");
    expect(Number.isInteger(valueOf(after, "auterity_queue_backlog", { queue: "auterity-workflows" }))).toBe(true);
  });
});
