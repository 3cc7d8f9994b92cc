/**
 * /training-jobs: fine-tuning jobs dispatched to a GPU provider. Progress, cost and ETA are
 * read here (and pushed live as training.updated); cancel asks the provider.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { platformAuth, requirePermission } from "../auth/middleware";
import { makeDb } from "../db";
import type { AppEnv } from "../env";
import { cancelTrainingJob } from "../models/training/cancel";
import { createTrainingJob } from "../models/training/create";
import { getJob, listJobs, publicJob, type TrainingDeps } from "../models/training/jobs";
import { TRAINING_STATUSES } from "../models/training/lifecycle";
import { TRAINING_PROVIDER_NAMES } from "../models/training/providers";
import { audit, scopeOf } from "./context";
import { createApiApp } from "./factory";
import { authErrors, bearerSecurity, conflictError, EpochMs, IdParams, jsonBody, jsonResponse, mediaTypeError } from "./schemas";

const Status = z.enum(TRAINING_STATUSES);
const Provider = z.enum(TRAINING_PROVIDER_NAMES as [string, ...string[]]);

const CreateJob = z
  .object({
    datasetId: z.string().min(1).max(64),
    baseModel: z.string().trim().min(1).max(200).openapi({ example: "llama-3.1-8b" }),
    provider: Provider.openapi({ description: "generic (our GPU-host protocol) or openai (fine-tuning jobs API)" }),
    hyperparameters: z.object({
      epochs: z.number().int().min(1).max(50),
      learningRateMultiplier: z.number().positive().max(100).optional(),
      batchSize: z.number().int().min(1).max(4096).optional(),
    }).strict(),
    modelKey: z.string().min(1).max(63).openapi({ description: "The registry model the trained version is registered into", example: "lead-reply" }),
    suffix: z.string().trim().min(1).max(40).regex(/^[A-Za-z0-9_-]+$/).optional(),
    timeoutHours: z.number().positive().max(720).optional().openapi({ description: "No progress for this long times the job out (default 24)" }),
  })
  .strict();

const ListQuery = z.object({
  status: Status.optional(),
  datasetId: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

const Nullable = z.string().nullable();
export const TrainingJobSchema = z
  .object({
    id: z.string().openapi({ example: "job_4fGh7Jk9LmNp2QrS5tUv" }),
    datasetId: z.string(), datasetSha256: z.string(), provider: z.string(), providerJobId: Nullable, providerStatus: Nullable,
    baseModel: z.string(), hyperparameters: z.record(z.string(), z.unknown()), modelKey: z.string(), suffix: Nullable,
    status: Status,
    progress: z.number().openapi({ description: "0..1" }),
    trainedTokens: z.number().int(), costNanoUsd: z.number().int(), etaSeconds: z.number().int().nullable(),
    fineTunedModel: Nullable, servingBaseUrl: Nullable, metrics: z.record(z.string(), z.number()).nullable(),
    error: z.object({ code: z.string(), message: z.string() }).nullable(),
    modelId: Nullable, modelVersionId: Nullable, modelVersion: z.number().int().nullable(),
    timeoutMs: z.number().int(), lastProgressAt: EpochMs, createdAt: EpochMs, updatedAt: EpochMs, finishedAt: EpochMs.nullable(),
  })
  .openapi("TrainingJob");

function deps(c: Context<AppEnv>): TrainingDeps & { tenantId: string } {
  return { env: c.env, db: makeDb(c.env.DB), now: Date.now, tenantId: c.get("principal").tenantId };
}

export const trainingJobsApi = createApiApp();
trainingJobsApi.use("*", platformAuth);

const tags = ["Training jobs"];
const read = requirePermission("models:read");
const write = requirePermission("models:write");
const route = <R extends Parameters<typeof createRoute>[0]>(r: R) => createRoute({ tags, security: bearerSecurity, ...r });
const ok = (d: string) => jsonResponse(TrainingJobSchema, d);

trainingJobsApi.openapi(
  route({ method: "post", path: "/", middleware: [write], request: { body: jsonBody(CreateJob) },
    description: "Creates the job and hands it to the provider with its own callback URL and secret. 502 when the provider refuses it (the job is then failed).",
    responses: { 201: ok("The job as the provider first reported it"), ...authErrors, ...mediaTypeError } }),
  async (c) => {
    const origin = new URL(c.req.url).origin;
    const job = await createTrainingJob({ ...deps(c), origin }, c.req.valid("json"));
    await audit(c, { action: "training_job.created", resourceType: "training_job", resourceId: job.id, after: { datasetId: job.datasetId, provider: job.provider, baseModel: job.baseModel, modelKey: job.modelKey } });
    return c.json(publicJob(job), 201);
  },
);

trainingJobsApi.openapi(
  route({ method: "get", path: "/", middleware: [read], request: { query: ListQuery }, responses: { 200: jsonResponse(z.object({ data: z.array(TrainingJobSchema) }), "Jobs, newest first"), ...authErrors } }),
  async (c) => c.json({ data: (await listJobs(scopeOf(c), c.req.valid("query"))).map(publicJob) }, 200),
);

trainingJobsApi.openapi(
  route({ method: "get", path: "/{id}", middleware: [read], request: { params: IdParams }, responses: { 200: ok("The job with its progress, cost and ETA"), ...authErrors } }),
  async (c) => c.json(publicJob(await getJob(scopeOf(c), c.req.valid("param").id)), 200),
);

trainingJobsApi.openapi(
  route({ method: "post", path: "/{id}/cancel", middleware: [write], request: { params: IdParams },
    responses: { 200: ok("The job after the provider's answer"), ...authErrors, ...conflictError } }),
  async (c) => {
    const job = await cancelTrainingJob(deps(c), c.req.valid("param").id);
    await audit(c, { action: "training_job.cancelled", resourceType: "training_job", resourceId: job.id, after: { status: job.status } });
    return c.json(publicJob(job), 200);
  },
);
