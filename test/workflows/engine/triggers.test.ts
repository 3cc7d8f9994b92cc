/**
 * Triggers: an event starts a run once however often it is delivered, a filter keeps out
 * events it does not want, a cron trigger fires once per slot however many ticks see it,
 * and a schedule or zone that cannot fire is refused when the workflow is saved.
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { makeDb } from "../../../workers/db";
import { buildEvent, type PlatformEvent } from "../../../workers/events/publish";
import { eventsConsumer } from "../../../workers/queues/events";
import { runWorkflowCron } from "../../../workers/workflows/scheduled";
import { call, expectError, expectOk } from "../../api/helpers";
import { createWorkflow, type Harness, harness, WorkflowBody } from "../helpers";
import { Engine, MINUTE } from "./driver";

const db = makeDb(env.DB);

function runsOf(workflowId: string) {
  return db.query.workflowRuns.findMany({ where: (r, { eq }) => eq(r.workflowId, workflowId), orderBy: (r, { asc }) => [asc(r.createdAt)] });
}

/** Runs the events consumer on these events (one batch), with the driver's queues. */
async function consumeEvents(e: Engine, events: PlatformEvent[]): Promise<void> {
  const batch = createMessageBatch("auterity-events", events.map((body, i) => ({ id: `ev-${i}-${body.id}`, timestamp: new Date(e.now), attempts: 1, body })));
  const ctx = createExecutionContext();
  await eventsConsumer(() => e.now)(batch, e.env, ctx);
  await getQueueResult(batch, ctx);
  e.collect();
}

const webLeads = {
  name: "Web leads",
  triggers: [{ type: "event", event: "lead.created", filter: { path: "input.source", op: "eq", value: "web" } }],
  steps: [{ id: "greet", type: "transform", output: "lead {{ event.leadId }} from {{ event.source }}" }],
};

const lead = (h: Harness, leadId: string, source: string, now: number) => buildEvent({ tenantId: h.tenantId, type: "lead.created", data: { leadId, source } }, now);

describe("event triggers", { timeout: 30_000 }, () => {
  it("start one run per event, however often the event is delivered", async () => {
    const h = await harness();
    const wf = await createWorkflow(h, "web-leads", webLeads);
    const e = new Engine();
    const event = lead(h, "lead_W1", "web", e.now);
    await consumeEvents(e, [event, event]);
    await consumeEvents(e, [event]);
    await e.drain();
    const runs = await runsOf(wf.id);
    expect(runs).toHaveLength(1);
    // Step templates read the triggering event's data as `event`.
    expect(runs[0]).toMatchObject({ status: "complete", output: "lead lead_W1 from web", input: { leadId: "lead_W1", source: "web" }, trigger: { type: "event", eventId: event.id, eventType: "lead.created" }, triggerKey: `event:${event.id}` });
  });

  it("skip events the filter excludes, other tenants' events, and disabled workflows", async () => {
    const h = await harness();
    const other = await harness();
    const wf = await createWorkflow(h, "web-leads", webLeads);
    const e = new Engine();
    await consumeEvents(e, [lead(h, "lead_P1", "phone", e.now), lead(other, "lead_W2", "web", e.now)]);
    expect(await runsOf(wf.id)).toEqual([]);

    expectOk(await call("PATCH", `/workflows/${wf.id}`, { token: h.token, body: { enabled: false } }), 200, WorkflowBody);
    await consumeEvents(e, [lead(h, "lead_W3", "web", e.now)]);
    expect(await runsOf(wf.id)).toEqual([]);

    expectOk(await call("PATCH", `/workflows/${wf.id}`, { token: h.token, body: { enabled: true } }), 200, WorkflowBody);
    await consumeEvents(e, [lead(h, "lead_W4", "web", e.now)]);
    expect((await runsOf(wf.id)).map((r) => r.input)).toEqual([{ leadId: "lead_W4", source: "web" }]);
  });
});

describe("cron triggers", { timeout: 30_000 }, () => {
  it("fire once per slot, however many ticks see it", async () => {
    const h = await harness();
    const wf = await createWorkflow(h, "every-5", {
      name: "Every five minutes",
      triggers: [{ type: "cron", schedule: "*/5 * * * *", input: { batch: "sweep" } }],
      steps: [{ id: "tick", type: "transform", output: "{{ input.batch }}" }],
    });
    // A slot well after the trigger was saved (its creation time is the real clock's).
    const slot = Math.ceil((Date.now() + 10 * MINUTE) / (5 * MINUTE)) * (5 * MINUTE);
    const e = new Engine(slot + 30_000);
    const tick = (now: number) => runWorkflowCron(e.env, () => undefined, () => now);

    await Promise.all([tick(slot + 30_000), tick(slot + 31_000)]);
    await tick(slot + 4 * MINUTE);
    e.collect();
    await e.drain();
    const first = await runsOf(wf.id);
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({ status: "complete", input: { batch: "sweep" }, output: "sweep", trigger: { type: "cron", schedule: "*/5 * * * *" }, triggerKey: `cron:${new Date(slot).toISOString()}` });

    await tick(slot + 5 * MINUTE + 1_000);
    await tick(slot + 5 * MINUTE + 2_000);
    e.collect();
    expect((await runsOf(wf.id)).map((r) => r.triggerKey)).toEqual([`cron:${new Date(slot).toISOString()}`, `cron:${new Date(slot + 5 * MINUTE).toISOString()}`]);
  });

  it("refuses a schedule or a time zone that cannot fire when the workflow is saved", async () => {
    const h = await harness();
    const def = (trigger: Record<string, unknown>) => ({ key: `bad-${Math.random().toString(36).slice(2, 8)}`, definition: { name: "Bad", triggers: [{ type: "cron", ...trigger }], steps: [{ id: "x", type: "transform", output: 1 }] } });
    const cases: [Record<string, unknown>, string][] = [
      [{ schedule: "*/5 * * * * *" }, "expected 5 fields"],
      [{ schedule: "0 25 * * *" }, "hour"],
      [{ schedule: "0 9 * * funday" }, "day of week"],
      [{ schedule: "0 9 * * mon", timezone: "America/Gotham" }, "America/Gotham"],
    ];
    for (const [trigger, message] of cases) {
      const msg = expectError(await call("POST", "/workflows", { token: h.token, body: def(trigger) }), 400, "validation_failed");
      expect(msg, JSON.stringify(trigger)).toContain(message);
      expect(msg).toContain("triggers[0]");
    }
    // The YAML form gets the same check, pointing at the line.
    const yaml = "name: Bad\ntriggers:\n  - type: cron\n    schedule: '61 * * * *'\nsteps:\n  - id: x\n    type: transform\n    output: 1\n";
    const msg = expectError(await call("POST", "/workflows", { token: h.token, body: { key: "bad-yaml", yaml } }), 400, "validation_failed");
    expect(msg).toContain("line 4");
    expect(msg).toContain("minute");
    expectOk(await call("POST", "/workflows", { token: h.token, body: def({ schedule: "0 9 * * mon-fri", timezone: "America/Chicago" }) }), 201, WorkflowBody);
  });
});
