/**
 * The safety net, run every minute by the scheduled handler: steps whose queue message
 * was lost or is late (timers past due, pending steps nobody picked up, claims whose
 * lease ran out) are sent again. Sending twice is harmless: the step run's row decides.
 */
import { and, inArray, lt, or, sql } from "drizzle-orm";
import { workflowRuns, workflowStepRuns } from "../../../d1/schema";
import type { StepDeps } from "../steps/types";
import { job, type Job } from "./messages";

/** How late a step must be before the sweep steps in (its own message normally arrives first). */
const GRACE_MS = 60_000;
const BATCH = 500;

export async function sweepStuckSteps(deps: StepDeps): Promise<Job[]> {
  const now = deps.now();
  const cutoff = now - GRACE_MS;
  const rows = await deps.db
    .select({ tenantId: workflowStepRuns.tenantId, runId: workflowStepRuns.runId, stepId: workflowStepRuns.stepId, iteration: workflowStepRuns.iteration, status: workflowStepRuns.status, attempts: workflowStepRuns.attempts })
    .from(workflowStepRuns)
    .innerJoin(workflowRuns, sql`${workflowRuns.id} = ${workflowStepRuns.runId}`)
    .where(
      and(
        inArray(workflowRuns.status, ["running", "waiting"]),
        or(
          and(sql`${workflowStepRuns.status} = 'waiting'`, lt(workflowStepRuns.wakeAt, cutoff)),
          and(sql`${workflowStepRuns.status} = 'pending'`, sql`coalesce(${workflowStepRuns.wakeAt}, ${workflowStepRuns.updatedAt}) < ${cutoff}`),
          and(sql`${workflowStepRuns.status} = 'running'`, lt(workflowStepRuns.leaseUntil, now)),
        ),
      ),
    )
    .limit(BATCH);
  return rows.map((r) => job({ type: r.status === "waiting" ? "wake" : "step", tenantId: r.tenantId, runId: r.runId, stepId: r.stepId, iteration: r.iteration, attempt: Math.max(1, r.attempts) }));
}
