/**
 * What a step sees: the run's data (input, earlier outputs, run and tenant facts) and the
 * StepContext handlers receive.
 */
import { eq } from "drizzle-orm";
import { tenants } from "../../../d1/schema";
import type { Db } from "../../db";
import { ttlCache } from "../../lib/ttl-cache";
import { renderTemplate } from "../template";
import type { RunData, StepContext, StepDeps } from "../steps/types";
import { type RunRow, type StepRow, stepsOfRun } from "./rows";

type TenantInfo = RunData["tenant"];
const tenantInfos = ttlCache<TenantInfo>(60_000);

export function tenantInfo(db: Db, tenantId: string): Promise<TenantInfo> {
  return tenantInfos.get(tenantId, async () => {
    const row = await db.query.tenants.findFirst({ where: eq(tenants.id, tenantId), columns: { name: true, timezone: true } });
    return { id: tenantId, name: row?.name ?? "", timezone: row?.timezone ?? "UTC" };
  });
}

/** Outputs of each step's newest succeeded run. */
export function outputsOf(rows: StepRow[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  // rows come newest iteration first, so the first success seen per step wins.
  for (const r of rows) if (r.status === "succeeded" && !(r.stepId in out)) out[r.stepId] = r.output;
  return out;
}

/** `event` in templates: the triggering event's data, for runs an event trigger started (their input is that data). */
export function eventOf(run: Pick<RunRow, "trigger" | "input">): Pick<RunData, "event"> {
  return run.trigger.type === "event" ? { event: run.input } : {};
}

export async function runDataOf(deps: StepDeps, run: RunRow): Promise<RunData> {
  const [rows, tenant] = await Promise.all([stepsOfRun(deps.db, run.id), tenantInfo(deps.db, run.tenantId)]);
  return {
    input: run.input,
    steps: outputsOf(rows),
    run: { id: run.id, workflowId: run.workflowId, version: run.version, startedAt: run.startedAt },
    tenant,
    ...eventOf(run),
  };
}

export type ChildStarter = (workflow: string, input: unknown) => Promise<{ runId: string }>;

export async function stepContext(deps: StepDeps, run: RunRow, row: StepRow, signal: AbortSignal, startChild: ChildStarter): Promise<StepContext> {
  const data = await runDataOf(deps, run);
  return {
    deps,
    tenantId: run.tenantId,
    runId: run.id,
    workflowId: run.workflowId,
    stepId: row.stepId,
    iteration: row.iteration,
    attempt: row.attempts,
    key: `${run.id}:${row.stepId}:${row.iteration}`,
    data,
    render: (value) => renderTemplate(value, data),
    signal,
    startChild,
  };
}
