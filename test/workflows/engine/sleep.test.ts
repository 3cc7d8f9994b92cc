/**
 * Sleeps: a short one resumes through the real queue; a long one (days, past any Worker
 * invocation and past the queue's 12-hour delay limit) is parked in D1 and woken by the
 * every-minute sweep once it is due.
 */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { MAX_QUEUE_DELAY_S } from "../../../workers/workflows/engine/messages";
import { createWorkflow, harness, startRun, stepOf, waitForRun } from "../helpers";
import { DAY, Engine, HOUR, MINUTE, runRow, stepRow } from "./driver";

describe("sleep", { timeout: 30_000 }, () => {
  it("resumes a one-second sleep through the queue", async () => {
    const h = await harness();
    await createWorkflow(h, "nap", { name: "Nap", steps: [{ id: "nap", type: "sleep", duration: "1s" }, { id: "after", type: "transform", output: "awake" }] });
    const before = Date.now();
    const run = await startRun(h, "nap", {});
    const done = await waitForRun(h, run.id, ["complete", "errored"]);
    expect(done.status).toBe("complete");
    expect(done.output).toBe("awake");
    const slept = stepOf(done, "nap");
    expect(slept).toMatchObject({ status: "succeeded", attempts: 1 });
    // Woken by its own delayed message, not before the second was up.
    const { sleptUntil } = z.object({ sleptUntil: z.string().datetime() }).parse(slept.output);
    expect(Date.parse(sleptUntil)).toBeGreaterThanOrEqual(before + 1000);
  });

  it("parks a three-day sleep in D1 and lets the sweep wake it when due", async () => {
    const h = await harness();
    await createWorkflow(h, "follow-up", { name: "Follow up", steps: [{ id: "wait3d", type: "sleep", duration: "3d" }, { id: "after", type: "transform", output: "{{ steps.wait3d.sleptUntil }}" }] });
    const e = new Engine();
    const t0 = e.now;
    const run = await e.start(h.tenantId, "follow-up", {});
    await e.drain();

    expect(await stepRow(run.id, "wait3d")).toMatchObject({ status: "waiting", waitKind: "timer", wakeAt: t0 + 3 * DAY });
    expect((await runRow(h.tenantId, run.id)).status).toBe("waiting");
    // The queue cannot hold a message for three days: it comes back after 12 hours, finds the
    // sleep not due and is sent again.
    expect(e.pendingFor(run.id).map((p) => p.at)).toEqual([t0 + MAX_QUEUE_DELAY_S * 1000]);
    await e.advance(12 * HOUR);
    expect(await stepRow(run.id, "wait3d")).toMatchObject({ status: "waiting" });
    expect(e.pendingFor(run.id)).toHaveLength(1);

    // Suppose those messages are lost. A sweep before the sleep is due does nothing...
    e.pending = [];
    e.now = t0 + 2 * DAY;
    await e.cron();
    await e.drain();
    expect(await stepRow(run.id, "wait3d")).toMatchObject({ status: "waiting" });

    // ...and the first sweep after it is due wakes it.
    e.now = t0 + 3 * DAY + 2 * MINUTE;
    await e.cron();
    await e.drain();
    const done = await runRow(h.tenantId, run.id);
    expect(done.status).toBe("complete");
    expect(done.output).toBe(new Date(t0 + 3 * DAY + 2 * MINUTE).toISOString());
    expect(await stepRow(run.id, "wait3d")).toMatchObject({ status: "succeeded", wakeAt: null });
  });

  it("sleeps until a time given by a template, and not at all when it has passed", async () => {
    const h = await harness();
    await createWorkflow(h, "until", { name: "Until", steps: [{ id: "nap", type: "sleep", until: "{{ input.at }}" }] });
    const e = new Engine();
    const later = await e.start(h.tenantId, "until", { at: new Date(e.now + 5 * HOUR).toISOString() });
    const past = await e.start(h.tenantId, "until", { at: e.now - HOUR });
    const bad = await e.start(h.tenantId, "until", { at: "next tuesday" });
    await e.drain();
    expect(await stepRow(later.id, "nap")).toMatchObject({ status: "waiting", wakeAt: e.now + 5 * HOUR });
    expect((await runRow(h.tenantId, past.id)).status).toBe("complete");
    const errored = await runRow(h.tenantId, bad.id);
    expect(errored.status).toBe("errored");
    expect(errored.error).toMatchObject({ code: "invalid_step_input", stepId: "nap" });
    await e.advance(5 * HOUR);
    expect((await runRow(h.tenantId, later.id)).status).toBe("complete");
  });
});
