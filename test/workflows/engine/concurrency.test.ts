/**
 * Concurrency limits per key: with one run per lead at a time, later runs for the same lead
 * wait as `queued` and start in the order they came as each one before them ends; runs for
 * other leads are not held up.
 */
import { describe, expect, it } from "vitest";
import { cancelRun } from "../../../workers/workflows/engine/control";
import type { RunRow } from "../../../workers/workflows/engine/rows";
import { createWorkflow, harness } from "../helpers";
import { Engine, HOUR, runRow } from "./driver";

const perLead = {
  name: "One per lead",
  concurrency: { key: "{{ input.leadId }}", limit: 1 },
  steps: [{ id: "nap", type: "sleep", duration: "1h" }, { id: "say", type: "transform", output: "{{ input.n }}" }],
};

describe("concurrency", { timeout: 30_000 }, () => {
  it("runs one run per lead at a time, starting the queued ones in order", async () => {
    const h = await harness();
    await createWorkflow(h, "per-lead", perLead);
    const e = new Engine();
    const runs: RunRow[] = [];
    for (const [leadId, n] of [["lead_A", 1], ["lead_A", 2], ["lead_A", 3], ["lead_B", 4]] as const) {
      runs.push(await e.start(h.tenantId, "per-lead", { leadId, n }));
      e.now += 1;
    }
    await e.drain();
    const status = async () => Promise.all(runs.map(async (r) => (await runRow(h.tenantId, r.id)).status));
    expect(runs.map((r) => r.concurrencyKey)).toEqual(["lead_A", "lead_A", "lead_A", "lead_B"]);
    expect(await status()).toEqual(["waiting", "queued", "queued", "waiting"]);

    await e.advance(HOUR);
    expect(await status()).toEqual(["complete", "waiting", "queued", "complete"]);
    await e.advance(HOUR);
    expect(await status()).toEqual(["complete", "complete", "waiting", "complete"]);
    await e.advance(HOUR);
    expect(await status()).toEqual(["complete", "complete", "complete", "complete"]);

    const [a1, a2, a3] = await Promise.all(runs.slice(0, 3).map((r) => runRow(h.tenantId, r.id)));
    expect([a1?.output, a2?.output, a3?.output]).toEqual([1, 2, 3]);
    // Each started only once the one before it had finished.
    expect(a2?.startedAt).toBeGreaterThanOrEqual(a1?.finishedAt ?? Infinity);
    expect(a3?.startedAt).toBeGreaterThanOrEqual(a2?.finishedAt ?? Infinity);
  });

  it("gives the slot to the next queued run when the running one is cancelled, and skips a cancelled queued one", async () => {
    const h = await harness();
    await createWorkflow(h, "per-lead", perLead);
    const e = new Engine();
    const runs: RunRow[] = [];
    for (const n of [1, 2, 3]) {
      runs.push(await e.start(h.tenantId, "per-lead", { leadId: "lead_C", n }));
      e.now += 1;
    }
    await e.drain();
    const [first, second, third] = runs;
    if (!first || !second || !third) throw new Error("runs missing");

    // The queued second run is cancelled: it never held the slot, the first keeps it.
    await e.send((await cancelRun(e.deps(), h.tenantId, second.id)).jobs);
    await e.drain();
    expect((await runRow(h.tenantId, first.id)).status).toBe("waiting");
    expect((await runRow(h.tenantId, third.id)).status).toBe("queued");

    // The running first is cancelled: the third starts at once.
    await e.send((await cancelRun(e.deps(), h.tenantId, first.id)).jobs);
    await e.drain();
    expect((await runRow(h.tenantId, third.id)).status).toBe("waiting");
    await e.advance(HOUR);
    expect(await runRow(h.tenantId, third.id)).toMatchObject({ status: "complete", output: 3 });
    expect((await runRow(h.tenantId, second.id)).startedAt).toBeNull();
  });

  it("lets exactly one of several runs started at the same moment take the slot", async () => {
    const h = await harness();
    await createWorkflow(h, "per-lead", perLead);
    const e = new Engine();
    const runs = await Promise.all([1, 2, 3].map((n) => e.start(h.tenantId, "per-lead", { leadId: "lead_D", n })));
    await e.drain();
    const statuses = await Promise.all(runs.map(async (r) => (await runRow(h.tenantId, r.id)).status));
    expect(statuses.filter((s) => s === "waiting")).toHaveLength(1);
    expect(statuses.filter((s) => s === "queued")).toHaveLength(2);
  });
});
