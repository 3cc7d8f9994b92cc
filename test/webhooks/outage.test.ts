/**
 * A receiver that is down for a while and then comes back gets every message, with the
 * same webhook-id on every attempt, and nothing is lost even when the queue drops jobs.
 */
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it, vi } from "vitest";
import worker from "../../workers/index";
import { createTestTenant, type TestTenant } from "../helpers/fixtures";
import { SWEEP_GRACE_MS } from "../../workers/webhooks/sweep";
import { attemptsOf, configurePartner, createEndpoint, DeliveryJobBody, Harness, messagesOf, partnerName, received } from "./helpers";

let tenant: TestTenant;
beforeEach(async () => {
  tenant = await createTestTenant("Outage Motors");
});

const lead = (n: number) => ({ leadId: `lead_${n}`, source: "adf", customer: { name: `Customer ${n}` } });

describe("receiver outage", () => {
  it("delivers every message once the receiver is back, ids unchanged", async () => {
    const name = partnerName("outage");
    const ep = await createEndpoint(tenant.adminKey, name);
    await configurePartner(name, { mode: "fail", status: 503 });
    const h = new Harness();
    const events = [];
    for (let i = 0; i < 5; i++) events.push(await h.publish(tenant.tenantId, "lead.created", lead(i)));
    await h.drain(); // attempt 1, at once: fails
    await h.advance(); // attempt 2, ~5 s later: fails
    await h.advance(); // attempt 3, ~5 min later: fails
    await configurePartner(name, { mode: "ok" });
    await h.advance(); // attempt 4, ~30 min later: delivered

    const rows = await messagesOf(ep.id);
    expect(rows.map((r) => r.status)).toEqual(Array(5).fill("delivered"));
    expect(new Set(rows.map((r) => r.event_id))).toEqual(new Set(events.map((e) => e.id)));
    const got = await received(name);
    expect(got).toHaveLength(20);
    expect(got.every((r) => r.signatureValid === true)).toBe(true);
    for (const row of rows) {
      const mine = got.filter((r) => r.webhookId === row.id);
      expect(mine.map((r) => r.answered)).toEqual([503, 503, 503, 200]);
      expect(new Set(mine.map((r) => r.body)).size).toBe(1);
    }
  });

  it("a queue that loses the retry jobs loses no webhook: the cron sweep re-queues them", async () => {
    const name = partnerName("lost");
    const ep = await createEndpoint(tenant.adminKey, name);
    await configurePartner(name, { mode: "fail" });
    const h = new Harness();
    for (let i = 0; i < 3; i++) await h.publish(tenant.tenantId, "lead.created", lead(i));
    await h.drain();
    expect(h.loseQueuedJobs()).toBe(3);
    await configurePartner(name, { mode: "ok" });

    h.now += 5_000 + SWEEP_GRACE_MS - 1_000; // due, but not yet "long ago": the queue may still bring it
    expect(await h.sweep()).toBe(0);
    h.now += 10 * 60_000;
    expect(await h.sweep()).toBe(3);
    expect(await h.sweep()).toBe(0); // already re-queued: the next tick does not queue them again
    await h.drain();

    const rows = await messagesOf(ep.id);
    expect(rows.map((r) => [r.status, r.attempts])).toEqual(Array(3).fill(["delivered", 2]));
    const got = await received(name);
    for (const row of rows) expect(got.filter((r) => r.webhookId === row.id).map((r) => r.answered)).toEqual([500, 200]);
  });

  it("a redelivered event duplicates no message, and a duplicated job makes no second attempt", async () => {
    const name = partnerName("dup");
    const ep = await createEndpoint(tenant.adminKey, name);
    const h = new Harness();
    const event = await h.publish(tenant.tenantId, "lead.replied", { leadId: "lead_1", channel: "email", messageId: "m1" });
    const firstJobs = h.pending.map((p) => p.body);
    await h.runEvents([event, event]); // the queue redelivers the same event twice
    expect(h.pending).toHaveLength(3); // re-queued (not yet attempted) jobs, all for the one message
    expect(new Set(h.pending.map((p) => DeliveryJobBody.parse(p.body).messageId)).size).toBe(1);
    await h.drain();
    await h.runEvents([event]); // and once more after delivery: nothing left to queue
    expect(h.pending).toHaveLength(0);

    const rows = await messagesOf(ep.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: "delivered", attempts: 1 });
    expect(await attemptsOf(rows[0]!.id)).toHaveLength(1);
    expect(await received(name)).toHaveLength(1);
    expect(firstJobs).toEqual([{ v: 1, messageId: rows[0]!.id, attempt: 1 }]);
  });

  it("an event for a tenant without endpoints, or outside an endpoint's filter, creates no message", async () => {
    const name = partnerName("filter");
    const ep = await createEndpoint(tenant.adminKey, name, { eventTypes: ["workflow.run.failed"] });
    const h = new Harness();
    await h.publish(tenant.tenantId, "lead.created", lead(1));
    const other = await createTestTenant("Quiet Motors");
    await h.publish(other.tenantId, "lead.created", lead(2));
    expect(h.pending).toHaveLength(0);
    await h.publish(tenant.tenantId, "workflow.run.failed", { runId: "run_1", workflowId: "wf_1", version: 1, error: { code: "x", message: "y" } });
    await h.drain();
    expect((await messagesOf(ep.id)).map((r) => r.status)).toEqual(["delivered"]);
    expect((await received(name)).map((r) => r.type)).toEqual(["workflow.run.failed"]);
  });

  it("drops malformed queue bodies instead of retrying them forever", async () => {
    const h = new Harness();
    const events = await h.runEvents([{ type: "lead.created" }, "nonsense"]);
    expect(events.explicitAcks).toHaveLength(2);
    expect(events.retryMessages).toHaveLength(0);
    h.pending.push({ body: { v: 1, messageId: "nope" }, at: h.now });
    const deliveries = await h.deliverDue();
    expect(deliveries?.explicitAcks).toHaveLength(1);
  });

  it("the Worker's cron trigger runs the sweep, and the real queues deliver what it re-queues", async () => {
    const name = partnerName("cron");
    const ep = await createEndpoint(tenant.adminKey, name);
    await configurePartner(name, { mode: "fail", times: 1 });
    const h = new Harness();
    await h.publish(tenant.tenantId, "lead.created", lead(1));
    await h.drain();
    h.loseQueuedJobs();
    await env.DB.prepare("update webhook_messages set next_attempt_at = ? where endpoint_id = ?").bind(Date.now() - 3_600_000, ep.id).run();

    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ scheduledTime: new Date(), cron: "*/5 * * * *" }), env, ctx);
    await waitOnExecutionContext(ctx);
    await vi.waitFor(async () => expect((await messagesOf(ep.id))[0]).toMatchObject({ status: "delivered", attempts: 2 }), { timeout: 15_000, interval: 200 });
    expect((await received(name)).map((r) => r.answered)).toEqual([500, 200]);
  });
});
