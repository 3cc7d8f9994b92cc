/**
 * The `emit` step: rendered data checked against the catalog, an event id fixed by the
 * step's key, and a partner who receives one webhook however often the step runs. The
 * events and delivery consumers are driven by hand (test/webhooks/helpers.ts).
 */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { buildEvent, deterministicEventId, platformEventSchema } from "../../../workers/events/publish";
import type { Step } from "../../../workers/workflows/definition/schema";
import { emitStep } from "../../../workers/workflows/steps/emit";
import { createTestTenant } from "../../helpers/fixtures";
import { createEndpoint, Harness, messagesOf, partnerName, received } from "../../webhooks/helpers";
import { failureOf, stepContext } from "../step-context";

type EmitStep = Extract<Step, { type: "emit" }>;

const Done = z.object({ kind: z.literal("done"), output: z.object({ eventId: z.string(), type: z.string() }) });

const replied: EmitStep = {
  id: "announce",
  type: "emit",
  event: "lead.replied",
  data: { leadId: "{{ input.leadId }}", channel: "email", messageId: "msg_{{ run.id }}", reply: "{{ input.reply }}", by: "ai", runId: "{{ run.id }}" },
};

const input = { leadId: "lead_8fK2", reply: "Hi Dana, the RAV4 is here." };

/** Runs the events consumer on whatever the step published, then delivers what is due. */
async function fanOutAndDeliver(h: Harness): Promise<void> {
  await h.runEvents(h.eventsQueue.take().map((s) => s.body));
  await h.drain();
}

describe("emit step", { timeout: 30_000 }, () => {
  it("publishes the rendered event under an id fixed by the step's key", async () => {
    const h = new Harness();
    const tenant = await createTestTenant("Emit Motors");
    const ctx = stepContext({ now: Date.now, tenantId: tenant.tenantId, env: h.env, input });
    const done = Done.parse(await emitStep.run(ctx, replied));
    expect(done.output).toEqual({ eventId: await deterministicEventId(`emit:${ctx.key}`), type: "lead.replied" });
    expect(done.output.eventId).toMatch(/^evt_[0-9A-Za-z]{20}$/);
    const [sent] = h.eventsQueue.take();
    const event = platformEventSchema.parse(sent?.body);
    expect(event).toMatchObject({ id: done.output.eventId, tenantId: tenant.tenantId, type: "lead.replied" });
    expect(event.data).toEqual({ leadId: "lead_8fK2", channel: "email", messageId: `msg_${ctx.runId}`, reply: input.reply, by: "ai", runId: ctx.runId });
  });

  it("reaches a partner once when the step runs twice, before or after the first delivery", async () => {
    const h = new Harness();
    const tenant = await createTestTenant("Emit Twice Motors");
    const name = partnerName("emit");
    const endpoint = await createEndpoint(tenant.adminKey, name, { eventTypes: ["lead.replied"] });
    const ctx = stepContext({ now: Date.now, tenantId: tenant.tenantId, env: h.env, input });
    const again = stepContext({ now: Date.now, tenantId: tenant.tenantId, env: h.env, input, runId: ctx.runId, stepId: ctx.stepId, attempt: 2 });

    const first = Done.parse(await emitStep.run(ctx, replied));
    const second = Done.parse(await emitStep.run(again, replied));
    expect(second.output.eventId).toBe(first.output.eventId);
    expect(h.eventsQueue.sent).toHaveLength(2);
    // Both publishes fan out before anything is delivered.
    await fanOutAndDeliver(h);
    expect(await messagesOf(endpoint.id)).toHaveLength(1);
    expect(await received(name)).toHaveLength(1);

    // And once more after the partner has it.
    await emitStep.run(again, replied);
    await fanOutAndDeliver(h);
    expect(await messagesOf(endpoint.id)).toHaveLength(1);
    const got = await received(name);
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ type: "lead.replied", verified: true, answered: 200 });
    expect(JSON.parse(got[0]?.body ?? "{}")).toMatchObject({ type: "lead.replied", data: { leadId: "lead_8fK2" } });
  });

  it("publishes a new event for a new iteration of the step", async () => {
    const h = new Harness();
    const tenant = await createTestTenant("Emit Loop Motors");
    const name = partnerName("loop");
    await createEndpoint(tenant.adminKey, name, { eventTypes: ["lead.replied"] });
    const ctx = stepContext({ now: Date.now, tenantId: tenant.tenantId, env: h.env, input });
    const next = stepContext({ now: Date.now, tenantId: tenant.tenantId, env: h.env, input, runId: ctx.runId, stepId: ctx.stepId, iteration: 1 });
    const a = Done.parse(await emitStep.run(ctx, replied));
    const b = Done.parse(await emitStep.run(next, replied));
    expect(b.output.eventId).not.toBe(a.output.eventId);
    await fanOutAndDeliver(h);
    expect(await received(name)).toHaveLength(2);
  });

  it("refuses data the catalog does not accept, listing the problems, and publishes nothing", async () => {
    const h = new Harness();
    const ctx = stepContext({ now: Date.now, tenantId: "ten_emit_bad", env: h.env, input: { leadId: 42 } });
    const bad: EmitStep = { ...replied, data: { leadId: "{{ input.leadId }}", channel: "fax" } };
    const failure = await failureOf(emitStep.run(ctx, bad));
    expect(failure).toMatchObject({ code: "invalid_event_data", retryable: false });
    expect(failure.message).toContain("leadId");
    expect(failure.message).toContain("channel");
    expect(failure.message).toContain("messageId");
    expect(h.eventsQueue.sent).toHaveLength(0);
  });
});

describe("deterministic event ids", () => {
  it("are stable for a seed, differ between seeds, and pass through buildEvent", async () => {
    const a = await deterministicEventId("run_1:step:0");
    expect(await deterministicEventId("run_1:step:0")).toBe(a);
    expect(await deterministicEventId("run_1:step:1")).not.toBe(a);
    const event = buildEvent({ id: a, tenantId: "ten_1", type: "webhook.test", data: { endpointId: "whe_1", message: "hi" } }, 1);
    expect(event.id).toBe(a);
  });

  it("are refused by buildEvent when malformed", () => {
    for (const id of ["evt_", "msg_12345678", "evt_has space1", `evt_${"a".repeat(65)}`]) {
      expect(() => buildEvent({ id, tenantId: "ten_1", type: "webhook.test", data: { endpointId: "whe_1", message: "hi" } }, 1), id).toThrow("Invalid event id");
    }
  });
});
