/**
 * What people do to runs: cancel, pause, resume, rerun from the failed step, bulk rerun,
 * and decide approvals. Each returns the jobs to send; callers send them.
 */
import { and, eq, gte, inArray, lte, sql } from "drizzle-orm";
import { type RunStatus, workflowRuns, workflowStepRuns } from "../../../d1/schema";
import type { TenantScope } from "../../db";
import { AppError } from "../../errors";
import type { StepDeps } from "../steps/types";
import { afterRunEnded, pendingJobs, startQueued } from "./advance";
import type { Job } from "./messages";
import { runUpdated } from "./notify";
import { insertPending, latestOf, loadRun, moveRun, type RunRow, TERMINAL } from "./rows";
import { startRun } from "./start";
import { wakeStepRun } from "./step-run";
import { treeFor } from "./trees";

async function runOf(deps: StepDeps, tenantId: string, runId: string): Promise<RunRow> {
  const run = await loadRun(deps.db, tenantId, runId);
  if (!run) throw new AppError("not_found", `No run '${runId}'`);
  return run;
}

function notIn(run: RunRow, action: string, allowed: string): AppError {
  return new AppError("conflict", `Cannot ${action} run ${run.id}: it is ${run.status} (only ${allowed} runs can be)`);
}

/** Cancels a run and, through it, its child runs; steps not finished are cancelled. */
export async function cancelRun(deps: StepDeps, tenantId: string, runId: string): Promise<{ run: RunRow; jobs: Job[] }> {
  const run = await runOf(deps, tenantId, runId);
  const now = deps.now();
  const done = await moveRun(deps.db, run, ["queued", "running", "waiting", "paused"], { status: "terminated", finishedAt: now }, now);
  if (!done) throw notIn(run, "cancel", "queued, running, waiting or paused");
  await deps.db
    .update(workflowStepRuns)
    .set({ status: "cancelled", leaseUntil: null, finishedAt: now, updatedAt: now })
    .where(and(eq(workflowStepRuns.runId, run.id), inArray(workflowStepRuns.status, ["pending", "running", "waiting"])));
  const jobs = await afterRunEnded(deps, done);
  const children = await deps.db.query.workflowRuns.findMany({ where: and(eq(workflowRuns.parentRunId, run.id), inArray(workflowRuns.status, ["queued", "running", "waiting", "paused"])) });
  for (const child of children) jobs.push(...(await cancelRun(deps, tenantId, child.id)).jobs);
  return { run: done, jobs };
}

export async function pauseRun(deps: StepDeps, tenantId: string, runId: string): Promise<RunRow> {
  const run = await runOf(deps, tenantId, runId);
  const paused = await moveRun(deps.db, run, ["queued", "running", "waiting"], { status: "paused" }, deps.now());
  if (!paused) throw notIn(run, "pause", "queued, running or waiting");
  runUpdated(deps, paused);
  return paused;
}

/** Resumes a paused run: whatever was pending or came due meanwhile moves again. */
export async function resumeRun(deps: StepDeps, tenantId: string, runId: string): Promise<{ run: RunRow; jobs: Job[] }> {
  const run = await runOf(deps, tenantId, runId);
  const now = deps.now();
  if (run.startedAt === null) {
    const queued = await moveRun(deps.db, run, ["paused"], { status: "queued" }, now);
    if (!queued) throw notIn(run, "resume", "paused");
    return { run: queued, jobs: await startQueued(deps, queued) };
  }
  const resumed = await moveRun(deps.db, run, ["paused"], { status: "running" }, now);
  if (!resumed) throw notIn(run, "resume", "paused");
  runUpdated(deps, resumed);
  return { run: resumed, jobs: await pendingJobs(deps, resumed, await treeFor(deps, resumed)) };
}

/** Reruns an errored run from the step that failed (a new iteration of it); earlier outputs are kept. */
export async function rerunFromFailure(deps: StepDeps, tenantId: string, runId: string): Promise<{ run: RunRow; jobs: Job[] }> {
  const run = await runOf(deps, tenantId, runId);
  if (run.status !== "errored") throw notIn(run, "rerun", "errored");
  const failedId = run.error?.stepId ?? null;
  const failed = failedId ? (await latestOf(deps.db, run.id, [failedId])).get(failedId) : undefined;
  const now = deps.now();
  if (failed && failed.status === "failed") await insertPending(deps.db, run, [{ stepId: failed.stepId, type: failed.type, iteration: failed.iteration + 1 }], now);
  const queued = await moveRun(deps.db, run, ["errored"], { status: "queued", error: null, finishedAt: null }, now);
  if (!queued) throw notIn(run, "rerun", "errored");
  return { run: queued, jobs: await startQueued(deps, queued) };
}

export type BulkRerun = { status: Extract<RunStatus, "errored" | "terminated" | "complete">; from: number; to: number; workflowId?: string; limit: number };

/**
 * Reruns many runs at once: errored ones from their failed step; terminated or complete
 * ones as new runs with the same version and input (linked by rerunOf).
 */
export async function bulkRerun(deps: StepDeps, scope: TenantScope, q: BulkRerun): Promise<{ rerun: string[]; jobs: Job[] }> {
  const runs = await deps.db.query.workflowRuns.findMany({
    where: and(
      eq(workflowRuns.tenantId, scope.tenantId),
      eq(workflowRuns.status, q.status),
      gte(workflowRuns.createdAt, q.from),
      lte(workflowRuns.createdAt, q.to),
      q.workflowId ? eq(workflowRuns.workflowId, q.workflowId) : sql`1 = 1`,
    ),
    limit: q.limit,
  });
  const rerun: string[] = [];
  const jobs: Job[] = [];
  for (const run of runs) {
    const r =
      q.status === "errored"
        ? await rerunFromFailure(deps, scope.tenantId, run.id)
        : await startRun(deps, scope.tenantId, { workflow: run.workflowId, version: run.version, input: run.input, trigger: { type: "rerun", by: run.id }, rerunOf: run.id });
    rerun.push(r.run.id);
    jobs.push(...r.jobs);
  }
  return { rerun, jobs };
}

export type Decision = { decision: "approve" | "reject"; by: string; comment: string | null; data?: unknown };

/** Approves or rejects the approval step `stepId` of a run; 409 when it is not waiting for one. */
export async function decideApproval(deps: StepDeps, tenantId: string, runId: string, stepId: string, d: Decision): Promise<Job[]> {
  const run = await runOf(deps, tenantId, runId);
  if (TERMINAL.has(run.status)) throw notIn(run, "approve a step of", "active");
  const row = (await latestOf(deps.db, run.id, [stepId])).get(stepId);
  if (!row || row.waitKind !== "approval" || row.status !== "waiting") throw new AppError("conflict", `Step '${stepId}' of run ${run.id} is not waiting for an approval`);
  const jobs = await wakeStepRun(deps, tenantId, runId, stepId, row.iteration, { reason: "approval", ...d });
  const after = (await latestOf(deps.db, run.id, [stepId])).get(stepId);
  if (after?.status === "waiting") throw new AppError("conflict", `Step '${stepId}' was decided by someone else at the same time`);
  return jobs;
}
