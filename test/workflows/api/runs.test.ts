import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { workflowRuns } from "../../../d1/schema";
import { makeDb } from "../../../workers/db";
import { newId } from "../../../workers/lib/ids";
import { call, expectError, expectOk } from "../../api/helpers";
import { createWorkflow, getRun, type Harness, harness, RunBody, RunDetail, startRun, stepOf, waitForRun, waitForStep } from "../helpers";
import { constant, gated, Workflow } from "./helpers";

const Page = z.object({ data: z.array(RunBody.extend({ createdAt: z.number() })), next: z.string().nullable() });
type Listed = z.infer<typeof Page>["data"][number];

async function list(h: Harness, query: string) {
  return expectOk(await call("GET", `/runs?${query}`, { token: h.token }), 200, Page);
}

const ids = (runs: { id: string }[]) => runs.map((r) => r.id).sort();

describe("run detail", () => {
  it("shows each step's status, input, output, attempts, timings and AI cost", async () => {
    const h = await harness();
    await createWorkflow(h, "detailed", {
      name: "Detailed",
      steps: [
        { id: "greet", type: "transform", output: { text: "Hello {{ input.name }}" } },
        { id: "draft", type: "ai", model: "gpt-4o-mini", prompt: "Write one line to {{ input.name }}." },
        { id: "ask", type: "approval", title: "Send to {{ input.name }}?", data: { reply: "{{ steps.draft.text }}" } },
      ],
    });
    const run = await startRun(h, "detailed", { name: "Dana" });
    expect(run).toMatchObject({ status: expect.stringMatching(/^(queued|running)$/), input: { name: "Dana" }, output: null, error: null });
    const waiting = await waitForStep(h, run.id, "ask", "waiting");
    expect(waiting.status).toBe("waiting");

    const greet = stepOf(waiting, "greet");
    expect(greet).toMatchObject({ status: "succeeded", attempts: 1, output: { text: "Hello Dana" }, error: null, costNanoUsd: 0, type: "transform" });
    const draft = stepOf(waiting, "draft");
    expect(draft).toMatchObject({ status: "succeeded", attempts: 1, output: { text: expect.any(String), provider: "openai" } });
    expect(draft.costNanoUsd).toBeGreaterThan(0);
    expect(waiting.costNanoUsd).toBe(draft.costNanoUsd);
    const timed = await timesOf(h, run.id);
    const timings = timed.steps.find((s) => s.stepId === "draft");
    expect(timings?.startedAt).toEqual(expect.any(Number));
    expect(timings?.finishedAt).toBeGreaterThanOrEqual(timings?.startedAt ?? Infinity);
    expect(timings?.durationMs).toBe((timings?.finishedAt ?? 0) - (timings?.startedAt ?? 0));
    expect(timed.steps.find((s) => s.stepId === "ask")).toMatchObject({ finishedAt: null, durationMs: null });

    const ask = stepOf(waiting, "ask");
    expect(ask).toMatchObject({ status: "waiting", waitingFor: "approval", input: { title: "Send to Dana?", data: { reply: expect.any(String) } } });

    expectOk(await call("POST", `/approvals/${run.id}/ask`, { token: h.token, body: { decision: "approve", comment: "fine" } }), 200, RunDetail);
    const done = await waitForRun(h, run.id, ["complete", "errored"]);
    expect(done).toMatchObject({ status: "complete", output: { decision: "approve", approved: true, comment: "fine" } });
    const finished = await timesOf(h, run.id);
    expect(finished.finishedAt).toBeGreaterThanOrEqual(finished.startedAt ?? Infinity);
  });

  it("a failed step shows its error, and the run names the step that failed", async () => {
    const h = await harness();
    await createWorkflow(h, "fails", { name: "Fails", steps: [{ id: "first", type: "transform", output: 1 }, { id: "nap", type: "sleep", until: "{{ input.when }}" }] });
    const run = await startRun(h, "fails", { when: "someday" });
    const done = await waitForRun(h, run.id, ["errored", "complete"]);
    expect(done).toMatchObject({ status: "errored", error: { code: "invalid_step_input", stepId: "nap", message: expect.stringContaining("someday") } });
    expect(stepOf(done, "nap")).toMatchObject({ status: "failed", attempts: 1, error: { code: "invalid_step_input", retryable: false }, output: null });
    expect(stepOf(done, "first").status).toBe("succeeded");
  });

  it("an unknown run is 404 for reading and for every action", async () => {
    const h = await harness();
    expectError(await call("GET", "/runs/run_nothere", { token: h.token }), 404, "not_found");
    for (const action of ["cancel", "pause", "resume", "rerun"]) expectError(await call("POST", `/runs/run_nothere/${action}`, { token: h.token }), 404, "not_found");
    expectError(await call("POST", "/approvals/run_nothere/ask", { token: h.token, body: { decision: "approve" } }), 404, "not_found");
  });
});

