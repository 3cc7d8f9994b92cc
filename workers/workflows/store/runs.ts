/**
 * Reading runs for people: lists with filters, one run with every step run (input,
 * output, error, attempts, timing, AI cost), and the approvals waiting for someone.
 */
import { and, desc, eq, gte, lt, lte, or, type SQL } from "drizzle-orm";
import { type RunStatus, workflowRuns, workflowStepRuns, workflows } from "../../../d1/schema";
import type { TenantScope } from "../../db";
import { AppError } from "../../errors";
import type { RunRow, StepRow } from "../engine/rows";

/** Where a page ends: runs created before `createdAt`, or (with `id`) after this run in list order. */
export type RunCursor = { createdAt: number; id?: string };
export type RunFilter = { workflowId?: string; status?: RunStatus; from?: number; to?: number; before?: RunCursor; limit: number };

/** The `next` of a page that ended with `run`; the id breaks ties between runs created in the same millisecond. */
export function cursorAfter(run: RunRow): string {
  return `${run.createdAt}.${run.id}`;
}

function beforeCursor(c: RunCursor): SQL | undefined {
  if (c.id === undefined) return lt(workflowRuns.createdAt, c.createdAt);
  return or(lt(workflowRuns.createdAt, c.createdAt), and(eq(workflowRuns.createdAt, c.createdAt), lt(workflowRuns.id, c.id)));
}

export async function listRuns(scope: TenantScope, f: RunFilter): Promise<RunRow[]> {
  const where: SQL[] = [eq(workflowRuns.tenantId, scope.tenantId)];
  if (f.workflowId) where.push(eq(workflowRuns.workflowId, f.workflowId));
  if (f.status) where.push(eq(workflowRuns.status, f.status));
  if (f.from !== undefined) where.push(gte(workflowRuns.createdAt, f.from));
  if (f.to !== undefined) where.push(lte(workflowRuns.createdAt, f.to));
  const before = f.before && beforeCursor(f.before);
  if (before) where.push(before);
  return scope.db.query.workflowRuns.findMany({ where: and(...where), orderBy: [desc(workflowRuns.createdAt), desc(workflowRuns.id)], limit: f.limit });
}

export async function getRun(scope: TenantScope, runId: string): Promise<{ run: RunRow; steps: StepRow[] }> {
  const run = await scope.db.query.workflowRuns.findFirst({ where: and(eq(workflowRuns.id, runId), eq(workflowRuns.tenantId, scope.tenantId)) });
  if (!run) throw new AppError("not_found", `No run '${runId}'`);
  const steps = await scope.db.query.workflowStepRuns.findMany({
    where: and(eq(workflowStepRuns.runId, run.id), eq(workflowStepRuns.tenantId, scope.tenantId)),
    orderBy: [workflowStepRuns.createdAt, workflowStepRuns.iteration],
  });
  return { run, steps };
}

export type PendingApproval = { runId: string; workflowId: string; workflowKey: string; stepId: string; iteration: number; request: unknown; since: number; expiresAt: number | null };

export async function listApprovals(scope: TenantScope, limit = 200): Promise<PendingApproval[]> {
  const rows = await scope.db
    .select({ step: workflowStepRuns, run: { workflowId: workflowRuns.workflowId }, key: workflows.key })
    .from(workflowStepRuns)
    .innerJoin(workflowRuns, eq(workflowRuns.id, workflowStepRuns.runId))
    .innerJoin(workflows, eq(workflows.id, workflowRuns.workflowId))
    .where(and(eq(workflowStepRuns.tenantId, scope.tenantId), eq(workflowStepRuns.waitKind, "approval"), eq(workflowStepRuns.status, "waiting")))
    .orderBy(workflowStepRuns.updatedAt)
    .limit(limit);
  return rows.map((r) => ({ runId: r.step.runId, workflowId: r.run.workflowId, workflowKey: r.key, stepId: r.step.stepId, iteration: r.step.iteration, request: r.step.input, since: r.step.updatedAt, expiresAt: r.step.wakeAt }));
}
