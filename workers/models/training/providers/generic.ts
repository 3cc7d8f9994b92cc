/**
 * "generic": our own GPU-host protocol (docs/training.md). The host downloads the JSONL
 * from a signed URL, trains, and POSTs Standard Webhooks callbacks to the job's URL.
 */
import { z } from "zod";
import { providerJson, usdToNano } from "./http";
import type { ProviderSnapshot, TrainingProvider } from "./types";
import { outboundFetch } from "../../../lib/outbound-fetch";

const STATUSES = ["queued", "running", "succeeded", "failed", "cancelled"] as const;

/** A job as the generic protocol describes it (GET /jobs/{id}, and a callback's `data`). */
export const GenericJob = z.object({
  id: z.string().min(1).max(200),
  status: z.enum(STATUSES),
  progress: z.number().min(0).max(1).nullish(),
  trained_tokens: z.number().int().nonnegative().nullish(),
  cost_usd: z.number().nonnegative().nullish(),
  eta_seconds: z.number().int().nonnegative().nullish(),
  fine_tuned_model: z.string().max(300).nullish(),
  serving_base_url: z.url().max(2000).nullish(),
  metrics: z.record(z.string(), z.number()).nullish(),
  error: z.object({ code: z.string().max(100).optional(), message: z.string().max(2000) }).nullish(),
});
export type GenericJob = z.infer<typeof GenericJob>;

/** The body of a generic-protocol callback. */
export const GenericCallback = z.object({ type: z.literal("job.updated"), data: GenericJob });

/** A generic-protocol job in our terms. */
export function snapshotOfGeneric(job: GenericJob): ProviderSnapshot {
  return {
    providerJobId: job.id,
    status: job.status,
    providerStatus: job.status,
    progress: job.progress ?? null,
    trainedTokens: job.trained_tokens ?? null,
    costNanoUsd: usdToNano(job.cost_usd),
    etaSeconds: job.eta_seconds ?? null,
    fineTunedModel: job.fine_tuned_model ?? null,
    servingBaseUrl: job.serving_base_url ?? null,
    metrics: job.metrics ?? null,
    error: job.error ? { code: job.error.code ?? "provider_error", message: job.error.message } : null,
  };
}

export const genericProvider: TrainingProvider = {
  name: "generic",
  callbacks: true,
  pricePer1kTokensNanoUsd: 400_000,
  config(env) {
    return env.TRAINING_PROVIDER_URL ? { baseUrl: env.TRAINING_PROVIDER_URL, apiKey: env.TRAINING_PROVIDER_API_KEY ?? "", fetch: outboundFetch } : null;
  },
  async create(cfg, input) {
    const body = {
      training_file_url: input.trainingFileUrl,
      base_model: input.baseModel,
      hyperparameters: { epochs: input.hyperparameters.epochs, learning_rate_multiplier: input.hyperparameters.learningRateMultiplier, batch_size: input.hyperparameters.batchSize },
      suffix: input.suffix,
      callback_url: input.callbackUrl,
      callback_secret: input.callbackSecret,
      metadata: { job_id: input.jobId, tenant_id: input.tenantId },
    };
    return snapshotOfGeneric(await providerJson(cfg, "/jobs", { method: "POST", body: JSON.stringify(body) }, GenericJob));
  },
  async get(cfg, id) {
    return snapshotOfGeneric(await providerJson(cfg, `/jobs/${encodeURIComponent(id)}`, { method: "GET" }, GenericJob));
  },
  async cancel(cfg, id) {
    return snapshotOfGeneric(await providerJson(cfg, `/jobs/${encodeURIComponent(id)}/cancel`, { method: "POST", body: "{}" }, GenericJob));
  },
  parseCallback(body) {
    const parsed = GenericCallback.safeParse(body);
    return parsed.success ? snapshotOfGeneric(parsed.data.data) : null;
  },
};
