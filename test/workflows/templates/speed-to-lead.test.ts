/**
 * The speed-to-lead template end to end: an ADF lead posted to the intake hook starts the
 * run through lead.created; the lead is read, scored and answered by the AI through the
 * gateway and the run completes with the draft; the lead-follow-up run it starts sends
 * lead.replied to the partner (held through quiet hours) and then waits for contact. A lead
 * posted again starts nothing more.
 */
import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { expectOk } from "../../api/helpers";
import { waitForUsage } from "../../gateway/helpers";
import { Intake, postLead, samples } from "../../leads/helpers";
import { startRun, stepOf, waitForRun, waitForStep } from "../helpers";
import { type Dealer, dealer, eventsOf, firstRunOf, HOUR, localTime, runsOf, StepDriver, type TimedRun, timedRun, timedStep, waitForEvents, zoneWhereHourIs } from "./helpers";

const EVENTS = ["lead.replied", "lead.escalated"];

const Parsed = z.object({ lead: z.object({ customer: z.object({ name: z.string(), firstName: z.string() }), vehicles: z.array(z.object({ model: z.string() })) }) });
const Score = z.object({ score: z.number(), grade: z.string() });
const Draft = z.object({ text: z.string(), model: z.string(), costNanoUsd: z.number() });

/** Waits until the reply step has been put off (pending with a wake time). */
async function heldReply(d: Dealer, runId: string): Promise<TimedRun> {
  let run: TimedRun | undefined;
  await vi.waitFor(
    async () => {
      run = await timedRun(d, runId);
      const reply = run.steps.find((s) => s.stepId === "reply");
      expect(reply?.wakeAt ?? null, JSON.stringify(run.steps.map((s) => [s.stepId, s.status]))).not.toBeNull();
    },
    { timeout: 20_000, interval: 100 },
  );
  if (!run) throw new Error("unreachable");
  return run;
}

