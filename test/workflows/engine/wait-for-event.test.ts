/**
 * wait_for_event: a step parked until a platform event whose data fits its match arrives
 * (the event becomes its output), or until its timeout (continue with timedOut, or fail).
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { buildEvent, publishEvent } from "../../../workers/events/publish";
import { dispatchEventToWorkflows } from "../../../workers/workflows/triggers/events";
import { createWorkflow, type Harness, harness, startRun, stepOf, waitForRun, waitForStep } from "../helpers";
import { Engine, HOUR, runRow, stepRow } from "./driver";

function awaitContact(onTimeout: "continue" | "fail" = "continue") {
  return {
    name: "Await contact",
    input: { type: "object", required: ["leadId"], properties: { leadId: { type: "string" } } },
    steps: [
      { id: "contact", type: "wait_for_event", event: "lead.contacted", match: { leadId: "{{ input.leadId }}" }, timeout: "1h", onTimeout },
      { id: "after", type: "transform", output: { timedOut: "{{ steps.contact.timedOut }}", channel: "{{ steps.contact.event.data.channel }}" } },
    ],
  };
}

const contacted = (tenantId: string, leadId: string, now: number) => buildEvent({ tenantId, type: "lead.contacted", data: { leadId, channel: "sms", by: "user" } }, now);

async function setup(onTimeout: "continue" | "fail" = "continue"): Promise<Harness> {
  const h = await harness();
  await createWorkflow(h, "await-contact", awaitContact(onTimeout));
  return h;
}

describe("wait_for_event", { timeout: 30_000 }, () => {
  it("wakes on the event whose data matches, with the event as the step's output, and not on others", async () => {
    const h = await setup();
    const other = await setup();
    const e = new Engine();
    const run = await e.start(h.tenantId, "await-contact", { leadId: "lead_A" });
    await e.drain();
    expect(await stepRow(run.id, "contact")).toMatchObject({ status: "waiting", waitKind: "event", waitEvent: "lead.contacted", waitMatch: { leadId: "lead_A" }, wakeAt: e.now + HOUR });

    // Another lead, another tenant's lead with the same id, another event type: nothing wakes.
    const deps = e.deps();
    expect(await dispatchEventToWorkflows(deps, contacted(h.tenantId, "lead_B", e.now))).toEqual([]);
    expect(await dispatchEventToWorkflows(deps, contacted(other.tenantId, "lead_A", e.now))).toEqual([]);
    const replied = buildEvent({ tenantId: h.tenantId, type: "lead.replied", data: { leadId: "lead_A", channel: "sms", messageId: "m1" } }, e.now);
    expect(await dispatchEventToWorkflows(deps, replied)).toEqual([]);
    expect(await stepRow(run.id, "contact")).toMatchObject({ status: "waiting" });

    const event = contacted(h.tenantId, "lead_A", e.now);
    await e.send(await dispatchEventToWorkflows(deps, event));
    await e.drain();
    expect(await stepRow(run.id, "contact")).toMatchObject({
      status: "succeeded",
      output: { timedOut: false, event: { id: event.id, type: "lead.contacted", data: { leadId: "lead_A", channel: "sms", by: "user" }, occurredAt: event.occurredAt } },
    });
    const done = await runRow(h.tenantId, run.id);
    expect(done).toMatchObject({ status: "complete", output: { timedOut: false, channel: "sms" } });

    // The same event again, or the timer coming due later, changes nothing.
    expect(await dispatchEventToWorkflows(deps, event)).toEqual([]);
    await e.advance(HOUR);
    expect((await runRow(h.tenantId, run.id)).finishedAt).toBe(done.finishedAt);
  });

  it("is woken through the real events queue by publishEvent", async () => {
    const h = await setup();
    const run = await startRun(h, "await-contact", { leadId: "lead_Q" });
    await waitForStep(h, run.id, "contact", "waiting");
    await publishEvent(env, { tenantId: h.tenantId, type: "lead.contacted", data: { leadId: "lead_other", channel: "email", by: "ai" } });
    await publishEvent(env, { tenantId: h.tenantId, type: "lead.contacted", data: { leadId: "lead_Q", channel: "phone", by: "user" } });
    const done = await waitForRun(h, run.id, ["complete", "errored"]);
    expect(done.output).toEqual({ timedOut: false, channel: "phone" });
    expect(stepOf(done, "contact").output).toMatchObject({ event: { data: { leadId: "lead_Q" } } });
  });

  it("continues with timedOut true when no event came in time", async () => {
    const h = await setup("continue");
    const e = new Engine();
    const run = await e.start(h.tenantId, "await-contact", { leadId: "lead_T" });
    await e.drain();
    await e.advance(HOUR - 1);
    expect(await stepRow(run.id, "contact")).toMatchObject({ status: "waiting" });
    await e.advance(1);
    expect(await stepRow(run.id, "contact")).toMatchObject({ status: "succeeded", output: { timedOut: true, event: null } });
    const done = await runRow(h.tenantId, run.id);
    expect(done.status).toBe("complete");
    // No event, so no channel to read.
    expect(done.output).toEqual({ timedOut: true });
    // A late event finds nothing waiting.
    expect(await dispatchEventToWorkflows(e.deps(), contacted(h.tenantId, "lead_T", e.now))).toEqual([]);
  });

  it("errors the run on timeout when the step says fail", async () => {
    const h = await setup("fail");
    const e = new Engine();
    const run = await e.start(h.tenantId, "await-contact", { leadId: "lead_F" });
    await e.drain();
    await e.advance(HOUR);
    const errored = await runRow(h.tenantId, run.id);
    expect(errored.status).toBe("errored");
    expect(errored.error).toMatchObject({ code: "wait_timeout", stepId: "contact", retryable: false });
    expect(errored.error?.message).toContain("lead.contacted");
    expect(await stepRow(run.id, "contact")).toMatchObject({ status: "failed" });
  });
});
