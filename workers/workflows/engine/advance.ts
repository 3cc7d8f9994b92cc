/**
 * Moving a run on after a step finished: the next step in its list, the end of a nested
 * list (a structural step may complete, once every list it entered is done), or the end
 * of the run. Ending a run frees its concurrency slot, starts the run queued behind it and
 * wakes a parent waiting on it.
 */
import { z } from "zod";
import type { StepErrorInfo } from "../../../d1/schema";
import type { Step } from "../definition/schema";
import { after, type DefinitionTree, ROOT, stepOf } from "../definition/tree";
import { handlerFor } from "../steps";
import type { StepDeps } from "../steps/types";
import { renderTemplate } from "../template";
import { acquireSlot, queuedBehind, releaseSlot } from "./concurrency";
import { runDataOf } from "./context";
import { job, type Job } from "./messages";
import { runEnded, runUpdated, stepUpdated } from "./notify";
import { finishWaiting, insertPending, latestOf, loadStep, moveRun, type RunRow, type StepRow, stepsOfRun } from "./rows";
import { treeFor } from "./trees";

const ACTIVE: ReadonlySet<StepRow["status"]> = new Set(["pending", "running", "waiting"]);

export const ChildrenState = z.object({ sequences: z.array(z.string()), inner: z.unknown().optional() });

/** Whether the engine may run this step in the same invocation as the one before it. */
export function runsInline(step: Step): boolean {
  return handlerFor(step).inline && step.quietHours === undefined;
}

/** Creates pending step runs and the jobs that will run them. */
export async function schedule(deps: StepDeps, run: RunRow, steps: readonly Step[], iteration: number): Promise<Job[]> {
  await insertPending(deps.db, run, steps.map((s) => ({ stepId: s.id, type: s.type, iteration })), deps.now());
  return steps.map((s) => job({ type: "step", tenantId: run.tenantId, runId: run.id, stepId: s.id, iteration, attempt: 1 }, 0, runsInline(s)));
}

export async function advance(deps: StepDeps, run: RunRow, tree: DefinitionTree, stepId: string, iteration: number): Promise<Job[]> {
  const next = after(tree, stepId);
  if (next.kind === "step") return schedule(deps, run, [next.step], iteration);
  if (next.sequence.owner === null) return completeRun(deps, run, tree);
  return closeSequence(deps, run, tree, next.sequence.owner);
}

/**
 * Moves on from a step that succeeded earlier, unless that already happened: for a consumer
 * that died between recording a step and scheduling the next, and for a run whose last step
 * finished while it was paused.
 */
export async function readvance(deps: StepDeps, run: RunRow, tree: DefinitionTree, row: StepRow): Promise<Job[]> {
  const next = after(tree, row.stepId);
  if (next.kind === "step" && (await loadStep(deps.db, run.id, next.step.id, row.iteration))) return [];
  return advance(deps, run, tree, row.stepId, row.iteration);
}

// Two parallel branches may finish at once: both look, and the guarded update lets one complete the owner.
async function closeSequence(deps: StepDeps, run: RunRow, tree: DefinitionTree, ownerId: string): Promise<Job[]> {
  const owner = stepOf(tree, ownerId);
  const ownerRow = (await latestOf(deps.db, run.id, [ownerId])).get(ownerId);
  // Closed already (by the other branch, or by a consumer that died before moving on).
  if (ownerRow?.status === "succeeded") return readvance(deps, run, tree, ownerRow);
  if (!ownerRow || ownerRow.status !== "waiting" || ownerRow.waitKind !== "children") return [];
  const state = ChildrenState.parse(ownerRow.state);
  const lastIds = state.sequences.map((name) => [name, tree.sequence({ owner: ownerId, name }).at(-1)?.id ?? ""] as const);
  const latest = await latestOf(deps.db, run.id, lastIds.map(([, id]) => id));
  if (lastIds.some(([, id]) => latest.get(id)?.status !== "succeeded")) return [];
  const results = Object.fromEntries(lastIds.map(([name, id]) => [name, latest.get(id)?.output ?? null]));
  const output = handlerFor(owner).complete?.(owner, results, state.inner) ?? results;
  if (!(await finishWaiting(deps.db, ownerRow, output, deps.now()))) return [];
  stepUpdated(deps, { ...ownerRow, status: "succeeded" });
  return advance(deps, run, tree, ownerId, ownerRow.iteration);
}

