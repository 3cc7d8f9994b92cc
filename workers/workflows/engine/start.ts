/**
 * Starting runs: by API, trigger, rerun or a parent's subworkflow step. The input is
 * checked against the workflow's input schema; a trigger key (event id, cron slot, the
 * parent step's key) makes a repeated start return the run that exists instead of a second.
 */
import { and, eq } from "drizzle-orm";
import { type RunTrigger, workflowRuns } from "../../../d1/schema";
import type { TenantScope } from "../../db";
import { AppError } from "../../errors";
import { newId } from "../../lib/ids";
import { validateJsonSchema } from "../../lib/json-schema";
import { getWorkflow } from "../store/definitions";
import type { StepDeps } from "../steps/types";
import { renderTemplate } from "../template";
import { startQueued } from "./advance";
import { eventOf, tenantInfo } from "./context";
import { type Job, sendJobs } from "./messages";
import { runUpdated } from "./notify";
import type { RunRow, StepRow } from "./rows";
import { treeFor } from "./trees";

export type StartInput = {
  workflow: string;
  input: unknown;
  trigger: RunTrigger;
  /** Pins a version; default the latest. */
  version?: number;
  triggerKey?: string | null;
  parent?: { runId: string; stepId: string; iteration: number } | null;
  rerunOf?: string | null;
};

export type Started = { run: RunRow; created: boolean; jobs: Job[] };

/** How deep subworkflows may nest: a workflow that calls itself stops here. */
const MAX_DEPTH = 5;

export async function startRun(deps: StepDeps, tenantId: string, input: StartInput): Promise<Started> {
  const scope: TenantScope = { db: deps.db, tenantId };
  const wf = await getWorkflow(scope, input.workflow);
  if (!wf.enabled) throw new AppError("conflict", `Workflow '${wf.key}' is disabled`);
  const version = input.version ?? wf.latestVersion;
  const now = deps.now();
  const draft: RunRow = {
    id: newId("run"), tenantId, workflowId: wf.id, version, status: "queued", input: input.input ?? null, output: null, error: null, trigger: input.trigger,
    triggerKey: input.triggerKey ?? null, concurrencyKey: null, parentRunId: input.parent?.runId ?? null, parentStepId: input.parent?.stepId ?? null,
    parentIteration: input.parent?.iteration ?? null, rerunOf: input.rerunOf ?? null, costNanoUsd: 0, createdAt: now, startedAt: null, finishedAt: null, updatedAt: now,
  };
  const tree = await treeFor(deps, draft);
  const problems = tree.definition.input ? validateJsonSchema(tree.definition.input, draft.input) : [];
  if (problems.length > 0) {
    throw new AppError("validation_failed", `The input does not fit workflow '${wf.key}': ${problems[0]?.path || "(input)"} ${problems[0]?.message}`, problems);
  }
  if (tree.definition.concurrency) {
    const data = { input: draft.input, run: { id: draft.id, workflowId: wf.id, version, startedAt: null }, tenant: await tenantInfo(deps.db, tenantId), steps: {}, ...eventOf(draft) };
    draft.concurrencyKey = String(renderTemplate(tree.definition.concurrency.key, data) ?? "");
  }
  const [inserted] = await deps.db.insert(workflowRuns).values(draft).onConflictDoNothing().returning();
  if (!inserted) {
    const existing = await deps.db.query.workflowRuns.findFirst({ where: and(eq(workflowRuns.workflowId, wf.id), eq(workflowRuns.triggerKey, draft.triggerKey ?? "")) });
    if (!existing) throw new Error("run insert conflicted but no run holds the trigger key");
    return { run: existing, created: false, jobs: [] };
  }
  runUpdated(deps, inserted);
  return { run: inserted, created: true, jobs: await startQueued(deps, inserted) };
}

async function depthOf(deps: StepDeps, run: RunRow): Promise<number> {
  let depth = 0;
  let parentId = run.parentRunId;
  while (parentId && depth <= MAX_DEPTH) {
    depth++;
    const parent = await deps.db.query.workflowRuns.findFirst({ where: eq(workflowRuns.id, parentId), columns: { parentRunId: true } });
    parentId = parent?.parentRunId ?? null;
  }
  return depth;
}

/** What a subworkflow step calls: starts (once) the child run of this step run and sends its first jobs. */
export function childStarter(deps: StepDeps, run: RunRow, row: StepRow) {
  return async (workflow: string, input: unknown): Promise<{ runId: string }> => {
    if ((await depthOf(deps, run)) >= MAX_DEPTH) throw new AppError("conflict", `Subworkflows nest deeper than ${MAX_DEPTH} levels`);
    const started = await startRun(deps, run.tenantId, {
      workflow,
      input,
      trigger: { type: "subworkflow", by: run.id },
      triggerKey: `parent:${run.id}:${row.stepId}:${row.iteration}`,
      parent: { runId: run.id, stepId: row.stepId, iteration: row.iteration },
    });
    await sendJobs(deps.env.WORKFLOW_QUEUE, started.jobs);
    return { runId: started.run.id };
  };
}