const Times = { startedAt: z.number().nullable(), finishedAt: z.number().nullable() };
const TimedRun = z.object({ ...Times, steps: z.array(z.object({ stepId: z.string(), ...Times, durationMs: z.number().nullable() })) });

async function timesOf(h: Harness, runId: string) {
  return expectOk(await call("GET", `/runs/${runId}`, { token: h.token }), 200, TimedRun);
}

describe("starting runs", () => {
  it("the same idempotencyKey returns the first run (200) instead of starting another", async () => {
    const h = await harness();
    await createWorkflow(h, "once", constant("done"));
    const first = await startRun(h, "once", { n: 1 }, { idempotencyKey: "lead-42" });
    const again = expectOk(await call("POST", "/workflows/once/runs", { token: h.token, body: { input: { n: 2 }, idempotencyKey: "lead-42" } }), 200, RunBody);
    expect(again.id).toBe(first.id);
    expect(again.input).toEqual({ n: 1 });
    const other = await startRun(h, "once", { n: 3 }, { idempotencyKey: "lead-43" });
    expect(other.id).not.toBe(first.id);
    expect(ids((await list(h, "workflowId=once")).data)).toEqual(ids([first, other]));
  });

  it("a disabled workflow refuses runs (409) until it is enabled again", async () => {
    const h = await harness();
    const wf = await createWorkflow(h, "switchable", constant(1));
    expect(expectOk(await call("PATCH", `/workflows/${wf.id}`, { token: h.token, body: { enabled: false } }), 200, Workflow).enabled).toBe(false);
    expect(expectError(await call("POST", "/workflows/switchable/runs", { token: h.token, body: { input: {} } }), 409, "conflict")).toMatch(/disabled/);
    expect(expectOk(await call("GET", "/workflows/switchable", { token: h.token }), 200, Workflow).enabled).toBe(false);
    expectError(await call("PATCH", `/workflows/${wf.id}`, { token: h.token, body: { enabled: "yes" } }), 400, "validation_failed");
    expect(expectOk(await call("PATCH", "/workflows/switchable", { token: h.token, body: { enabled: true } }), 200, Workflow).enabled).toBe(true);
    const run = await startRun(h, "switchable", {});
    expect((await waitForRun(h, run.id, ["complete", "errored"])).status).toBe("complete");
  });

  it("bad start bodies are 400", async () => {
    const h = await harness();
    await createWorkflow(h, "strict-start", constant(1));
    for (const body of [{ version: 0 }, { version: "1" }, { idempotencyKey: "" }, { input: {}, extra: true }]) {
      expectError(await call("POST", "/workflows/strict-start/runs", { token: h.token, body }), 400, "validation_failed");
    }
    expectError(await call("POST", "/workflows/nope/runs", { token: h.token, body: {} }), 404, "not_found");
  });
});

