/**
 * Platform events reaching workflows: they start the runs of workflows with a matching
 * event trigger (once per event: the event id is the trigger key), and wake the steps
 * waiting for that event whose match fits.
 */
import { and, eq } from "drizzle-orm";
import { workflowStepRuns, workflowTriggers } from "../../../d1/schema";
import { AppError } from "../../errors";
import { log } from "../../lib/log";
import type { PlatformEvent } from "../../events/publish";
import { evaluateCondition } from "../condition";
import { readPath } from "../template";
import type { Job } from "../engine/messages";
import { startRun } from "../engine/start";
import { wakeStepRun } from "../engine/step-run";
import type { StepDeps } from "../steps/types";
import { treeOf } from "../store/definitions";

async function startTriggered(deps: StepDeps, event: PlatformEvent): Promise<Job[]> {
  const triggers = await deps.db.query.workflowTriggers.findMany({
    where: and(eq(workflowTriggers.tenantId, event.tenantId), eq(workflowTriggers.type, "event"), eq(workflowTriggers.eventType, event.type)),
  });
  const jobs: Job[] = [];
  for (const t of triggers) {
    const tree = await treeOf({ db: deps.db, tenantId: t.tenantId }, t.workflowId, t.version);
    const data = { event: { id: event.id, type: event.type, data: event.data }, input: event.data };
    const wanted = tree.definition.triggers.some((d) => d.type === "event" && d.event === event.type && (!d.filter || evaluateCondition(d.filter, data)));
    if (!wanted) continue;
    try {
      const started = await startRun(deps, event.tenantId, { workflow: t.workflowId, version: t.version, input: event.data, trigger: { type: "event", eventId: event.id, eventType: event.type }, triggerKey: `event:${event.id}` });
      jobs.push(...started.jobs);
    } catch (err) {
      // A disabled workflow or an event whose data does not fit the input schema starts nothing; others still run.
      if (!(err instanceof AppError)) throw err;
      log.warn("event did not start workflow", { workflowId: t.workflowId, eventId: event.id, code: err.code, error: err.message });
    }
  }
  return jobs;
}

async function wakeWaiting(deps: StepDeps, event: PlatformEvent): Promise<Job[]> {
  const waiting = await deps.db.query.workflowStepRuns.findMany({
    where: and(eq(workflowStepRuns.tenantId, event.tenantId), eq(workflowStepRuns.waitEvent, event.type), eq(workflowStepRuns.status, "waiting")),
    limit: 1000,
  });
  const jobs: Job[] = [];
  for (const row of waiting) {
    const fits = Object.entries(row.waitMatch ?? {}).every(([path, expected]) => String(readPath(event.data, path) ?? "") === expected);
    if (fits) jobs.push(...(await wakeStepRun(deps, row.tenantId, row.runId, row.stepId, row.iteration, { reason: "event", event })));
  }
  return jobs;
}

/** Everything an event does to workflows; safe to repeat for the same event. */
export async function dispatchEventToWorkflows(deps: StepDeps, event: PlatformEvent): Promise<Job[]> {
  return [...(await startTriggered(deps, event)), ...(await wakeWaiting(deps, event))];
}
