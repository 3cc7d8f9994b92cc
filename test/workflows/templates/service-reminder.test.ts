/**
 * The service-reminder template: the next service is due by months or by projected
 * mileage, whichever comes first; the run sleeps until a week before, then drafts the
 * reminder and emits service.reminder.due (outside quiet hours). Days pass on a clock the
 * test moves.
 */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { call, expectError } from "../../api/helpers";
import { startRun, stepOf, waitForStep } from "../helpers";
import { dealer, eventsOf, HOUR, localTime, MINUTE, StepDriver, timedRun, timedStep, waitForEvents } from "./helpers";

const DAY = 24 * HOUR;
const EVENTS = ["service.reminder.due"];

/** The UTC calendar date `days` from today, as the API takes dates. */
function dateFromToday(days: number): string {
  const today = Math.floor(Date.now() / DAY) * DAY;
  return new Date(today + days * DAY).toISOString().slice(0, 10);
}

const customer = { name: "Lee Park", email: "lee.park@example.com", phone: "+1 555 010 4477" };
const vehicle = { vin: "5J6RW2H85NA004412", year: 2022, make: "Honda", model: "CR-V" };

const Due = z.object({ dueAt: z.string(), remindAt: z.number(), reason: z.enum(["time", "mileage"]), projectedMileage: z.number(), milesPerDaySource: z.string() });

describe("service reminder", { timeout: 60_000 }, () => {
  it("times the reminder by projected mileage, sleeps until a week before, then drafts and emits it", async () => {
    const d = await dealer("service-reminder", "America/Chicago", EVENTS);
    // 2,800 miles in 40 days is 70 a day: the 2,200 left to the 5,000-mile interval take about 31 days,
    // far sooner than the 6 months since the last visit.
    const input = { customer, vehicle, lastServiceAt: dateFromToday(-50), lastServiceMileage: 30_000, currentMileage: 32_800, mileageAt: dateFromToday(-10) };
    const dueDay = Math.floor((Date.parse(input.mileageAt) + (2_200 / 70) * DAY) / DAY) * DAY;
    const run = await startRun(d, "service-reminder", input);
    const sleeping = await waitForStep(d, run.id, "wait_until_due", "waiting");

    const due = Due.parse(stepOf(sleeping, "due").output);
    expect(due).toMatchObject({ reason: "mileage", dueAt: new Date(dueDay).toISOString().slice(0, 10), milesPerDaySource: "readings" });
    expect(due.projectedMileage).toBeGreaterThanOrEqual(34_999);
    expect(due.projectedMileage).toBeLessThanOrEqual(35_001);
    // A week before the due date, at 16:00 UTC (10:00 in Chicago).
    expect(due.remindAt).toBe(dueDay - 7 * DAY + 16 * HOUR);
    expect(localTime(due.remindAt, "America/Chicago")).toBe("10:00");
    expect(sleeping.status).toBe("waiting");
    expect(stepOf(sleeping, "wait_until_due")).toMatchObject({ waitingFor: "timer", wakeAt: due.remindAt });
    expect(sleeping.steps.map((s) => s.stepId)).not.toContain("draft");

    // A day early the sleep goes on.
    const driver = new StepDriver();
    await driver.wake(run, "wait_until_due", due.remindAt - DAY);
    expect(timedStep(await timedRun(d, run.id), "wait_until_due").status).toBe("waiting");

    await driver.drain(due.remindAt);
    const done = await timedRun(d, run.id);
    expect(done.status).toBe("complete");
    const draft = z.object({ text: z.string() }).parse(timedStep(done, "draft").output).text;
    expect(draft).toContain("Customer: Lee Park Vehicle: 2022 Honda CR-V");
    expect(timedStep(done, "remind")).toMatchObject({ status: "succeeded", finishedAt: due.remindAt });
    expect(done.costNanoUsd).toBeGreaterThan(0);
    expect(done.output).toEqual({ dueAt: due.dueAt, reason: "mileage", message: draft });

    const [reminder] = await waitForEvents(d.partner, "service.reminder.due", 1);
    expect(reminder?.verified).toBe(true);
    expect(reminder?.data).toEqual({ customer, vehicle, dueAt: due.dueAt, reason: "mileage", message: draft, runId: run.id });
  });

  it("times by months for a car driven little, and holds a reminder that comes due at night until 08:00", async () => {
    const zone = "Asia/Tokyo";
    const d = await dealer("service-reminder", zone, EVENTS);
    // 500 miles in 40 days: the 5,000-mile mark is a year away, the 6-month visit comes first.
    const lastServiceAt = dateFromToday(-50);
    const run = await startRun(d, "service-reminder", { customer, vehicle, lastServiceAt, lastServiceMileage: 30_000, currentMileage: 30_500, mileageAt: dateFromToday(-10) });
    const sleeping = await waitForStep(d, run.id, "wait_until_due", "waiting");
    const due = Due.parse(stepOf(sleeping, "due").output);
    const last = new Date(lastServiceAt);
    const sixMonths = new Date(Date.UTC(last.getUTCFullYear(), last.getUTCMonth() + 6, Math.min(last.getUTCDate(), 28)));
    expect(due.reason).toBe("time");
    expect(due.dueAt.slice(0, 7)).toBe(sixMonths.toISOString().slice(0, 7));

    // 16:00 UTC is 01:00 in Tokyo: the reminder is drafted, then held until 08:00 there.
    expect(localTime(due.remindAt, zone)).toBe("01:00");
    const driver = new StepDriver();
    await driver.wake(run, "wait_until_due", due.remindAt);
    const held = await timedRun(d, run.id);
    expect(timedStep(held, "draft").status).toBe("succeeded");
    const remind = timedStep(held, "remind");
    expect(remind).toMatchObject({ status: "pending", wakeAt: due.remindAt + 7 * HOUR });
    expect(await eventsOf(d.partner, "service.reminder.due")).toEqual([]);

    await driver.drain(due.remindAt + 7 * HOUR - MINUTE);
    expect(timedStep(await timedRun(d, run.id), "remind").status).toBe("pending");
    await driver.drain(due.remindAt + 7 * HOUR);
    expect((await timedRun(d, run.id)).status).toBe("complete");
    const [reminder] = await waitForEvents(d.partner, "service.reminder.due", 1);
    expect(reminder?.data).toMatchObject({ reason: "time", dueAt: due.dueAt });
  });

  it("refuses to start without the last service date or its mileage, naming the field", async () => {
    const d = await dealer("service-reminder", "America/Chicago", EVENTS);
    const start = (input: Record<string, unknown>) => call("POST", "/workflows/service-reminder/runs", { token: d.token, body: { input } });
    expect(expectError(await start({ customer, vehicle, lastServiceMileage: 30_000 }), 400, "validation_failed")).toContain("lastServiceAt");
    expect(expectError(await start({ customer, vehicle, lastServiceAt: dateFromToday(-50) }), 400, "validation_failed")).toContain("lastServiceMileage");
    expect(expectError(await start({ customer, vehicle, lastServiceAt: "last spring", lastServiceMileage: 30_000 }), 400, "validation_failed")).toContain("lastServiceAt");
  });
});
