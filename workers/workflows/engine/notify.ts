/**
 * Telling the outside world about runs: live updates to dashboards (LiveHub) and platform
 * events for partners (workflow.run.completed / failed, workflow.approval.requested).
 * Neither may hold a step up or fail it, so both go through waitUntil and only log.
 */
import { publishEvent } from "../../events/publish";
import { log } from "../../lib/log";
import { publishLive } from "../../live/publish";
import { countRunEnded, countStepStatus } from "../../metrics/record-workflows";
import type { StepDeps } from "../steps/types";
import type { RunRow, StepRow } from "./rows";

function logFailure(what: string, err: unknown): void {
  log.error(`${what} failed`, { err });
}

export function runUpdated(deps: StepDeps, run: RunRow): void {
  deps.waitUntil(
    publishLive(deps.env, run.tenantId, { type: "run.updated", at: deps.now(), data: { runId: run.id, workflowId: run.workflowId, status: run.status, costNanoUsd: run.costNanoUsd, updatedAt: run.updatedAt } }),
  );
}

export function stepUpdated(deps: StepDeps, row: StepRow): void {
  countStepStatus(deps, row.status);
  deps.waitUntil(
    publishLive(deps.env, row.tenantId, {
      type: "step.updated",
      at: deps.now(),
      data: {
        runId: row.runId,
        stepId: row.stepId,
        iteration: row.iteration,
        status: row.status,
        attempts: row.attempts,
        ...(row.error ? { error: { code: row.error.code, message: row.error.message } } : {}),
      },
    }),
  );
}

/** Published when a run completes or errors (not when cancelled: the person who cancelled knows). */
export function runEnded(deps: StepDeps, run: RunRow): void {
  countRunEnded(deps, run.status);
  runUpdated(deps, run);
  const ref = { runId: run.id, workflowId: run.workflowId, version: run.version };
  if (run.status === "complete") {
    const durationMs = run.startedAt && run.finishedAt ? Math.max(0, run.finishedAt - run.startedAt) : undefined;
    deps.waitUntil(publishEvent(deps.env, { tenantId: run.tenantId, type: "workflow.run.completed", data: { ...ref, durationMs, output: run.output } }).catch((e) => logFailure("run completed event", e)));
  } else if (run.status === "errored" && run.error) {
    const { code, message } = run.error;
    deps.waitUntil(publishEvent(deps.env, { tenantId: run.tenantId, type: "workflow.run.failed", data: { ...ref, failedStepId: run.error.stepId, error: { code, message } } }).catch((e) => logFailure("run failed event", e)));
  }
}

export function approvalRequested(deps: StepDeps, run: RunRow, stepId: string, request: { title: string; summary?: string }, expiresAt: number | null): void {
  deps.waitUntil(publishLive(deps.env, run.tenantId, { type: "approval.requested", at: deps.now(), data: { runId: run.id, stepId, title: request.title } }));
  deps.waitUntil(
    publishEvent(deps.env, { tenantId: run.tenantId, type: "workflow.approval.requested", data: { runId: run.id, workflowId: run.workflowId, stepId, title: request.title, summary: request.summary, expiresAt } }).catch((e) =>
      logFailure("approval event", e),
    ),
  );
}