describe("actions on runs", () => {
  it("pause, resume and cancel a waiting run; actions in the wrong state are 409 with the reason", async () => {
    const h = await harness();
    await createWorkflow(h, "held", gated("x"));
    const run = await startRun(h, "held", {});
    await waitForStep(h, run.id, "gate", "waiting");
    const wrong = (action: string) => call("POST", `/runs/${run.id}/${action}`, { token: h.token });

    expect(expectError(await wrong("resume"), 409, "conflict")).toMatch(/it is waiting \(only paused runs can be\)/);
    expect(expectError(await wrong("rerun"), 409, "conflict")).toMatch(/only errored runs/);
    expect(expectOk(await wrong("pause"), 200, RunBody).status).toBe("paused");
    expect(expectError(await wrong("pause"), 409, "conflict")).toMatch(/it is paused/);
    expect(expectOk(await wrong("resume"), 200, RunBody).status).not.toBe("paused");
    const cancelled = expectOk(await wrong("cancel"), 200, RunBody);
    expect(cancelled.status).toBe("terminated");
    expect(stepOf(await getRun(h, run.id), "gate").status).toBe("cancelled");

    expect(expectError(await wrong("cancel"), 409, "conflict")).toMatch(/Cannot cancel run .*: it is terminated/);
    expect(expectError(await wrong("pause"), 409, "conflict")).toMatch(/it is terminated/);
    expectError(await call("POST", `/approvals/${run.id}/gate`, { token: h.token, body: { decision: "approve" } }), 409, "conflict");
  });

  it("approving a step that is not waiting is 409, and a bad decision is 400", async () => {
    const h = await harness();
    await createWorkflow(h, "decide", gated("y"));
    const run = await startRun(h, "decide", {});
    await waitForStep(h, run.id, "gate", "waiting");
    expectError(await call("POST", `/approvals/${run.id}/gate`, { token: h.token, body: { decision: "maybe" } }), 400, "validation_failed");
    expect(expectError(await call("POST", `/approvals/${run.id}/answer`, { token: h.token, body: { decision: "approve" } }), 409, "conflict")).toMatch(/not waiting for an approval/);
    const decided = expectOk(await call("POST", `/approvals/${run.id}/gate`, { token: h.token, body: { decision: "reject", comment: "no" } }), 200, RunDetail);
    expect(stepOf(decided, "gate").status).not.toBe("waiting");
    expectError(await call("POST", `/approvals/${run.id}/gate`, { token: h.token, body: { decision: "approve" } }), 409, "conflict");
    const done = await waitForRun(h, run.id, ["complete", "errored"]);
    expect(done.output).toMatchObject({ label: "y", approved: false });
  });

  it("a complete run cannot be cancelled, paused, resumed or rerun from a failure", async () => {
    const h = await harness();
    await createWorkflow(h, "quick", constant(1));
    const run = await startRun(h, "quick", {});
    await waitForRun(h, run.id, ["complete"]);
    for (const action of ["cancel", "pause", "resume", "rerun"]) {
      expect(expectError(await call("POST", `/runs/${run.id}/${action}`, { token: h.token }), 409, "conflict"), action).toContain("it is complete");
    }
  });

  it("an errored run reruns from its failed step (200) and keeps what came before", async () => {
    const h = await harness();
    await createWorkflow(h, "flaky", { name: "Flaky", steps: [{ id: "first", type: "transform", output: "kept" }, { id: "nap", type: "sleep", until: "{{ input.when }}" }] });
    const run = await startRun(h, "flaky", { when: "never" });
    await waitForRun(h, run.id, ["errored"]);
    expect(expectOk(await call("POST", `/runs/${run.id}/rerun`, { token: h.token }), 200, RunBody)).toMatchObject({ id: run.id, status: "queued", error: null });
    const again = await waitForRun(h, run.id, ["errored"]);
    expect(again.steps.filter((s) => s.stepId === "nap").map((s) => s.iteration)).toEqual([0, 1]);
    expect(again.steps.filter((s) => s.stepId === "first")).toHaveLength(1);
  });
});

