/**
 * Workflow series, counted at the engine's transitions: a run's terminal move (made once,
 * by a guarded update), a step run finishing, a failed step scheduled for another attempt.
 * Engine work can run after its request's response (in waitUntil), so each count also
 * schedules the isolate's flush.
 */
import type { RunStatus, StepStatus } from "../../d1/schema";
import { metrics } from "./buffer";
import { flushMetricsSoon } from "./flush";

type Deps = { env: Env; waitUntil: (p: Promise<unknown>) => void };

const OUTCOMES: ReadonlySet<RunStatus> = new Set(["complete", "errored", "terminated"]);
const FINISHED: ReadonlySet<StepStatus> = new Set(["succeeded", "failed"]);

/** A run reached `status`; only terminal statuses count. */
export function countRunEnded(deps: Deps, status: RunStatus): void {
  if (!OUTCOMES.has(status)) return;
  metrics.inc("auterity_workflow_runs_total", { outcome: status });
  flushMetricsSoon(deps.env, deps.waitUntil);
}

/** A step run moved to `status`; succeeded and failed (past its retries) count. */
export function countStepStatus(deps: Deps, status: StepStatus): void {
  if (!FINISHED.has(status)) return;
  metrics.inc("auterity_workflow_steps_total", { status });
  flushMetricsSoon(deps.env, deps.waitUntil);
}

/** A failed step was scheduled to run again after its retry delay. */
export function countStepRetry(deps: Deps): void {
  metrics.inc("auterity_queue_retries_total", { queue: "auterity-workflows", kind: "scheduled" });
  flushMetricsSoon(deps.env, deps.waitUntil);
}
