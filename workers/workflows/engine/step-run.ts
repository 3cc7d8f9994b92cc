/**
 * Running one step run: claim it, respect quiet hours, call its handler under a timeout,
 * and store what happened — done (move on), wait (park), enter (run nested lists) or a
 * failure (retry later or error the run). Waking a parked step goes through the same path.
 */
import type { Retry, Step } from "../definition/schema";
import type { DefinitionTree } from "../definition/tree";
import { stepOf } from "../definition/tree";
import { handlerFor } from "../steps";
import { stepErrorOf } from "../steps/errors";
import type { StepDeps, StepOutcome, Wake } from "../steps/types";
import { advance, ChildrenState, failRun, readvance, schedule } from "./advance";
import { stepContext } from "./context";
import { durationMs } from "./duration";
import { job, type Job } from "./messages";
import { approvalRequested, stepUpdated } from "./notify";
import { quietUntil } from "./quiet-hours";
import { claimStep, claimWaiting, deferStep, failClaimed, finishStep, finishWaiting, loadRun, loadStep, markActive, parkStep, type RunRow, type StepRow, TERMINAL } from "./rows";
import { childStarter } from "./start";
import { treeFor } from "./trees";
import { countStepRetry } from "../../metrics/record-workflows";

const DEFAULT_RETRY: Retry = { limit: 2, delay: "2s", backoff: "exponential" };
const DEFAULT_TIMEOUT_S: Partial<Record<Step["type"], number>> = { ai: 120, http: 30 };
/** How long past its timeout a claimed step stays ours before another consumer may take it over. */
const LEASE_MARGIN_MS = 60_000;

const timeoutMs = (step: Step) => durationMs(step.timeout ?? DEFAULT_TIMEOUT_S[step.type] ?? 30);
const leaseMs = (step: Step) => timeoutMs(step) + LEASE_MARGIN_MS;

/** Delay before retry number `attempt` (1-based: the delay after the first failure is attempt 1). */
export function retryDelayMs(retry: Retry, attempt: number): number {
  const base = durationMs(retry.delay);
  const factor = retry.backoff === "constant" ? 1 : retry.backoff === "linear" ? attempt : 2 ** (attempt - 1);
  return Math.min(base * factor, 24 * 3600_000);
}

type Ctx = { deps: StepDeps; run: RunRow; tree: DefinitionTree; step: Step; row: StepRow };

/** Processes one job (a queue message, or an inline continuation); returns the jobs it leads to. */
export async function processJob(deps: StepDeps, j: Job): Promise<Job[]> {
  const run = await loadRun(deps.db, j.tenantId, j.runId);
  // Paused and queued runs are picked up again by resume / slot release; ended runs never.
  if (!run || TERMINAL.has(run.status) || run.status === "paused" || run.status === "queued") return [];
  const row = await loadStep(deps.db, run.id, j.stepId, j.iteration);
  if (!row) return [];
  const tree = await treeFor(deps, run);
  // A consumer may have recorded the step and died before scheduling what follows it.
  if (row.status === "succeeded") return readvance(deps, run, tree, row);
  const c: Ctx = { deps, run, tree, step: stepOf(tree, row.stepId), row };
  return j.type === "wake" ? wakeDue(c) : runStep(c);
}

async function runStep(c: Ctx): Promise<Job[]> {
  const { deps, row, step } = c;
  const now = deps.now();
  // A retry or quiet-hours wait longer than a queue delay comes back early: send it again.
  if (row.status === "pending" && row.wakeAt !== null && row.wakeAt > now) return [again(c, "step", row.wakeAt - now)];
  const claimed = await claimStep(deps.db, row, now, leaseMs(step));
  if (!claimed) return [];
  const c2 = { ...c, row: claimed };
  // The consumer that woke this step died before it finished: park it again for its waker
  // rather than start it over (a sleep would sleep twice, an approval would ask twice).
  if (row.status === "running" && row.waitKind !== null) return rewait(c2, row);
  if (step.quietHours) {
    const ctx = await stepContext(deps, c.run, claimed, new AbortController().signal, childStarter(deps, c.run, claimed));
    const zone = String(ctx.render(step.quietHours.timezone ?? "") || ctx.data.tenant.timezone);
    const until = quietUntil(now, step.quietHours, zone);
    if (until !== null) {
      if (await deferStep(deps.db, claimed, until, null, false, now)) stepUpdated(deps, { ...claimed, status: "pending", wakeAt: until });
      return [again(c, "step", until - now)];
    }
  }
  await markActive(deps.db, c.run, "running", now);
  stepUpdated(deps, claimed);
  return settle(c2, (ctx) => handlerFor(step).run(ctx, step));
}

