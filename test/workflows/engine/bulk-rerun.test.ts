/**
 * POST /runs/rerun: every run of a status created in a time window is rerun — errored ones
 * from their failed step (in place), complete ones as new runs linked by rerunOf — and runs
 * outside the window are left alone.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { makeDb } from "../../../workers/db";
import { call, expectOk } from "../../api/helpers";
import { configurePartner, partnerName, partnerUrl, received } from "../../webhooks/helpers";
import { createWorkflow, harness, stepOf, waitForRun } from "../helpers";
import { Engine, HOUR, runRow } from "./driver";

const db = makeDb(env.DB);
const Rerun = z.object({ rerun: z.array(z.string()) });

const sync = {
  name: "Sync to CRM",
  steps: [
    { id: "shape", type: "transform", output: { n: "{{ input.n }}" } },
    { id: "push", type: "http", url: "{{ input.url }}", body: "{{ steps.shape }}", retry: { limit: 0 } },
  ],
  output: { n: "{{ steps.shape.n }}", status: "{{ steps.push.status }}" },
};

describe("bulk rerun", { timeout: 60_000 }, () => {
  it("reruns the runs of a status inside the window and leaves the others alone", async () => {
    const h = await harness();
    const down = partnerName("down");
    const up = partnerName("up");
    await configurePartner(down, { mode: "fail", status: 503 });
    await configurePartner(up, { mode: "ok" });
    const wf = await createWorkflow(h, "sync", sync);
    const t0 = Date.now() - 10 * HOUR;
    const e = new Engine(t0);
    const startAt = async (offset: number, n: number, url: string) => {
      e.now = t0 + offset;
      const run = await e.start(h.tenantId, "sync", { n, url });
      await e.drain();
      return run.id;
    };
    const oldErrored = await startAt(0, 1, partnerUrl(down));
    const oldComplete = await startAt(1, 2, partnerUrl(up));
    const errored = [await startAt(3 * HOUR, 3, partnerUrl(down)), await startAt(3 * HOUR + 1, 4, partnerUrl(down))];
    const complete = await startAt(3 * HOUR + 2, 5, partnerUrl(up));
    const newerErrored = await startAt(6 * HOUR, 6, partnerUrl(down));
    for (const id of [oldErrored, ...errored, newerErrored]) expect((await runRow(h.tenantId, id)).status).toBe("errored");
    const window = { from: t0 + 2 * HOUR, to: t0 + 4 * HOUR };

    // Complete runs start again as new runs with the same input and version.
    const again = expectOk(await call("POST", "/runs/rerun", { token: h.token, body: { status: "complete", ...window } }), 200, Rerun).rerun;
    expect(again).toHaveLength(1);
    expect(again).not.toContain(complete);
    const copy = await waitForRun(h, again[0] ?? "", ["complete", "errored"]);
    expect(copy).toMatchObject({ status: "complete", rerunOf: complete, input: { n: 5, url: partnerUrl(up) }, output: { n: 5, status: 200 } });
    expect(await db.query.workflowRuns.findMany({ where: (r, { eq }) => eq(r.rerunOf, oldComplete) })).toEqual([]);

    // Errored runs rerun in place from the failed step once the partner is back.
    await configurePartner(down, { mode: "ok" });
    const fixed = expectOk(await call("POST", "/runs/rerun", { token: h.token, body: { status: "errored", ...window, workflowId: "sync" } }), 200, Rerun).rerun;
    expect(fixed.sort()).toEqual([...errored].sort());
    for (const [i, id] of errored.entries()) {
      const done = await waitForRun(h, id, ["complete", "errored"]);
      expect(done.output).toEqual({ n: 3 + i, status: 200 });
      expect(stepOf(done, "push")).toMatchObject({ iteration: 1, status: "succeeded" });
      expect(done.steps.filter((s) => s.stepId === "shape")).toHaveLength(1);
    }
    for (const id of [oldErrored, newerErrored]) expect(await runRow(h.tenantId, id)).toMatchObject({ status: "errored", workflowId: wf.id });
    // Four first attempts (one each, no retries), then the two reruns.
    expect(await received(down)).toHaveLength(6);
  });

  it("refuses a window that ends before it starts", async () => {
    const h = await harness();
    const reply = await call("POST", "/runs/rerun", { token: h.token, body: { status: "errored", from: 2000, to: 1000 } });
    expect(reply.status).toBe(400);
    expect((await call("POST", "/runs/rerun", { token: h.token, body: { status: "queued", from: 0, to: 1 } })).status).toBe(400);
  });
});
