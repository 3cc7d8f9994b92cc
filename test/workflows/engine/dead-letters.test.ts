/**
 * The workflows dead-letter queue: a step message the queue gave up on errors its run
 * (re-runnable from that step); records of steps that failed past their retries are only
 * acknowledged; malformed messages on either queue are dropped rather than retried forever.
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { randomString } from "../../../workers/lib/ids";
import { workflowConsumer, workflowDeadLetterConsumer } from "../../../workers/queues/workflows";
import { rerunFromFailure } from "../../../workers/workflows/engine/control";
import { createWorkflow, harness } from "../helpers";
import { Engine, runRow, stepRow } from "./driver";

async function consume(e: Engine, queue: string, bodies: unknown[], consumer: ReturnType<typeof workflowConsumer>) {
  const batch = createMessageBatch(queue, bodies.map((body, i) => ({ id: `dl-${i}-${randomString(6)}`, timestamp: new Date(e.now), attempts: 6, body })));
  const ctx = createExecutionContext();
  await consumer(batch, e.env, ctx);
  const result = await getQueueResult(batch, ctx);
  e.collect();
  return { ids: batch.messages.map((m) => m.id), result };
}

describe("dead letters", { timeout: 30_000 }, () => {
  it("error the run of a step message that could not be delivered, and the run reruns from that step", async () => {
    const h = await harness();
    await createWorkflow(h, "dead", { name: "Dead", steps: [{ id: "shape", type: "transform", output: "x" }, { id: "push", type: "sleep", duration: "1s" }] });
    const e = new Engine();
    const run = await e.start(h.tenantId, "dead", {});
    await e.drain();
    await e.advance(1000);
    expect((await runRow(h.tenantId, run.id)).status).toBe("complete");

    const stuck = await e.start(h.tenantId, "dead", {});
    const lost = e.take(stuck.id);
    const { ids, result } = await consume(e, "auterity-workflows-dlq", lost, workflowDeadLetterConsumer(() => e.now));
    expect(result.explicitAcks.sort()).toEqual(ids.sort());
    const errored = await runRow(h.tenantId, stuck.id);
    expect(errored.status).toBe("errored");
    expect(errored.error).toMatchObject({ code: "delivery_failed", stepId: "shape", retryable: false });
    expect(await stepRow(stuck.id, "shape")).toMatchObject({ status: "failed" });

    // The same dead letter again changes nothing.
    await consume(e, "auterity-workflows-dlq", lost, workflowDeadLetterConsumer(() => e.now));
    expect((await runRow(h.tenantId, stuck.id)).updatedAt).toBe(errored.updatedAt);

    await e.send((await rerunFromFailure(e.deps(), h.tenantId, stuck.id)).jobs);
    await e.drain();
    await e.advance(1000);
    expect(await runRow(h.tenantId, stuck.id)).toMatchObject({ status: "complete", error: null });
    expect(await stepRow(stuck.id, "shape", 1)).toMatchObject({ status: "succeeded", output: "x" });
  });

  it("acknowledge failure records and malformed messages without touching any run", async () => {
    const h = await harness();
    await createWorkflow(h, "quiet", { name: "Quiet", steps: [{ id: "nap", type: "sleep", duration: "1h" }] });
    const e = new Engine();
    const run = await e.start(h.tenantId, "quiet", {});
    await e.drain();
    const before = await runRow(h.tenantId, run.id);
    const record = { type: "failed", runId: run.id, tenantId: h.tenantId, stepId: "nap", error: { code: "x", message: "y", retryable: false } };
    const garbage = [{ hello: "world" }, "not json", { type: "step", v: 2, runId: run.id }];
    const dead = await consume(e, "auterity-workflows-dlq", [record, ...garbage], workflowDeadLetterConsumer(() => e.now));
    expect(dead.result.explicitAcks.sort()).toEqual(dead.ids.sort());
    const live = await consume(e, "auterity-workflows", garbage, workflowConsumer(() => e.now));
    expect(live.result.explicitAcks.sort()).toEqual(live.ids.sort());
    expect(live.result.retryMessages).toEqual([]);
    expect(await runRow(h.tenantId, run.id)).toEqual(before);
  });
});
