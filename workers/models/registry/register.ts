/**
 * Registering a model version: from a finished training job (idempotent on the job id) or
 * by hand for a model trained elsewhere. The model is created on first use of its key.
 */
import { and, eq, max } from "drizzle-orm";
import { modelVersions } from "../../../d1/schema";
import type { TenantScope } from "../../db";
import { AppError } from "../../errors";
import { invalidateGatewayConfig } from "../../gateway/tenant-config";
import { newId } from "../../lib/ids";
import { createModel, findModelByKey, type ModelRow, type VersionRow } from "./store";

export type ServingEndpoint = { baseUrl: string; model: string; apiKeySealed?: string | null };

export type RegisterInput = {
  modelKey: string;
  baseModel: string;
  datasetId: string | null;
  datasetSha256: string | null;
  hyperparameters: Record<string, unknown>;
  provider: string;
  providerJobId: string;
  jobId: string;
  metrics: Record<string, number>;
  servingEndpoint: ServingEndpoint;
};

export type Registered = { modelId: string; versionId: string; version: number };

/** The lineage and serving endpoint of a version, whatever produced it. */
export type VersionInput = Omit<RegisterInput, "modelKey" | "jobId" | "providerJobId"> & { jobId: string | null; providerJobId: string | null };

function checkEndpoint(endpoint: ServingEndpoint): void {
  let url: URL;
  try {
    url = new URL(endpoint.baseUrl);
  } catch {
    throw new AppError("validation_failed", "servingEndpoint.baseUrl must be an absolute http(s) URL");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new AppError("validation_failed", "servingEndpoint.baseUrl must be http(s)");
  if (!endpoint.model.trim()) throw new AppError("validation_failed", "servingEndpoint.model is required");
}

async function byJob(scope: TenantScope, jobId: string): Promise<VersionRow | null> {
  const rows = await scope.db.select().from(modelVersions).where(and(eq(modelVersions.tenantId, scope.tenantId), eq(modelVersions.jobId, jobId))).limit(1);
  return rows[0] ?? null;
}

async function nextVersion(scope: TenantScope, modelId: string): Promise<number> {
  const rows = await scope.db.select({ n: max(modelVersions.version) }).from(modelVersions).where(eq(modelVersions.modelId, modelId));
  return (rows[0]?.n ?? 0) + 1;
}

/** Adds the next version of `model`. */
export async function addVersion(scope: TenantScope, model: ModelRow, input: VersionInput, now: number): Promise<VersionRow> {
  checkEndpoint(input.servingEndpoint);
  const row: VersionRow = {
    id: newId("mv"),
    tenantId: scope.tenantId,
    modelId: model.id,
    version: await nextVersion(scope, model.id),
    baseModel: input.baseModel,
    datasetId: input.datasetId,
    datasetSha256: input.datasetSha256,
    hyperparameters: input.hyperparameters,
    provider: input.provider,
    providerJobId: input.providerJobId,
    jobId: input.jobId,
    metrics: input.metrics,
    servingBaseUrl: input.servingEndpoint.baseUrl.replace(/\/+$/, ""),
    servingModel: input.servingEndpoint.model,
    servingKeyEnc: input.servingEndpoint.apiKeySealed ?? null,
    status: "active",
    createdAt: now,
  };
  await scope.db.insert(modelVersions).values(row);
  invalidateGatewayConfig(scope.tenantId);
  return row;
}

/**
 * Registers the version a training job produced. Calling it again for the same job answers
 * the first registration, so a retried callback or alarm never makes a second version.
 */
export async function registerVersion(scope: TenantScope, input: RegisterInput, now: number): Promise<Registered> {
  const existing = await byJob(scope, input.jobId);
  if (existing) return { modelId: existing.modelId, versionId: existing.id, version: existing.version };
  const model = (await findModelByKey(scope, input.modelKey)) ?? (await createModel(scope, { key: input.modelKey, baseModel: input.baseModel }, now));
  try {
    const row = await addVersion(scope, model, input, now);
    return { modelId: model.id, versionId: row.id, version: row.version };
  } catch (err) {
    // Two deliveries for one job raced past the lookup: the unique index let one through.
    const winner = await byJob(scope, input.jobId);
    if (winner) return { modelId: winner.modelId, versionId: winner.id, version: winner.version };
    throw err;
  }
}
