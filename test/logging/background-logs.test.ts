/**
 * What background work writes to the log: each queue message's lines carry its message id
 * and the tenant its body names; lines about a whole batch carry `batch:<first id>`; a cron
 * run's lines carry `cron:<scheduled time>` and, per tenant's share, that tenant.
 */
import { createExecutionContext, createMessageBatch, createScheduledController, getQueueResult, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { workflowTriggers } from "../../d1/schema";
import { makeDb } from "../../workers/db";
import worker from "../../workers/index";
import { newId, randomString } from "../../workers/lib/ids";
import { pollJob } from "../../workers/models/training/poll";
import { createJob, uploadDataset } from "../models/training/helpers";
import { createTestTenant } from "../helpers/fixtures";
import { captureLogs, type Capture } from "./helpers";

let capture: Capture;
beforeEach(() => {
  capture = captureLogs();
});
afterEach(() => capture.restore());

async function consume(queue: string, messages: { id: string; body: unknown }[]) {
  const batch = createMessageBatch(queue, messages.map((m) => ({ ...m, timestamp: new Date(), attempts: 1 })));
  const ctx = createExecutionContext();
  await worker.queue(batch, env, ctx);
  return getQueueResult(batch, ctx);
}

describe("queue consumer logs", () => {
  it("an events message's lines carry its message id and the tenant its body names", async () => {
    const id = `evt-msg-${randomString(8)}`;
    // A platform event with a type outside the catalog: dropped, with an error line.
    const result = await consume("auterity-events", [{ id, body: { id: `evt_${randomString(10)}`, tenantId: "ten_fromthebody", type: "no.such.type", data: {}, occurredAt: Date.now() } }]);
    expect(result.explicitAcks).toEqual([id]);
    const lines = capture.lines().filter((l) => l.requestId === id);
    expect(lines).toEqual([expect.objectContaining({ level: "error", msg: "malformed platform event dropped", tenantId: "ten_fromthebody", queue: "auterity-events" })]);
  });

  it("a workflow step message's lines carry its tenant too", async () => {
    const id = `wf-msg-${randomString(8)}`;
    await consume("auterity-workflows", [{ id, body: { type: "step", v: 99, tenantId: "ten_workflowtenant", runId: "run_x", stepId: "a", iteration: 0, attempt: 1 } }]);
    const lines = capture.lines().filter((l) => l.requestId === id);
    expect(lines).toEqual([expect.objectContaining({ msg: "malformed workflow message dropped", tenantId: "ten_workflowtenant" })]);
  });

  it("a body without a tenant logs a null tenant, never another message's", async () => {
    const withTenant = `usage-a-${randomString(8)}`;
    const without = `usage-b-${randomString(8)}`;
    await consume("auterity-usage", [
      { id: withTenant, body: { tenantId: "ten_first", nonsense: true } },
      { id: without, body: { nonsense: true } },
    ]);
    expect(capture.lines().find((l) => l.requestId === withTenant)?.tenantId).toBe("ten_first");
    expect(capture.lines().find((l) => l.requestId === without)?.tenantId).toBeNull();
  });

  it("a batch for a queue without a consumer logs once, under the batch's id", async () => {
    const id = `orphan-${randomString(8)}`;
    const result = await consume("auterity-nowhere", [{ id, body: {} }]);
    expect(result.retryBatch.retry).toBe(true);
    expect(capture.lines().filter((l) => l.requestId === `batch:${id}`)).toEqual([expect.objectContaining({ level: "error", msg: "no consumer for queue", queue: "auterity-nowhere" })]);
  });
});

describe("training poll logs", () => {
  it("a poll's lines carry poll:<job>:<time> and the job's tenant", async () => {
    const tenant = await createTestTenant("Poll Log Motors");
    const job = await createJob(tenant.adminKey, (await uploadDataset(tenant.adminKey)).id);
    // The provider is unreachable: the poll logs and carries on.
    const unreachable = { ...env, TRAINING_PROVIDER_URL: "http://127.0.0.1:9" };
    const at = Date.UTC(2026, 0, 5, 9, 31);
    const outcome = await pollJob({ env: unreachable, db: makeDb(env.DB), now: () => at }, job.id);
    expect(outcome.again).toBe(true);
    const lines = capture.lines().filter((l) => l.msg === "training poll failed" && l.jobId === job.id);
    expect(lines).toEqual([expect.objectContaining({ level: "warn", requestId: `poll:${job.id}:2026-01-05T09:31:00.000Z`, tenantId: tenant.tenantId })]);
  });
});

describe("cron logs", () => {
  it("a cron run's lines carry cron:<scheduled time>, and a trigger's lines its tenant", async () => {
    const tenant = await createTestTenant("Cron Log Motors");
    const triggerId = newId("wtr");
    const db = makeDb(env.DB);
    await db.insert(workflowTriggers).values({ id: triggerId, tenantId: tenant.tenantId, workflowId: "wf_none", version: 1, type: "cron", schedule: "not a schedule", createdAt: Date.now() - 3_600_000 });
    try {
      const scheduledTime = new Date(Date.UTC(2026, 0, 5, 9, 30));
      const ctx = createExecutionContext();
      await worker.scheduled(createScheduledController({ scheduledTime, cron: "* * * * *" }), env, ctx);
      await waitOnExecutionContext(ctx);
      const failed = capture.lines().filter((l) => l.msg === "cron trigger failed" && l.triggerId === triggerId);
      expect(failed).toEqual([expect.objectContaining({ level: "error", requestId: "cron:2026-01-05T09:30:00.000Z", tenantId: tenant.tenantId, error: expect.any(String) })]);
    } finally {
      await env.DB.prepare("delete from workflow_triggers where id = ?").bind(triggerId).run();
    }
  });
});
