/**
 * What happens after the first reply to a lead (the lead-follow-up run speed-to-lead
 * hands it to): while no one contacts the customer, lead.escalated goes out at 5, 15 and
 * 60 minutes; a lead.contacted (POST /leads/{id}/contacted) stops it. The minutes pass on
 * a clock the test moves, through the workflows consumer and the every-minute cron.
 */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { call, expectOk } from "../../api/helpers";
import { Intake, postLead, samples } from "../../leads/helpers";
import { waitForRun, waitForStep } from "../helpers";
import { type Dealer, dealer, eventsOf, firstRunOf, MINUTE, StepDriver, timedRun, timedStep, waitForEvents, zoneWhereHourIs } from "./helpers";

const EVENTS = ["lead.replied", "lead.escalated"];

/** A dealer whose lead was answered; answers the lead and its escalation run, waiting at 5 minutes. */
async function answeredLead(): Promise<{ d: Dealer; leadId: string; runId: string; waitStart: number }> {
  const d = await dealer("speed-to-lead", zoneWhereHourIs(11), EVENTS);
  const { leadId } = expectOk(await postLead(samples.newLead, { key: d.leadsKey }), 201, Intake);
  const runId = await firstRunOf(d, "lead-follow-up");
  await waitForStep(d, runId, "contacted_5m", "waiting");
  const wait = timedStep(await timedRun(d, runId), "contacted_5m");
  // The wait began when its handler ran, a moment after the step was claimed.
  const waitStart = (wait.wakeAt ?? 0) - 5 * MINUTE;
  expect(waitStart).toBeGreaterThanOrEqual(wait.startedAt ?? Number.POSITIVE_INFINITY);
  return { d, leadId, runId, waitStart };
}

const Escalated = z.object({ leadId: z.string(), level: z.number(), minutesWaiting: z.number(), runId: z.string() });

describe("lead escalation", { timeout: 60_000 }, () => {
  it("escalates at 5, 15 and 60 minutes while no one contacts the customer, then ends", async () => {
    const { d, leadId, runId, waitStart: t0 } = await answeredLead();
    const driver = new StepDriver();

    // At 4 minutes the wait is not over: nothing happens, the wake comes back at 5.
    await driver.wake({ id: runId }, "contacted_5m", t0 + 4 * MINUTE);
    let run = await timedRun(d, runId);
    expect(timedStep(run, "contacted_5m").status).toBe("waiting");
    expect(run.steps.map((s) => s.stepId)).not.toContain("escalate_1");
    expect(driver.next()).toBe(t0 + 5 * MINUTE);

    await driver.drain(driver.next());
    run = await timedRun(d, runId);
    expect(timedStep(run, "escalate_1")).toMatchObject({ status: "succeeded", startedAt: t0 + 5 * MINUTE });
    expect(timedStep(run, "contacted_15m")).toMatchObject({ status: "waiting", wakeAt: t0 + 15 * MINUTE });
    expect((await waitForEvents(d.partner, "lead.escalated", 1)).map((e) => e.data.level)).toEqual([1]);

    await driver.drain(driver.next());
    run = await timedRun(d, runId);
    expect(timedStep(run, "escalate_2")).toMatchObject({ status: "succeeded", startedAt: t0 + 15 * MINUTE });
    expect(timedStep(run, "contacted_60m")).toMatchObject({ status: "waiting", wakeAt: t0 + 60 * MINUTE });

    await driver.drain(driver.next());
    run = await timedRun(d, runId);
    expect(timedStep(run, "escalate_3")).toMatchObject({ status: "succeeded", startedAt: t0 + 60 * MINUTE });
    expect(run.status).toBe("complete");

    // Webhooks promise delivery, not order: levels 2 and 3 may arrive either way round.
    const events = await waitForEvents(d.partner, "lead.escalated", 3);
    expect(events.map((e) => Escalated.parse(e.data)).sort((a, b) => a.level - b.level)).toEqual([
      { leadId, level: 1, minutesWaiting: 5, runId },
      { leadId, level: 2, minutesWaiting: 15, runId },
      { leadId, level: 3, minutesWaiting: 60, runId },
    ]);
    expect(events.every((e) => e.verified)).toBe(true);
    expect(driver.pending).toEqual([]);
  });

  it("escalates on the every-minute cron when the timer's own message never arrives", async () => {
    const { d, runId, waitStart: t0 } = await answeredLead();
    const driver = new StepDriver();
    // Within a minute of the due time the cron leaves the timer to its own message.
    await driver.cron(t0 + 5 * MINUTE + 30_000);
    expect((await timedRun(d, runId)).steps.map((s) => s.stepId)).not.toContain("escalate_1");

    await driver.cron(t0 + 6 * MINUTE + 1);
    const run = await timedRun(d, runId);
    expect(timedStep(run, "escalate_1")).toMatchObject({ status: "succeeded", startedAt: t0 + 6 * MINUTE + 1 });
    expect(timedStep(run, "contacted_15m").status).toBe("waiting");
    expect((await waitForEvents(d.partner, "lead.escalated", 1)).map((e) => e.data.level)).toEqual([1]);
  });

  it("stops when the lead is marked contacted after the reply: no escalation, the run completes", async () => {
    const { d, leadId, runId, waitStart: t0 } = await answeredLead();
    await waitForEvents(d.partner, "lead.replied", 1);
    expectOk(await call("POST", `/leads/${leadId}/contacted`, { token: d.token, body: { channel: "phone", note: "Booked a Saturday test drive" } }), 200, z.object({ status: z.literal("contacted") }));

    const done = await waitForRun(d, runId, ["complete", "errored"]);
    expect(done.status).toBe("complete");
    const waited = timedStep(await timedRun(d, runId), "contacted_5m");
    expect(waited).toMatchObject({ status: "succeeded", output: { timedOut: false, event: { type: "lead.contacted", data: { leadId, channel: "phone" } } } });

    // The timer's wake and the cron, long after, change nothing.
    const driver = new StepDriver();
    await driver.wake({ id: runId }, "contacted_5m", t0 + 5 * MINUTE);
    await driver.cron(t0 + 2 * 60 * MINUTE);
    const after = await timedRun(d, runId);
    expect(after.status).toBe("complete");
    expect(after.steps.map((s) => s.stepId).filter((id) => id.startsWith("escalate"))).toEqual([]);
    expect(await eventsOf(d.partner, "lead.escalated")).toEqual([]);
  });

  it("stops between levels: contacted after the first escalation, nothing more goes out", async () => {
    const { d, leadId, runId, waitStart: t0 } = await answeredLead();
    const driver = new StepDriver();
    await driver.cron(t0 + 6 * MINUTE + 1);
    await waitForEvents(d.partner, "lead.escalated", 1);
    expectOk(await call("POST", `/leads/${leadId}/contacted`, { token: d.token, body: { channel: "email" } }), 200, z.object({ status: z.literal("contacted") }));
    const done = await waitForRun(d, runId, ["complete", "errored"]);
    expect(done.status).toBe("complete");
    await driver.drain(t0 + 2 * 60 * MINUTE);
    const after = await timedRun(d, runId);
    expect(after.steps.map((s) => s.stepId).filter((id) => id.startsWith("escalate"))).toEqual(["escalate_1"]);
    expect(timedStep(after, "contacted_15m")).toMatchObject({ status: "succeeded", output: { timedOut: false } });
    expect((await eventsOf(d.partner, "lead.escalated")).map((e) => e.data.level)).toEqual([1]);
  });
});