describe("GET /runs", () => {
  it("filters by status, by workflow (key or id) and by time window, newest first", async () => {
    const h = await harness();
    const alpha = await createWorkflow(h, "alpha", constant("a"));
    await createWorkflow(h, "beta", gated("b"));
    const done: Listed[] = [];
    for (let i = 0; i < 3; i++) done.push(await startRunListed(h, "alpha"));
    const held = await startRunListed(h, "beta");
    for (const r of done) await waitForRun(h, r.id, ["complete"]);
    await waitForStep(h, held.id, "gate", "waiting");

    const all = await list(h, "");
    expect(ids(all.data)).toEqual(ids([...done, held]));
    expect(all.data.map((r) => r.createdAt)).toEqual([...all.data.map((r) => r.createdAt)].sort((x, y) => y - x));
    expect(ids((await list(h, "status=complete")).data)).toEqual(ids(done));
    expect(ids((await list(h, "status=waiting")).data)).toEqual([held.id]);
    expect(ids((await list(h, "workflowId=alpha")).data)).toEqual(ids(done));
    expect(ids((await list(h, `workflowId=${alpha.id}&status=waiting`)).data)).toEqual([]);
    expect(ids((await list(h, "workflowId=beta")).data)).toEqual([held.id]);

    const times = all.data.map((r) => r.createdAt).sort((x, y) => x - y);
    const [from, to] = [times[1] ?? 0, times[2] ?? 0];
    const inWindow = all.data.filter((r) => r.createdAt >= from && r.createdAt <= to);
    expect(ids((await list(h, `from=${from}&to=${to}`)).data)).toEqual(ids(inWindow));
    expect(ids((await list(h, `to=${from - 1}`)).data)).toEqual(ids(all.data.filter((r) => r.createdAt < from)));
  });

  it("pages with limit and next, every run exactly once, even runs created in the same millisecond", async () => {
    const h = await harness();
    const wf = await createWorkflow(h, "paged", constant(1));
    // Triggers firing together create runs within one millisecond; pages must not lose any of them.
    const at = Date.now() - 60_000;
    const db = makeDb(env.DB);
    const made: string[] = [];
    for (let i = 0; i < 5; i++) {
      const id = newId("run");
      made.push(id);
      await db.insert(workflowRuns).values({ id, tenantId: h.tenantId, workflowId: wf.id, version: 1, status: "complete", input: { i }, trigger: { type: "api" }, createdAt: at, updatedAt: at });
    }
    const seen: string[] = [];
    let cursor: string | null = "";
    for (let pages = 0; cursor !== null && pages < 10; pages++) {
      const page = await list(h, `workflowId=paged&limit=2${cursor ? `&before=${encodeURIComponent(cursor)}` : ""}`);
      expect(page.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.data.map((r) => r.id));
      cursor = page.next;
    }
    expect(seen.sort()).toEqual(made.sort());
    // An epoch-ms `before` still works: everything created before that moment.
    expect((await list(h, `workflowId=paged&before=${at + 1}`)).data).toHaveLength(5);
    expect((await list(h, `workflowId=paged&before=${at}`)).data).toHaveLength(0);
  });

  it("bad filters are 400; an unknown workflow is 404", async () => {
    const h = await harness();
    expectError(await call("GET", "/runs?status=finished", { token: h.token }), 400, "validation_failed");
    expectError(await call("GET", "/runs?limit=0", { token: h.token }), 400, "validation_failed");
    expectError(await call("GET", "/runs?limit=201", { token: h.token }), 400, "validation_failed");
    expectError(await call("GET", "/runs?from=yesterday", { token: h.token }), 400, "validation_failed");
    expectError(await call("GET", "/runs?before=not-a-cursor", { token: h.token }), 400, "validation_failed");
    expectError(await call("GET", "/runs?workflowId=missing", { token: h.token }), 404, "not_found");
  });
});

async function startRunListed(h: Harness, key: string): Promise<Listed> {
  return expectOk(await call("POST", `/workflows/${key}/runs`, { token: h.token, body: { input: {} } }), 202, RunBody.extend({ createdAt: z.number() }));
}