async function completeRun(deps: StepDeps, run: RunRow, tree: DefinitionTree): Promise<Job[]> {
  const data = await runDataOf(deps, run);
  const lastRoot = tree.sequence(ROOT).at(-1);
  const output = tree.definition.output !== undefined ? renderTemplate(tree.definition.output, data) : lastRoot ? (data.steps[lastRoot.id] ?? null) : null;
  const now = deps.now();
  const done = await moveRun(deps.db, run, ["running", "waiting"], { status: "complete", output, finishedAt: now }, now);
  return done ? afterRunEnded(deps, done) : [];
}

/** A step failed past its retries (or could not run): the run errors, re-runnable from that step. */
export async function failRun(deps: StepDeps, run: RunRow, stepId: string | null, error: StepErrorInfo): Promise<Job[]> {
  const now = deps.now();
  const done = await moveRun(deps.db, run, ["queued", "running", "waiting", "paused"], { status: "errored", error: { ...error, stepId }, finishedAt: now }, now);
  if (!done) return [];
  await deps.env.WORKFLOW_DLQ.send({ type: "failed", runId: run.id, tenantId: run.tenantId, stepId, error }, { contentType: "json" });
  return afterRunEnded(deps, done);
}

/** Frees the slot, starts who was queued behind, wakes a waiting parent, tells listeners. */
export async function afterRunEnded(deps: StepDeps, run: RunRow): Promise<Job[]> {
  await releaseSlot(deps.db, run);
  const tree = await treeFor(deps, run);
  const jobs: Job[] = [];
  for (const next of await queuedBehind(deps.db, run, tree.definition.concurrency?.limit ?? 1)) jobs.push(...(await startQueued(deps, next)));
  if (run.parentRunId && run.parentStepId) {
    jobs.push(job({ type: "wake", tenantId: run.tenantId, runId: run.parentRunId, stepId: run.parentStepId, iteration: run.parentIteration ?? 0, attempt: 1 }));
  }
  runEnded(deps, run);
  return jobs;
}

/** queued -> running once a concurrency slot is free; then its pending steps (or its first step) run. */
export async function startQueued(deps: StepDeps, run: RunRow): Promise<Job[]> {
  const tree = await treeFor(deps, run);
  const now = deps.now();
  if (!(await acquireSlot(deps.db, run, tree.definition.concurrency?.limit ?? 1, now))) return [];
  const started = await moveRun(deps.db, run, ["queued"], { status: "running", startedAt: run.startedAt ?? now }, now);
  if (!started) return [];
  runUpdated(deps, started);
  return pendingJobs(deps, started, tree);
}

// Nothing is pending, running or waiting, yet the run has not ended: pick up after what succeeded last.
async function resumeAfterLast(deps: StepDeps, run: RunRow, tree: DefinitionTree, rows: StepRow[]): Promise<Job[]> {
  const jobs: Job[] = [];
  for (const r of rows) if (r.status === "succeeded") jobs.push(...(await readvance(deps, run, tree, r)));
  return jobs;
}

/** Jobs for everything of a run that should be moving: pending steps, due or child waits, expired leases. */
export async function pendingJobs(deps: StepDeps, run: RunRow, tree: DefinitionTree): Promise<Job[]> {
  const rows = await stepsOfRun(deps.db, run.id);
  const first = tree.sequence(ROOT)[0];
  if (rows.length === 0) return first ? schedule(deps, run, [first], 0) : completeRun(deps, run, tree);
  if (!rows.some((r) => ACTIVE.has(r.status))) return resumeAfterLast(deps, run, tree, rows);
  const now = deps.now();
  const key = (r: (typeof rows)[number], type: "step" | "wake") => ({ type, tenantId: run.tenantId, runId: run.id, stepId: r.stepId, iteration: r.iteration, attempt: Math.max(1, r.attempts) });
  return rows.flatMap((r) => {
    if (r.status === "pending") return [job(key(r, "step"), (r.wakeAt ?? now) - now)];
    if (r.status === "running" && (r.leaseUntil ?? 0) < now) return [job(key(r, "step"), 0)];
    if (r.status === "waiting" && r.waitKind === "child") return [job(key(r, "wake"), 0)];
    if (r.status === "waiting" && r.wakeAt !== null) return [job(key(r, "wake"), r.wakeAt - now)];
    return [];
  });
}
