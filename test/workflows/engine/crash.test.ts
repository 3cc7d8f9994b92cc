/**
 * A consumer that dies mid-step: its claim (a lease) keeps others off the step until it
 * runs out; then the step runs again with the same idempotency key, and whatever the dead
 * consumer does late cannot overwrite the newer attempt. Time is the driver's clock.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { makeDb } from "../../../workers/db";
import { randomString } from "../../../workers/lib/ids";
import { stepContext } from "../../../workers/workflows/engine/context";
import { claimStep, claimWaiting, deferStep, finishStep, finishWaiting, parkStep } from "../../../workers/workflows/engine/rows";
import { decideApproval } from "../../../workers/workflows/engine/control";
import { childStarter } from "../../../workers/workflows/engine/start";
import type { Step } from "../../../workers/workflows/definition/schema";
import { httpStep } from "../../../workers/workflows/steps/http";
import { configurePartner, partnerName, partnerUrl, received } from "../../webhooks/helpers";
import { createWorkflow, harness } from "../helpers";
import { Engine, HOUR, runRow, stepMessage, stepRow } from "./driver";

const db = makeDb(env.DB);
const Echoed = z.object({ data: z.array(z.object({ headers: z.record(z.string(), z.string()), body: z.string() })) });

function echoUrl(name: string): string {
  return `${env.SIM_URL}/echo/${name}`;
}

async function echoed(name: string) {
  return Echoed.parse(await (await fetch(`${echoUrl(name)}/_received`)).json()).data;
}

/** http timeout 5 s: the lease is the timeout plus a minute. */
const LEASE_MS = 5_000 + 60_000;

