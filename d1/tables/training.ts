/**
 * Datasets (chat-format JSONL in R2) and fine-tuning jobs dispatched to a GPU provider,
 * with every provider callback recorded and what became of it.
 */
import { index, integer, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, json } from "./columns";

export const DATASET_SOURCES = ["upload", "conversations"] as const;

/** A validated training dataset; the JSONL itself is in R2 under `r2_key`. */
export const datasets = sqliteTable(
  "datasets",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    name: text("name").notNull(),
    source: text("source", { enum: DATASET_SOURCES }).notNull(),
    r2Key: text("r2_key").notNull(),
    bytes: integer("bytes").notNull(),
    sha256: text("sha256").notNull(),
    examples: integer("examples").notNull(),
    /** Estimated at ~4 characters a token. */
    tokens: integer("tokens").notNull(),
    scrubbed: integer("scrubbed", { mode: "boolean" }).notNull().default(false),
    /** How many emails, phones, cards and SSNs scrubbing replaced. */
    redactions: integer("redactions").notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [index("datasets_tenant_created").on(t.tenantId, t.createdAt)],
);

export type JobError = { code: string; message: string };

/** A fine-tuning job. The callback secret is sealed (secret-box). */
export const trainingJobs = sqliteTable(
  "training_jobs",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    datasetId: text("dataset_id").notNull(),
    datasetSha256: text("dataset_sha256").notNull(),
    provider: text("provider").notNull(),
    providerJobId: text("provider_job_id"),
    /** The provider's own word for the state, as last seen. */
    providerStatus: text("provider_status"),
    baseModel: text("base_model").notNull(),
    hyperparameters: json<Record<string, unknown>>("hyperparameters").notNull(),
    modelKey: text("model_key").notNull(),
    suffix: text("suffix"),
    status: text("status").notNull(),
    progress: real("progress").notNull().default(0),
    trainedTokens: integer("trained_tokens").notNull().default(0),
    costNanoUsd: integer("cost_nano_usd").notNull().default(0),
    etaSeconds: integer("eta_seconds"),
    fineTunedModel: text("fine_tuned_model"),
    servingBaseUrl: text("serving_base_url"),
    metrics: json<Record<string, number>>("metrics"),
    error: json<JobError>("error"),
    callbackSecretEnc: text("callback_secret_enc").notNull(),
    timeoutMs: integer("timeout_ms").notNull(),
    /** The last time the status or progress moved; the timeout counts from here. */
    lastProgressAt: integer("last_progress_at").notNull(),
    modelId: text("model_id"),
    modelVersionId: text("model_version_id"),
    modelVersion: integer("model_version"),
    createdAt: createdAt(),
    updatedAt: integer("updated_at").notNull(),
    finishedAt: integer("finished_at"),
  },
  (t) => [index("training_jobs_tenant_created").on(t.tenantId, t.createdAt), index("training_jobs_dataset").on(t.tenantId, t.datasetId)],
);

export const CALLBACK_OUTCOMES = ["applied", "dropped", "replayed"] as const;

/** Every verified callback (and replay) a job received, and why it was applied or dropped. */
export const trainingCallbacks = sqliteTable(
  "training_callbacks",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    jobId: text("job_id").notNull(),
    webhookId: text("webhook_id").notNull(),
    reportedStatus: text("reported_status"),
    outcome: text("outcome", { enum: CALLBACK_OUTCOMES }).notNull(),
    reason: text("reason"),
    /** The job's status after handling it. */
    statusAfter: text("status_after").notNull(),
    receivedAt: integer("received_at").notNull(),
  },
  (t) => [index("training_callbacks_job").on(t.jobId, t.receivedAt), uniqueIndex("training_callbacks_webhook").on(t.jobId, t.webhookId, t.outcome)],
);