async function rewait(c: Ctx, was: StepRow): Promise<Job[]> {
  const now = c.deps.now();
  const { waitKind, waitEvent, waitMatch, wakeAt, state } = was;
  if (!(await parkStep(c.deps.db, c.row, { waitKind, waitEvent, waitMatch, wakeAt, state }, now))) return [];
  await markActive(c.deps.db, c.run, "waiting", now);
  stepUpdated(c.deps, { ...c.row, status: "waiting" });
  if (waitKind === "child") return [again(c, "wake", 0)];
  return wakeAt === null ? [] : [again(c, "wake", wakeAt - now)];
}

/** A wake message: a timer came due, or a child run may have ended. */
async function wakeDue(c: Ctx): Promise<Job[]> {
  const { deps, row } = c;
  if (row.status !== "waiting") return [];
  const now = deps.now();
  if (row.waitKind === "child") {
    const child = typeof row.state === "object" && row.state !== null && "runId" in row.state ? await loadRun(deps.db, row.tenantId, String(row.state.runId)) : undefined;
    if (child && TERMINAL.has(child.status)) {
      const status = child.status === "complete" ? "complete" : child.status === "errored" ? "errored" : "terminated";
      return wakeStep(c, { reason: "child", status, output: child.output, error: child.error ? { code: child.error.code, message: child.error.message } : null });
    }
  }
  if (row.wakeAt === null) return [];
  if (row.wakeAt > now) return [again(c, "wake", row.wakeAt - now)];
  return wakeStep(c, { reason: "timer" });
}

/** Wakes a waiting step with `wake` (timer, event, approval, child); one waker wins. */
export async function wakeStep(c: Ctx, wake: Wake): Promise<Job[]> {
  const { deps, step } = c;
  const handler = handlerFor(step);
  if (!handler.resume) return [];
  const claimed = await claimWaiting(deps.db, c.row, deps.now(), leaseMs(step));
  if (!claimed) return [];
  await markActive(deps.db, c.run, "running", deps.now());
  return settle({ ...c, row: claimed }, (ctx) => handler.resume?.(ctx, step, wake, claimed.state) ?? Promise.reject(new Error("no resume")));
}

/** Wakes the step run (run, step, iteration) if it is waiting; for approvals and events. */
export async function wakeStepRun(deps: StepDeps, tenantId: string, runId: string, stepId: string, iteration: number, wake: Wake): Promise<Job[]> {
  const run = await loadRun(deps.db, tenantId, runId);
  const row = run && !TERMINAL.has(run.status) ? await loadStep(deps.db, runId, stepId, iteration) : undefined;
  if (!run || !row || row.status !== "waiting") return [];
  const tree = await treeFor(deps, run);
  return wakeStep({ deps, run, tree, step: stepOf(tree, stepId), row }, wake);
}

function again(c: Ctx, type: "step" | "wake", delayMs: number): Job {
  return job({ type, tenantId: c.run.tenantId, runId: c.run.id, stepId: c.row.stepId, iteration: c.row.iteration, attempt: Math.max(1, c.row.attempts) }, delayMs);
}

async function settle(c: Ctx, work: (ctx: Awaited<ReturnType<typeof stepContext>>) => Promise<StepOutcome>): Promise<Job[]> {
  const abort = new AbortController();
  const limit = timeoutMs(c.step);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      abort.abort();
      reject(Object.assign(new Error(`timed out after ${limit} ms`), { name: "AbortError" }));
    }, limit);
  });
  try {
    const ctx = await stepContext(c.deps, c.run, c.row, abort.signal, childStarter(c.deps, c.run, c.row));
    const outcome = await Promise.race([work(ctx), timedOut]);
    return await onOutcome(c, outcome);
  } catch (err) {
    return onFailure(c, err);
  } finally {
    clearTimeout(timer);
  }
}