describe("a consumer that dies while it holds a step", { timeout: 30_000 }, () => {
  it("keeps the step until the lease runs out, then runs it once more with the same Idempotency-Key", async () => {
    const h = await harness();
    const crm = `crm-${randomString(8)}`;
    const call: Extract<Step, { type: "http" }> = { id: "call", type: "http", method: "POST", url: echoUrl(crm), timeout: "5s", body: { leadId: "{{ input.leadId }}" } };
    await createWorkflow(h, "crash", { name: "Crash", steps: [call, { id: "after", type: "transform", output: { status: "{{ steps.call.status }}" } }] });
    const e = new Engine();
    const run = await e.start(h.tenantId, "crash", { leadId: "lead_9" });
    const [message] = e.take(run.id);
    if (!message) throw new Error("no first message");

    // The first consumer claims the step, sends the request, and dies before recording anything.
    const t0 = e.now;
    const stale = await claimStep(db, await stepRow(run.id, "call"), t0, LEASE_MS);
    if (!stale) throw new Error("claim failed");
    const ctx = await stepContext(e.deps(), run, stale, new AbortController().signal, childStarter(e.deps(), run, stale));
    await httpStep.run(ctx, call);

    // The queue hands the message out again while the lease holds: nothing runs.
    await e.deliver([message], t0 + 10_000);
    expect(await echoed(crm)).toHaveLength(1);
    expect(await stepRow(run.id, "call")).toMatchObject({ status: "running", attempts: 1, leaseUntil: t0 + LEASE_MS });

    // After the lease: it runs once more, with the key the first attempt used.
    e.now = t0 + LEASE_MS + 1;
    await e.deliver([message]);
    const requests = await echoed(crm);
    expect(requests).toHaveLength(2);
    expect(requests.map((r) => r.headers["idempotency-key"])).toEqual([`${run.id}:call:0`, `${run.id}:call:0`]);
    const done = await stepRow(run.id, "call");
    expect(done).toMatchObject({ status: "succeeded", attempts: 2 });
    expect((await runRow(h.tenantId, run.id)).status).toBe("complete");

    // The dead consumer wakes up and tries to record its own ending: every write is refused.
    expect(await finishStep(db, stale, { output: { stale: true }, costNanoUsd: 0 }, e.now)).toBe(false);
    expect(await deferStep(db, stale, e.now + 1000, null, true, e.now)).toBe(false);
    expect(await parkStep(db, stale, { waitKind: "timer", waitEvent: null, waitMatch: null, wakeAt: e.now, state: null }, e.now)).toBe(false);
    const after = await stepRow(run.id, "call");
    expect(after.status).toBe("succeeded");
    expect(after.output).toEqual(done.output);
    expect((await runRow(h.tenantId, run.id)).output).toEqual({ status: 200 });
  });

  it("does not let a stale consumer's late failure fail the step a newer attempt holds", async () => {
    const h = await harness();
    const partner = partnerName("slow");
    await configurePartner(partner, { mode: "stall" });
    await createWorkflow(h, "stale-fail", { name: "Stale failure", steps: [{ id: "push", type: "http", url: partnerUrl(partner), timeout: 1, retry: { limit: 0 } }] });
    const e = new Engine();
    const run = await e.start(h.tenantId, "stale-fail", {});
    const [message] = e.take(run.id);
    if (!message) throw new Error("no first message");

    const t0 = e.now;
    // Consumer A runs the step; the partner never answers, so A times out a second later.
    const a = e.deliver([message], t0);
    await vi.waitFor(async () => expect(await received(partner)).toHaveLength(1), { timeout: 5_000, interval: 20 });
    // Meanwhile A's lease has run out (on the clock of consumer B), and B takes the step over.
    const b = await claimStep(db, await stepRow(run.id, "push"), t0 + 61_001, 61_000);
    expect(b?.attempts).toBe(2);
    await a;

    expect(await stepRow(run.id, "push")).toMatchObject({ status: "running", attempts: 2, error: null });
    expect((await runRow(h.tenantId, run.id)).status).toBe("running");
    expect(e.dlq.sent).toHaveLength(0);
    if (b) expect(await finishStep(db, b, { output: { ok: true }, costNanoUsd: 0 }, t0 + 62_000)).toBe(true);
  });

  it("moves on when a consumer recorded the step but died before scheduling the next one", async () => {
    const h = await harness();
    const crm = `crm-${randomString(8)}`;
    await createWorkflow(h, "half-done", {
      name: "Half done",
      steps: [
        { id: "call", type: "http", url: echoUrl(crm) },
        { id: "after", type: "transform", output: "after {{ steps.call.status }}" },
      ],
    });
    const e = new Engine();
    const run = await e.start(h.tenantId, "half-done", {});
    const [message] = e.take(run.id);
    if (!message) throw new Error("no first message");

    const claimed = await claimStep(db, await stepRow(run.id, "call"), e.now, LEASE_MS);
    if (!claimed) throw new Error("claim failed");
    expect(await finishStep(db, claimed, { output: { status: 201 }, costNanoUsd: 0 }, e.now)).toBe(true);
    // The message was never acknowledged, so the queue delivers it again.
    await e.deliver([message]);
    await e.drain();
    const done = await runRow(h.tenantId, run.id);
    expect(done.status).toBe("complete");
    expect(done.output).toBe("after 201");
    // The recorded step was not run again.
    expect(await echoed(crm)).toHaveLength(0);
    expect(await stepRow(run.id, "after")).toMatchObject({ status: "succeeded", attempts: 1 });

    // Any further copy of either message changes nothing.
    await e.deliver([message, stepMessage(run, "after")]);
    expect(e.pendingFor(run.id)).toEqual([]);
    expect((await runRow(h.tenantId, run.id)).finishedAt).toBe(done.finishedAt);
  });

  it("closes a parallel step and moves on when the consumer that closed it died before scheduling what follows", async () => {
    const h = await harness();
    await createWorkflow(h, "fan", {
      name: "Fan",
      steps: [
        { id: "fan", type: "parallel", branches: { a: [{ id: "a1", type: "sleep", duration: "1s" }], b: [{ id: "b1", type: "sleep", duration: "1s" }] } },
        { id: "after", type: "transform", output: "joined" },
      ],
    });
    const e = new Engine();
    const run = await e.start(h.tenantId, "fan", {});
    await e.drain();
    expect(await stepRow(run.id, "fan")).toMatchObject({ status: "waiting", waitKind: "children" });
    const wakes = e.take(run.id);
    expect(wakes.map((w) => [w.type, w.stepId]).sort()).toEqual([["wake", "a1"], ["wake", "b1"]]);
    e.now += 1000;
    await e.deliver(wakes.filter((w) => w.stepId === "a1"));
    expect(await stepRow(run.id, "fan")).toMatchObject({ status: "waiting" });

    // The consumer of b1's wake records b1 and closes the parallel step, then dies.
    const b1 = await claimWaiting(db, await stepRow(run.id, "b1"), e.now, 61_000);
    if (!b1) throw new Error("claim failed");
    expect(await finishStep(db, b1, { output: { sleptUntil: "then" }, costNanoUsd: 0 }, e.now)).toBe(true);
    expect(await finishWaiting(db, await stepRow(run.id, "fan"), { a: null, b: null }, e.now)).toBe(true);
    expect((await runRow(h.tenantId, run.id)).status).not.toBe("complete");

    await e.deliver(wakes.filter((w) => w.stepId === "b1"));
    await e.drain();
    expect(await runRow(h.tenantId, run.id)).toMatchObject({ status: "complete", output: "joined" });
    expect(await stepRow(run.id, "after")).toMatchObject({ status: "succeeded", attempts: 1 });
  });

  it("parks a step again, as it was, when the consumer waking it died: a sleep does not start over", async () => {
    const h = await harness();
    await createWorkflow(h, "nap", { name: "Nap", steps: [{ id: "nap", type: "sleep", duration: "1h" }, { id: "after", type: "transform", output: "awake" }] });
    const e = new Engine();
    const t0 = e.now;
    const run = await e.start(h.tenantId, "nap", {});
    await e.drain();
    e.take(run.id);

    // The timer's consumer claims the wake and dies.
    const woken = await claimWaiting(db, await stepRow(run.id, "nap"), t0 + HOUR, 90_000);
    expect(woken).toBeDefined();
    // The sweep finds the claim expired and sends the step again.
    e.now = t0 + HOUR + 90_000 + 2 * 60_000;
    await e.cron();
    await e.drain();
    expect(await runRow(h.tenantId, run.id)).toMatchObject({ status: "complete", output: "awake" });
    expect(await stepRow(run.id, "nap")).toMatchObject({ status: "succeeded", output: { sleptUntil: new Date(e.now).toISOString() } });
  });

  it("keeps an approval waiting, without asking twice, when the consumer deciding it died", async () => {
    const h = await harness();
    await createWorkflow(h, "ask", { name: "Ask", steps: [{ id: "ok", type: "approval", title: "May we?", timeout: "1d" }] });
    const e = new Engine();
    const t0 = e.now;
    const run = await e.start(h.tenantId, "ask", {});
    await e.drain();
    const asked = () => e.publishedEvents().filter((ev) => ev.type === "workflow.approval.requested");
    expect(asked()).toHaveLength(1);
    const parked = await stepRow(run.id, "ok");

    expect(await claimWaiting(db, parked, t0 + 60_000, 90_000)).toBeDefined();
    e.now = t0 + 60_000 + 90_000 + 2 * 60_000;
    await e.cron();
    await e.drain();
    expect(await stepRow(run.id, "ok")).toMatchObject({ status: "waiting", waitKind: "approval", wakeAt: parked.wakeAt, input: parked.input });
    expect(asked()).toHaveLength(1);
    await e.send(await decideApproval(e.deps(), h.tenantId, run.id, "ok", { decision: "approve", by: "usr_1", comment: null }));
    await e.drain();
    expect(await runRow(h.tenantId, run.id)).toMatchObject({ status: "complete", output: { approved: true, by: "usr_1" } });
  });
});
