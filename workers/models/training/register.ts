/**
 * The hand-off from a succeeded job to the model registry: succeeded → registering →
 * registered (or registration_failed with the reason). registerVersion is idempotent on the
 * job id, so a registration interrupted half-way is safe to run again.
 */
import { deterministicEventId, publishEvent } from "../../events/publish";
import { publishLive } from "../../live/publish";
import { sealSecret } from "../../lib/secret-box";
import { registerVersion } from "../registry/register";
import { type JobRow, statusOf, type TrainingDeps, updateJobIf } from "./jobs";
import { providerFor } from "./providers";

async function servingKey(deps: TrainingDeps, job: JobRow): Promise<string | null> {
  const { cfg } = providerFor(deps.env, job.provider);
  return cfg.apiKey ? sealSecret(deps.env.MASTER_KEY, cfg.apiKey) : null;
}

async function register(deps: TrainingDeps, job: JobRow) {
  if (!job.fineTunedModel || !job.servingBaseUrl || !job.providerJobId) {
    throw new Error("The provider reported success without a fine-tuned model and a serving URL");
  }
  return registerVersion(
    { db: deps.db, tenantId: job.tenantId },
    {
      modelKey: job.modelKey,
      baseModel: job.baseModel,
      datasetId: job.datasetId,
      datasetSha256: job.datasetSha256,
      hyperparameters: job.hyperparameters,
      provider: job.provider,
      providerJobId: job.providerJobId,
      jobId: job.id,
      metrics: job.metrics ?? {},
      servingEndpoint: { baseUrl: job.servingBaseUrl, model: job.fineTunedModel, apiKeySealed: await servingKey(deps, job) },
    },
    deps.now(),
  );
}

async function finish(deps: TrainingDeps, job: JobRow, patch: Partial<JobRow>): Promise<JobRow> {
  const done = (await updateJobIf(deps.db, job, patch, deps.now())) ?? job;
  await publishLive(deps.env, done.tenantId, { type: "training.updated", data: { jobId: done.id, status: statusOf(done), progress: done.progress } });
  await publishEvent(deps.env, {
    tenantId: done.tenantId,
    type: "training.job.succeeded",
    id: await deterministicEventId(`training:${done.id}:succeeded`),
    data: { jobId: done.id, provider: done.provider, baseModel: done.baseModel, datasetId: done.datasetId, modelVersionId: done.modelVersionId, metrics: done.metrics ?? {} },
  });
  return done;
}

/** Registers a succeeded job's model version; answers the job as it ends up. */
export async function registerJob(deps: TrainingDeps, job: JobRow): Promise<JobRow> {
  if (statusOf(job) !== "succeeded") return job;
  const registering = await updateJobIf(deps.db, job, { status: "registering" }, deps.now());
  if (!registering) return job;
  await publishLive(deps.env, job.tenantId, { type: "training.updated", data: { jobId: job.id, status: "registering", progress: 1 } });
  try {
    const r = await register(deps, registering);
    return finish(deps, registering, { status: "registered", modelId: r.modelId, modelVersionId: r.versionId, modelVersion: r.version });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return finish(deps, registering, { status: "registration_failed", error: { code: "registration_failed", message: message.slice(0, 1000) } });
  }
}
