/**
 * What people do to runs: pause (timers coming due do not move a paused run), resume
 * (whatever came due meanwhile moves, and a run whose last step finished while paused
 * completes), and cancel (the run, its waiting steps and its child runs end).
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { makeDb } from "../../../workers/db";
import { randomString } from "../../../workers/lib/ids";
import { advance } from "../../../workers/workflows/engine/advance";
import { pauseRun, resumeRun } from "../../../workers/workflows/engine/control";
import { claimStep, finishStep } from "../../../workers/workflows/engine/rows";
import { treeFor } from "../../../workers/workflows/engine/trees";
import { call, expectError, expectOk } from "../../api/helpers";
import { createWorkflow, harness, RunBody } from "../helpers";
import { Engine, HOUR, runRow, stepRow, stepRows } from "./driver";

const db = makeDb(env.DB);
const napThenSay = { name: "Nap then say", steps: [{ id: "nap", type: "sleep", duration: "1h" }, { id: "say", type: "transform", output: "done" }] };

describe("pause and resume", { timeout: 30_000 }, () => {
  it("holds a paused run while its timer comes due, and finishes it on resume", async () => {
    const h = await harness();
    await createWorkflow(h, "nap", napThenSay);
    const e = new Engine();
    const run = await e.start(h.tenantId, "nap", {});
    await e.drain();
    expect((await runRow(h.tenantId, run.id)).status).toBe("waiting");

    expect((await pauseRun(e.deps(), h.tenantId, run.id)).status).toBe("paused");
    await e.advance(HOUR + 5 * 60_000);
    await e.cron();
    await e.drain();
    expect((await runRow(h.tenantId, run.id)).status).toBe("paused");
    expect(await stepRow(run.id, "nap")).toMatchObject({ status: "waiting" });
    expect((await stepRows(run.id)).map((s) => s.stepId)).toEqual(["nap"]);

    const resumed = await resumeRun(e.deps(), h.tenantId, run.id);
    expect(resumed.run.status).toBe("running");
    await e.send(resumed.jobs);
    await e.drain();
    expect(await runRow(h.tenantId, run.id)).toMatchObject({ status: "complete", output: "done" });
  });

  it("completes on resume a run whose last step finished while it was paused", async () => {
    const h = await harness();
    await createWorkflow(h, "one-call", { name: "One call", steps: [{ id: "call", type: "http", url: `${env.SIM_URL}/echo/${randomString(8)}` }] });
    const e = new Engine();
    const run = await e.start(h.tenantId, "one-call", {});
    e.take(run.id);
    // A consumer has the step in flight when someone pauses the run; then the step ends.
    const claimed = await claimStep(db, await stepRow(run.id, "call"), e.now, 90_000);
    if (!claimed) throw new Error("claim failed");
    await pauseRun(e.deps(), h.tenantId, run.id);
    expect(await finishStep(db, claimed, { output: { status: 200 }, costNanoUsd: 0 }, e.now)).toBe(true);
    const live = await runRow(h.tenantId, run.id);
    await e.send(await advance(e.deps(), live, await treeFor(e.deps(), live), "call", 0));
    await e.drain();
    expect((await runRow(h.tenantId, run.id)).status).toBe("paused");

    const resumed = await resumeRun(e.deps(), h.tenantId, run.id);
    await e.send(resumed.jobs);
    await e.drain();
    expect(await runRow(h.tenantId, run.id)).toMatchObject({ status: "complete", output: { status: 200 } });
  });

  it("answers 409 for a resume of a run that is not paused and a pause of one that ended", async () => {
    const h = await harness();
    await createWorkflow(h, "nap", napThenSay);
    const e = new Engine();
    const run = await e.start(h.tenantId, "nap", {});
    await e.drain();
    expectError(await call("POST", `/runs/${run.id}/resume`, { token: h.token }), 409, "conflict");
    expect(expectOk(await call("POST", `/runs/${run.id}/pause`, { token: h.token }), 200, RunBody).status).toBe("paused");
    expectError(await call("POST", `/runs/${run.id}/pause`, { token: h.token }), 409, "conflict");
    expectError(await call("POST", `/runs/run_nope/pause`, { token: h.token }), 404, "not_found");
  });
});

describe("cancel", { timeout: 30_000 }, () => {
  it("terminates a waiting run, cancels its waiting step and its child run; a second cancel is a 409", async () => {
    const h = await harness();
    await createWorkflow(h, "child-nap", napThenSay);
    await createWorkflow(h, "parent", { name: "Parent", steps: [{ id: "child", type: "subworkflow", workflow: "child-nap" }, { id: "after", type: "transform", output: 1 }] });
    const e = new Engine();
    const parent = await e.start(h.tenantId, "parent", {});
    await e.drain();
    const [child] = await db.query.workflowRuns.findMany({ where: (r, { eq }) => eq(r.parentRunId, parent.id) });
    if (!child) throw new Error("no child run");
    expect(await stepRow(parent.id, "child")).toMatchObject({ status: "waiting", waitKind: "child" });
    expect(await stepRow(child.id, "nap")).toMatchObject({ status: "waiting", waitKind: "timer" });

    const cancelled = expectOk(await call("POST", `/runs/${parent.id}/cancel`, { token: h.token }), 200, RunBody);
    expect(cancelled.status).toBe("terminated");
    expect(await stepRow(parent.id, "child")).toMatchObject({ status: "cancelled" });
    expect((await runRow(h.tenantId, child.id)).status).toBe("terminated");
    expect(await stepRow(child.id, "nap")).toMatchObject({ status: "cancelled" });

    expectError(await call("POST", `/runs/${parent.id}/cancel`, { token: h.token }), 409, "conflict");
    expectError(await call("POST", `/runs/${child.id}/cancel`, { token: h.token }), 409, "conflict");

    // The child's timer coming due later moves nothing.
    await e.advance(2 * HOUR);
    await e.cron();
    await e.drain();
    expect((await runRow(h.tenantId, parent.id)).status).toBe("terminated");
    expect((await stepRows(child.id)).map((s) => [s.stepId, s.status])).toEqual([["nap", "cancelled"]]);
    expect((await stepRows(parent.id)).map((s) => [s.stepId, s.status])).toEqual([["child", "cancelled"]]);
  });
});
