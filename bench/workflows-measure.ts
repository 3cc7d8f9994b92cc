/**
 * What the workflow benchmark reads back from D1 once runs have finished: run and step
 * timings (the engine's own timestamps, same clock as this process), and the proof that
 * nothing was lost or done twice.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";

/**
 * Retries a read whose connection to workerd was dropped ("fetch failed: other side closed"):
 * Miniflare's D1 proxy sometimes reuses a socket workerd has just closed under load.
 */
export async function retried<T>(read: () => Promise<T>, attempts = 4): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await read();
    } catch (err) {
      if (i >= attempts || !(err instanceof TypeError) || !String(err.message).includes("fetch failed")) throw err;
      await sleep(100 * i);
    }
  }
}

export type Pct = { p50: number; p95: number; max: number; count: number };

/** Nearest-rank p50 / p95 / max of `values` (milliseconds). */
export function pct(values: number[]): Pct {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? Number.NaN;
  return { p50: at(0.5), p95: at(0.95), max: sorted.at(-1) ?? Number.NaN, count: sorted.length };
}

const RunRow = z.object({ id: z.string(), status: z.string(), input: z.string(), created_at: z.number(), started_at: z.number().nullable(), finished_at: z.number().nullable() });
export type RunRow = z.infer<typeof RunRow>;
const StepRow = z.object({
  run_id: z.string(),
  step_id: z.string(),
  type: z.string(),
  status: z.string(),
  attempts: z.number(),
  error: z.string().nullable(),
  created_at: z.number(),
  started_at: z.number().nullable(),
  finished_at: z.number().nullable(),
});
export type StepRow = z.infer<typeof StepRow>;

export async function runsOf(d1: D1Database, workflowId: string): Promise<RunRow[]> {
  const { results } = await retried(() => d1.prepare("select id, status, input, created_at, started_at, finished_at from workflow_runs where workflow_id = ?").bind(workflowId).all());
  return z.array(RunRow).parse(results);
}

export async function stepsOf(d1: D1Database, workflowId: string): Promise<StepRow[]> {
  const sql = `select s.run_id, s.step_id, s.type, s.status, s.attempts, s.error, s.created_at, s.started_at, s.finished_at
    from workflow_step_runs s join workflow_runs r on r.id = s.run_id where r.workflow_id = ?`;
  const { results } = await retried(() => d1.prepare(sql).bind(workflowId).all());
  return z.array(StepRow).parse(results);
}

/** Polls until `done()` or the deadline; answers whether it got there. */
export async function until(done: () => Promise<boolean>, deadlineMs: number, everyMs = 500): Promise<boolean> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    if (await done()) return true;
    if (Date.now() > deadline) return false;
    await sleep(everyMs);
  }
}

/** Runs of a workflow by status. */
export async function statusCounts(d1: D1Database, workflowId: string): Promise<Record<string, number>> {
  const { results } = await retried(() => d1.prepare("select status, count(*) as n from workflow_runs where workflow_id = ? group by status").bind(workflowId).all());
  return Object.fromEntries(z.array(z.object({ status: z.string(), n: z.number() })).parse(results).map((r) => [r.status, r.n]));
}

function byRun(steps: StepRow[]): Map<string, StepRow[]> {
  const out = new Map<string, StepRow[]>();
  for (const s of steps) out.set(s.run_id, [...(out.get(s.run_id) ?? []), s]);
  return out;
}

/**
 * Step latency: how long each step waited to start after the step before it finished (the
 * latest finish in its run at or before its start; the first step counts from the run's
 * creation). This is the engine's own overhead, queue hops included.
 */
export function stepGaps(runs: RunRow[], steps: StepRow[]): number[] {
  const gaps: number[] = [];
  const grouped = byRun(steps);
  for (const run of runs) {
    const rows = grouped.get(run.id) ?? [];
    const finishes = rows.flatMap((r) => (r.finished_at === null ? [] : [r.finished_at])).sort((a, b) => a - b);
    for (const r of rows) {
      if (r.started_at === null) continue;
      const start = r.started_at;
      const before = finishes.filter((f) => f <= start).at(-1) ?? run.created_at;
      gaps.push(start - before);
    }
  }
  return gaps;
}

/** How long steps of one type ran (claim to finish). */
export function durationsOf(steps: StepRow[], type: string): number[] {
  return steps.filter((s) => s.type === type && s.started_at !== null && s.finished_at !== null).map((s) => (s.finished_at ?? 0) - (s.started_at ?? 0));
}

export type Integrity = {
  runs: number;
  complete: number;
  lost: number;
  /** (run, step) pairs with more than one succeeded row. */
  duplicatedSteps: number;
  /** Steps claimed more than once with no retry (error) recorded. */
  unexplainedReattempts: number;
  retriesLogged: number;
};

/** Every run complete, no step succeeded twice, no step ran twice without a logged retry. */
export function integrity(expected: number, runs: RunRow[], steps: StepRow[]): Integrity {
  const complete = runs.filter((r) => r.status === "complete").length;
  const succeeded = new Map<string, number>();
  for (const s of steps) if (s.status === "succeeded") succeeded.set(`${s.run_id}/${s.step_id}`, (succeeded.get(`${s.run_id}/${s.step_id}`) ?? 0) + 1);
  return {
    runs: runs.length,
    complete,
    lost: expected - complete,
    duplicatedSteps: [...succeeded.values()].filter((n) => n > 1).length,
    unexplainedReattempts: steps.filter((s) => s.attempts > 1 && s.error === null).length,
    retriesLogged: steps.filter((s) => s.attempts > 1 && s.error !== null).length,
  };
}
