/**
 * Training jobs: rows, reads scoped to the tenant, and the one conditional write every
 * state change goes through (it only lands if the job is still as the writer last saw it).
 */
import { and, desc, eq } from "drizzle-orm";
import { trainingJobs } from "../../../d1/schema";
import type { Db, TenantScope } from "../../db";
import { AppError } from "../../errors";
import { isTrainingStatus, type TrainingStatus } from "./lifecycle";

export type JobRow = typeof trainingJobs.$inferSelect;

/** What the plain training functions need; `now` is injectable so timeouts can be tested. */
export type TrainingDeps = { env: Env; db: Db; now: () => number };

export function statusOf(row: Pick<JobRow, "status">): TrainingStatus {
  if (!isTrainingStatus(row.status)) throw new AppError("internal_error", `Unknown training status "${row.status}"`);
  return row.status;
}

export async function getJob(scope: TenantScope, id: string): Promise<JobRow> {
  const row = await scope.db.query.trainingJobs.findFirst({ where: and(eq(trainingJobs.tenantId, scope.tenantId), eq(trainingJobs.id, id)) });
  if (!row) throw new AppError("not_found", "No such training job");
  return row;
}

/** A job by id alone, for callers that learn the tenant from the job (signed callbacks, alarms). */
export async function findJobById(db: Db, id: string): Promise<JobRow | null> {
  return (await db.query.trainingJobs.findFirst({ where: eq(trainingJobs.id, id) })) ?? null;
}

export function listJobs(scope: TenantScope, filter: { status?: string; datasetId?: string; limit: number }): Promise<JobRow[]> {
  const where = [eq(trainingJobs.tenantId, scope.tenantId)];
  if (filter.status) where.push(eq(trainingJobs.status, filter.status));
  if (filter.datasetId) where.push(eq(trainingJobs.datasetId, filter.datasetId));
  return scope.db.select().from(trainingJobs).where(and(...where)).orderBy(desc(trainingJobs.createdAt)).limit(filter.limit);
}

/**
 * Writes `patch` only if the job still has the status and updated_at the caller read, so two
 * writers (a callback and an alarm) can never both move it. Answers the new row, or null when
 * someone else got there first.
 */
export async function updateJobIf(db: Db, job: JobRow, patch: Partial<JobRow>, now: number): Promise<JobRow | null> {
  const rows = await db
    .update(trainingJobs)
    .set({ ...patch, updatedAt: Math.max(now, job.updatedAt + 1) })
    .where(and(eq(trainingJobs.id, job.id), eq(trainingJobs.status, job.status), eq(trainingJobs.updatedAt, job.updatedAt)))
    .returning();
  return rows[0] ?? null;
}

/** The job as the API shows it (the callback secret never leaves). */
export function publicJob(row: JobRow) {
  return {
    id: row.id,
    datasetId: row.datasetId,
    datasetSha256: row.datasetSha256,
    provider: row.provider,
    providerJobId: row.providerJobId,
    providerStatus: row.providerStatus,
    baseModel: row.baseModel,
    hyperparameters: row.hyperparameters,
    modelKey: row.modelKey,
    suffix: row.suffix,
    status: statusOf(row),
    progress: row.progress,
    trainedTokens: row.trainedTokens,
    costNanoUsd: row.costNanoUsd,
    etaSeconds: row.etaSeconds,
    fineTunedModel: row.fineTunedModel,
    servingBaseUrl: row.servingBaseUrl,
    metrics: row.metrics,
    error: row.error,
    modelId: row.modelId,
    modelVersionId: row.modelVersionId,
    modelVersion: row.modelVersion,
    timeoutMs: row.timeoutMs,
    lastProgressAt: row.lastProgressAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    finishedAt: row.finishedAt,
  };
}
export type PublicJob = ReturnType<typeof publicJob>;
