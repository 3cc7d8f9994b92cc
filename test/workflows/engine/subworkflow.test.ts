/**
 * Subworkflows: a parent step starts a child run, waits for it and gets its output; a
 * child that fails fails the parent's step; a workflow that calls itself stops at the
 * depth limit with an error that says so.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { makeDb } from "../../../workers/db";
import { configurePartner, partnerName, partnerUrl } from "../../webhooks/helpers";
import { createWorkflow, harness } from "../helpers";
import { Engine, runRow, stepRow } from "./driver";

const db = makeDb(env.DB);

function childrenOf(runId: string) {
  return db.query.workflowRuns.findMany({ where: (r, { eq }) => eq(r.parentRunId, runId) });
}

const parent = (child: string) => ({
  name: "Parent",
  steps: [
    { id: "child", type: "subworkflow", workflow: child, input: { name: "{{ input.name }}" } },
    { id: "after", type: "transform", output: "{{ steps.child.output.greeting }}" },
  ],
});

describe("subworkflow", { timeout: 30_000 }, () => {
  it("waits for the child run and gets its output", async () => {
    const h = await harness();
    await createWorkflow(h, "greet", { name: "Greet", steps: [{ id: "hello", type: "transform", output: { greeting: "Hello {{ input.name }}" } }] });
    await createWorkflow(h, "parent", parent("greet"));
    const e = new Engine();
    const run = await e.start(h.tenantId, "parent", { name: "Dana" });
    await e.drain();

    const [child, ...more] = await childrenOf(run.id);
    expect(more).toEqual([]);
    expect(child).toMatchObject({ status: "complete", input: { name: "Dana" }, parentStepId: "child", trigger: { type: "subworkflow", by: run.id } });
    expect(await stepRow(run.id, "child")).toMatchObject({ status: "succeeded", output: { runId: child?.id, output: { greeting: "Hello Dana" } } });
    expect(await runRow(h.tenantId, run.id)).toMatchObject({ status: "complete", output: "Hello Dana" });
  });

  it("does not wait when told not to, and starts one child however often the step runs", async () => {
    const h = await harness();
    await createWorkflow(h, "nap", { name: "Nap", steps: [{ id: "nap", type: "sleep", duration: "1h" }] });
    await createWorkflow(h, "fire", { name: "Fire and forget", steps: [{ id: "child", type: "subworkflow", workflow: "nap", wait: false }] });
    const e = new Engine();
    const run = await e.start(h.tenantId, "fire", {});
    const first = e.take(run.id);
    await e.deliver([...first, ...first]);
    await e.drain();
    const children = await childrenOf(run.id);
    expect(children.map((c) => c.status)).toEqual(["waiting"]);
    expect(await runRow(h.tenantId, run.id)).toMatchObject({ status: "complete", output: { runId: children[0]?.id } });
  });

  it("fails the parent's step when the child run fails", async () => {
    const h = await harness();
    const partner = partnerName("child-fail");
    await configurePartner(partner, { mode: "fail", status: 404 });
    await createWorkflow(h, "broken", { name: "Broken", steps: [{ id: "push", type: "http", url: partnerUrl(partner) }] });
    await createWorkflow(h, "parent", parent("broken"));
    const e = new Engine();
    const run = await e.start(h.tenantId, "parent", { name: "Sam" });
    await e.drain();

    const [child] = await childrenOf(run.id);
    expect(child).toMatchObject({ status: "errored", error: { code: "http_404", stepId: "push" } });
    expect(await stepRow(run.id, "child")).toMatchObject({ status: "failed", error: { code: "subworkflow_failed", retryable: false } });
    const errored = await runRow(h.tenantId, run.id);
    expect(errored.status).toBe("errored");
    expect(errored.error).toMatchObject({ code: "subworkflow_failed", stepId: "child" });
    expect(errored.error?.message).toContain("Subworkflow 'broken' failed");
    expect(errored.error?.message).toContain("404");
  });

  it("stops a workflow that calls itself at the depth limit with a clear error", async () => {
    const h = await harness();
    await createWorkflow(h, "loop", { name: "Loop", steps: [{ id: "again", type: "subworkflow", workflow: "loop" }] });
    const e = new Engine();
    const root = await e.start(h.tenantId, "loop", {});
    await e.drain();

    const chain = [root.id];
    for (;;) {
      const [next] = await childrenOf(chain.at(-1) ?? "");
      if (!next) break;
      chain.push(next.id);
    }
    // The root and five nested levels; the deepest could not start another.
    expect(chain).toHaveLength(6);
    const deepest = await runRow(h.tenantId, chain.at(-1) ?? "");
    expect(deepest.error).toMatchObject({ code: "conflict", stepId: "again", retryable: false });
    expect(deepest.error?.message).toBe("Subworkflows nest deeper than 5 levels");
    const top = await runRow(h.tenantId, root.id);
    expect(top.status).toBe("errored");
    expect(top.error?.message).toContain("Subworkflows nest deeper than 5 levels");
    for (const id of chain) expect((await runRow(h.tenantId, id)).status).toBe("errored");
  });
});