async function onOutcome(c: Ctx, outcome: StepOutcome): Promise<Job[]> {
  const { deps, run, tree, step, row } = c;
  const now = deps.now();
  if (outcome.kind === "done") {
    if (!(await finishStep(deps.db, row, { output: outcome.output, costNanoUsd: outcome.costNanoUsd ?? 0, input: outcome.input }, now))) return [];
    stepUpdated(deps, { ...row, status: "succeeded" });
    return advance(deps, run, tree, step.id, row.iteration);
  }
  if (outcome.kind === "enter") {
    const state = ChildrenState.parse({ sequences: outcome.sequences, inner: outcome.state });
    if (!(await parkStep(deps.db, row, { waitKind: "children", waitEvent: null, waitMatch: null, wakeAt: null, state }, now))) return [];
    const nested = handlerFor(step).sequences?.(step) ?? {};
    const firsts = outcome.sequences.flatMap((name) => (nested[name]?.[0] ? [nested[name][0]] : []));
    if (firsts.length === 0) return settleEmpty(c, state);
    return schedule(deps, run, firsts, row.iteration);
  }
  const on = outcome.on;
  const wait = {
    waitKind: on.kind,
    waitEvent: on.kind === "event" ? on.eventType : null,
    waitMatch: on.kind === "event" ? on.match : null,
    wakeAt: outcome.until ?? null,
    state: on.kind === "child" ? { runId: on.runId, inner: outcome.state ?? null } : (outcome.state ?? null),
    input: outcome.input,
  };
  if (!(await parkStep(deps.db, row, wait, now))) return [];
  await markActive(deps.db, run, "waiting", now);
  stepUpdated(deps, { ...row, status: "waiting" });
  if (on.kind === "approval") approvalRequested(deps, run, step.id, approvalTitle(outcome.input), outcome.until ?? null);
  const jobs: Job[] = [];
  if (outcome.until !== undefined) jobs.push(again(c, "wake", outcome.until - now));
  // The child may already have ended before this step parked: look once now.
  if (on.kind === "child") jobs.push(again(c, "wake", 0));
  return jobs;
}

function approvalTitle(input: unknown): { title: string; summary?: string } {
  if (typeof input === "object" && input !== null && "title" in input) {
    return { title: String(input.title), ...("summary" in input && typeof input.summary === "string" ? { summary: input.summary } : {}) };
  }
  return { title: "Approval requested" };
}

// A branch whose conditions all failed (and has no else): it is done at once.
async function settleEmpty(c: Ctx, state: { sequences: string[]; inner?: unknown }): Promise<Job[]> {
  const output = handlerFor(c.step).complete?.(c.step, {}, state.inner) ?? {};
  const waiting = await loadStep(c.deps.db, c.run.id, c.step.id, c.row.iteration);
  if (!waiting || !(await finishWaiting(c.deps.db, waiting, output, c.deps.now()))) return [];
  stepUpdated(c.deps, { ...waiting, status: "succeeded" });
  return advance(c.deps, c.run, c.tree, c.step.id, c.row.iteration);
}

async function onFailure(c: Ctx, err: unknown): Promise<Job[]> {
  const { deps, run, step, row } = c;
  const error = stepErrorOf(err);
  const retry = step.retry ?? DEFAULT_RETRY;
  const now = deps.now();
  if (error.retryable && row.attempts <= retry.limit) {
    const delay = retryDelayMs(retry, row.attempts);
    if (!(await deferStep(deps.db, row, now + delay, error, true, now))) return [];
    countStepRetry(deps);
    stepUpdated(deps, { ...row, status: "pending", error });
    return [job({ type: "step", tenantId: run.tenantId, runId: run.id, stepId: row.stepId, iteration: row.iteration, attempt: row.attempts + 1 }, delay)];
  }
  // Only while the claim is ours: a consumer whose lease ran out must not fail the attempt that took over.
  if (!(await failClaimed(deps.db, row, error, now))) return [];
  stepUpdated(deps, { ...row, status: "failed", error });
  return failRun(deps, run, step.id, error);
}