describe("speed to lead", { timeout: 60_000 }, () => {
  it("answers a posted ADF lead with a drafted reply naming the customer and the vehicle", async () => {
    const d = await dealer("speed-to-lead", zoneWhereHourIs(11), EVENTS);
    const intake = expectOk(await postLead(samples.newLead, { key: d.leadsKey }), 201, Intake);
    const runId = await firstRunOf(d);
    const run = await waitForRun(d, runId, ["complete", "errored"]);
    expect(run.status).toBe("complete");
    expect(run.input).toMatchObject({ leadId: intake.leadId, customer: { name: "Dana Reyes" } });

    expect(Parsed.parse(stepOf(run, "parse_adf").output).lead).toMatchObject({ customer: { name: "Dana Reyes", firstName: "Dana" }, vehicles: [{ model: "RAV4" }] });
    expect(stepOf(run, "sentiment").output).toMatchObject({ label: expect.any(String) });
    expect(stepOf(run, "intent").output).toMatchObject({ intent: expect.any(String) });
    const score = Score.parse(stepOf(run, "score").output);
    expect(["hot", "warm", "cold"]).toContain(score.grade);
    const draft = Draft.parse(stepOf(run, "draft").output);
    // The simulated model echoes the start of the prompt: the customer's name and the vehicle.
    expect(draft.text).toContain("Dana Reyes");
    expect(draft.text).toContain("2024 Toyota RAV4 XLE");
    expect(stepOf(run, "quality").output).toMatchObject({ score: expect.any(Number) });
    expect(run.output).toMatchObject({ leadId: intake.leadId, reply: draft.text, grade: score.grade });

    // The AI call went through the gateway on the workflow's account and its cost is the run's.
    expect(draft.costNanoUsd).toBeGreaterThan(0);
    expect(run.costNanoUsd).toBe(draft.costNanoUsd);
    const usage = await waitForUsage(`${runId}:draft:0:1`);
    expect(JSON.parse(usage.tags)).toContain(`workflow:${d.workflowId}`);
    expect(usage).toMatchObject({ tenant_id: d.tenantId, status: 200, cost_nano_usd: draft.costNanoUsd });

    const [replied] = await waitForEvents(d.partner, "lead.replied", 1);
    expect(replied?.verified).toBe(true);
    expect(replied?.data).toMatchObject({ leadId: intake.leadId, channel: "email", by: "ai", runId, reply: draft.text, grade: score.grade });
    expect(String(replied?.data.reply)).toMatch(/^Thanks for reaching out about "Customer: Dana Reyes Vehicle: 2024 Toyota RAV4 XLE"/);

    // The follow-up is its own run: it sent the reply and waits for someone to contact the customer.
    const escalation = await firstRunOf(d, "lead-follow-up");
    const waiting = await waitForStep(d, escalation, "contacted_5m", "waiting");
    expect(waiting).toMatchObject({ parentRunId: runId, input: { leadId: intake.leadId } });
    expect(await eventsOf(d.partner, "lead.escalated")).toEqual([]);
  });

  it("answers a lead started through the API without ADF (a web form) from its customer and vehicle", async () => {
    const d = await dealer("speed-to-lead", zoneWhereHourIs(11), EVENTS);
    const input = { leadId: "lead_webform0000000001", customer: { name: "Ana Silva", email: "ana@example.com" }, vehicle: { year: 2023, make: "Ford", model: "Maverick" }, comments: "Do you have one in blue?" };
    const started = await startRun(d, "speed-to-lead", input);
    const run = await waitForRun(d, started.id, ["complete", "errored"]);
    expect(run.status, JSON.stringify(run.error)).toBe("complete");
    expect(run.steps.map((s) => s.stepId)).not.toContain("parse_adf");
    expect(stepOf(run, "lead").output).toMatchObject({ taken: "else", output: { customer: input.customer, comments: input.comments } });
    const [replied] = await waitForEvents(d.partner, "lead.replied", 1);
    expect(String(replied?.data.reply)).toContain("Customer: Ana Silva Vehicle: 2023 Ford Maverick");
  });

  it("starts one run for a lead posted twice and resent by its provider", async () => {
    const d = await dealer("speed-to-lead", zoneWhereHourIs(11), EVENTS);
    const first = expectOk(await postLead(samples.newLead, { key: d.leadsKey }), 201, Intake);
    expect(expectOk(await postLead(samples.newLead, { key: d.leadsKey }), 200, Intake)).toMatchObject({ leadId: first.leadId, status: "duplicate" });
    expect(expectOk(await postLead(samples.resendLead, { key: d.leadsKey }), 200, Intake)).toMatchObject({ leadId: first.leadId, status: "duplicate" });
    const runId = await firstRunOf(d);
    await waitForRun(d, runId, ["complete"]);
    await waitForEvents(d.partner, "lead.replied", 1);
    expect((await runsOf(d)).map((r) => r.id)).toEqual([runId]);
    expect((await runsOf(d, "lead-follow-up")).length).toBe(1);
    expect(await eventsOf(d.partner, "lead.replied")).toHaveLength(1);
  });

  it("drafts at once but holds the reply to a lead that arrives at night until 08:00 in the dealership's zone", async () => {
    const zone = zoneWhereHourIs(23);
    const d = await dealer("speed-to-lead", zone, EVENTS);
    expectOk(await postLead(samples.newLead, { key: d.leadsKey }), 201, Intake);
    // The drafting run completes at night with the reply ready…
    const drafted = await waitForRun(d, await firstRunOf(d), ["complete"]);
    const text = Draft.parse(stepOf(drafted, "draft").output).text;
    expect(drafted.output).toMatchObject({ reply: text });
    // …and the follow-up run holds the outbound message.
    const runId = await firstRunOf(d, "lead-follow-up");
    const run = await heldReply(d, runId);
    const reply = timedStep(run, "reply");
    const heldAt = reply.startedAt ?? 0;
    expect(localTime(heldAt, zone)).toMatch(/^(23|00):/);
    const wakeAt = reply.wakeAt ?? 0;
    expect(localTime(wakeAt, zone)).toBe("08:00");
    expect(wakeAt - heldAt).toBeGreaterThan(7 * HOUR);
    expect(wakeAt - heldAt).toBeLessThanOrEqual(9 * HOUR);
    expect(reply.attempts).toBe(0);
    expect(run.status).toBe("running");
    expect(await eventsOf(d.partner, "lead.replied")).toEqual([]);

    // A minute early it is still night: the step stays held.
    const driver = new StepDriver();
    await driver.step(run, "reply", wakeAt - 60_000);
    expect(timedStep(await timedRun(d, runId), "reply")).toMatchObject({ status: "pending", wakeAt });

    await driver.drain(wakeAt);
    const sent = await timedRun(d, runId);
    expect(timedStep(sent, "reply")).toMatchObject({ status: "succeeded", attempts: 1, finishedAt: wakeAt });
    const [replied] = await waitForEvents(d.partner, "lead.replied", 1);
    expect(replied?.data.reply).toBe(text);
  });
});
