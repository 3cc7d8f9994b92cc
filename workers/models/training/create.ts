/**
 * Creating a training job: record it (pending), check the dataset (validating), hand it
 * to the provider with its own callback URL and secret, and start its watcher.
 */
import { trainingJobs } from "../../../d1/schema";
import { AppError } from "../../errors";
import { newId } from "../../lib/ids";
import { sealSecret } from "../../lib/secret-box";
import { generateSecret } from "../../webhooks/signing";
import { getDataset, readDatasetText } from "../datasets/store";
import { signedDatasetUrl } from "../datasets/signed-url";
import { MODEL_KEY } from "../registry/store";
import { announce, observe } from "./observe";
import { type JobRow, type TrainingDeps, updateJobIf } from "./jobs";
import { providerFor } from "./providers";
import { watchJob } from "./watch";

export const DEFAULT_TIMEOUT_HOURS = 24;

export type NewJob = {
  datasetId: string;
  baseModel: string;
  provider: string;
  hyperparameters: { epochs: number; learningRateMultiplier?: number; batchSize?: number };
  modelKey: string;
  suffix?: string;
  timeoutHours?: number;
};

/** The URL a job's provider posts callbacks to. */
export function callbackUrlOf(origin: string, jobId: string): string {
  return `${origin}/hooks/training/${jobId}`;
}

async function insertPending(deps: TrainingDeps, tenantId: string, input: NewJob, datasetSha256: string, secret: string): Promise<JobRow> {
  const now = deps.now();
  const row: JobRow = {
    id: newId("job"), tenantId, datasetId: input.datasetId, datasetSha256, provider: input.provider, providerJobId: null, providerStatus: null,
    baseModel: input.baseModel, hyperparameters: input.hyperparameters, modelKey: input.modelKey, suffix: input.suffix ?? null, status: "pending",
    progress: 0, trainedTokens: 0, costNanoUsd: 0, etaSeconds: null, fineTunedModel: null, servingBaseUrl: null, metrics: null, error: null,
    callbackSecretEnc: await sealSecret(deps.env.MASTER_KEY, secret), timeoutMs: Math.round((input.timeoutHours ?? DEFAULT_TIMEOUT_HOURS) * 3_600_000),
    lastProgressAt: now, modelId: null, modelVersionId: null, modelVersion: null, createdAt: now, updatedAt: now, finishedAt: null,
  };
  await deps.db.insert(trainingJobs).values(row);
  return row;
}

async function failToStart(deps: TrainingDeps, job: JobRow, err: unknown): Promise<never> {
  const message = err instanceof Error ? err.message : String(err);
  const failed = await updateJobIf(deps.db, job, { status: "failed", error: { code: "provider_error", message: message.slice(0, 1000) }, finishedAt: deps.now() }, deps.now());
  if (failed) await announce(deps, failed);
  throw new AppError("upstream_error", `The training provider refused the job: ${message}`, { jobId: job.id });
}

/** Creates and dispatches a job; the answer is the job as the provider first reported it. */
export async function createTrainingJob(deps: TrainingDeps & { tenantId: string; origin: string }, input: NewJob): Promise<JobRow> {
  if (!MODEL_KEY.test(input.modelKey)) throw new AppError("validation_failed", "modelKey must be lower-case letters, digits, '.', '_' or '-' (at most 63)");
  const scope = { db: deps.db, tenantId: deps.tenantId };
  const dataset = await getDataset(scope, input.datasetId);
  const { provider, cfg } = providerFor(deps.env, input.provider);
  const secret = generateSecret();
  const pending = await insertPending(deps, deps.tenantId, input, dataset.sha256, secret);
  const validating = (await updateJobIf(deps.db, pending, { status: "validating" }, deps.now())) ?? pending;
  let snap;
  try {
    snap = await provider.create(cfg, {
      jobId: pending.id, tenantId: deps.tenantId, baseModel: input.baseModel, hyperparameters: input.hyperparameters, suffix: input.suffix ?? null,
      trainingFileUrl: await signedDatasetUrl(deps.env.MASTER_KEY, deps.origin, deps.tenantId, dataset.id, deps.now()),
      readTrainingFile: () => readDatasetText(deps.env.FILES, dataset),
      callbackUrl: callbackUrlOf(deps.origin, pending.id), callbackSecret: secret,
    });
  } catch (err) {
    return failToStart(deps, validating, err);
  }
  const dispatched = (await updateJobIf(deps.db, validating, { providerJobId: snap.providerJobId, providerStatus: snap.providerStatus }, deps.now())) ?? validating;
  const result = await observe(deps, dispatched, snap, "create");
  await watchJob(deps.env, result.job, provider.callbacks);
  return result.job;
}
