/**
 * "openai": OpenAI's fine-tuning jobs API (or any host compatible with it). The JSONL is
 * uploaded through /files first; there are no per-job callbacks, so these jobs are polled.
 */
import { z } from "zod";
import type { ProviderState } from "../lifecycle";
import { providerJson } from "./http";
import type { ProviderSnapshot, TrainingProvider } from "./types";
import { outboundFetch } from "../../../lib/outbound-fetch";

const STATUS_MAP: Record<string, ProviderState> = {
  validating_files: "validating",
  queued: "queued",
  running: "running",
  succeeded: "succeeded",
  failed: "failed",
  cancelled: "cancelled",
};

const FineTuningJob = z.object({
  id: z.string().min(1),
  status: z.string().refine((s) => s in STATUS_MAP, "unknown fine-tuning status"),
  fine_tuned_model: z.string().nullish(),
  trained_tokens: z.number().int().nonnegative().nullish(),
  estimated_finish: z.number().int().nullish(),
  error: z.object({ code: z.string().nullish(), message: z.string().nullish() }).nullish(),
});
type FineTuningJob = z.infer<typeof FineTuningJob>;

const FileObject = z.object({ id: z.string().min(1) });

// OpenAI prices gpt-4o-mini training at $3 per 1M tokens.
const PRICE_PER_1K_NANO = 3_000_000;

function snapshotOf(job: FineTuningJob, baseUrl: string): ProviderSnapshot {
  const status = STATUS_MAP[job.status] ?? "queued";
  const error = job.error?.message ? { code: job.error.code ?? "provider_error", message: job.error.message } : null;
  return {
    providerJobId: job.id,
    status,
    providerStatus: job.status,
    progress: status === "succeeded" ? 1 : null,
    trainedTokens: job.trained_tokens ?? null,
    costNanoUsd: job.trained_tokens ? Math.round((job.trained_tokens / 1000) * PRICE_PER_1K_NANO) : null,
    etaSeconds: job.estimated_finish ? Math.max(0, job.estimated_finish - Math.floor(Date.now() / 1000)) : null,
    fineTunedModel: job.fine_tuned_model ?? null,
    // A fine-tuned OpenAI model is served by the same API that trained it.
    servingBaseUrl: job.fine_tuned_model ? baseUrl : null,
    metrics: null,
    error: status === "failed" ? (error ?? { code: "provider_error", message: "The fine-tuning job failed" }) : error,
  };
}

export const openaiProvider: TrainingProvider = {
  name: "openai",
  callbacks: false,
  pricePer1kTokensNanoUsd: PRICE_PER_1K_NANO,
  config(env) {
    return env.OPENAI_API_KEY ? { baseUrl: env.OPENAI_BASE_URL || "https://api.openai.com/v1", apiKey: env.OPENAI_API_KEY, fetch: outboundFetch } : null;
  },
  async create(cfg, input) {
    const form = new FormData();
    form.set("purpose", "fine-tune");
    form.set("file", new File([await input.readTrainingFile()], `${input.jobId}.jsonl`, { type: "application/jsonl" }));
    const file = await providerJson(cfg, "/files", { method: "POST", body: form }, FileObject);
    const hp = input.hyperparameters;
    const body = {
      training_file: file.id,
      model: input.baseModel,
      hyperparameters: { n_epochs: hp.epochs, ...(hp.learningRateMultiplier ? { learning_rate_multiplier: hp.learningRateMultiplier } : {}), ...(hp.batchSize ? { batch_size: hp.batchSize } : {}) },
      ...(input.suffix ? { suffix: input.suffix } : {}),
      metadata: { auterity_job_id: input.jobId },
    };
    return snapshotOf(await providerJson(cfg, "/fine_tuning/jobs", { method: "POST", body: JSON.stringify(body) }, FineTuningJob), cfg.baseUrl);
  },
  async get(cfg, id) {
    return snapshotOf(await providerJson(cfg, `/fine_tuning/jobs/${encodeURIComponent(id)}`, { method: "GET" }, FineTuningJob), cfg.baseUrl);
  },
  async cancel(cfg, id) {
    return snapshotOf(await providerJson(cfg, `/fine_tuning/jobs/${encodeURIComponent(id)}/cancel`, { method: "POST" }, FineTuningJob), cfg.baseUrl);
  },
  parseCallback() {
    return null;
  },
};
