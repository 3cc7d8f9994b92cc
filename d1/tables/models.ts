/**
 * The model registry: fine-tuned models, their immutable versions with lineage, the
 * champion / challenger aliases the gateway routes by (and their history), eval runs,
 * and versioned prompt templates.
 */
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, json } from "./columns";
import { tenants } from "./platform";

export const MODEL_VERSION_STATUSES = ["active", "retired"] as const;
export type ModelVersionStatus = (typeof MODEL_VERSION_STATUSES)[number];

export const MODEL_ALIAS_NAMES = ["champion", "challenger"] as const;
export type ModelAliasName = (typeof MODEL_ALIAS_NAMES)[number];

export type EvalExample = { messages: { role: "system" | "user" | "assistant"; content: string }[]; expected?: string };
export type EvalExampleScore = { index: number; score: number; quality: number; overlap: number | null; error: string | null; text: string };

/** A model a tenant routes to as `ft:<key>`. */
export const models = sqliteTable(
  "models",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull().references(() => tenants.id),
    key: text("key").notNull(),
    name: text("name").notNull(),
    baseModel: text("base_model").notNull(),
    description: text("description").notNull().default(""),
    /** Share of unpinned `ft:<key>` calls (0..100) served by the challenger. */
    canaryPercent: integer("canary_percent").notNull().default(0),
    /** How far below the champion's eval mean a candidate may score and still be promoted. */
    evalMargin: real("eval_margin").notNull().default(0),
    /** How much higher the challenger's error rate may be before its canary is stopped. */
    errorRateMargin: real("error_rate_margin").notNull().default(0.05),
    /** How far below the champion's eval mean the challenger's may be before its canary is stopped. */
    qualityMargin: real("quality_margin").notNull().default(10),
    /** The last eval set used; POST /evals without one runs it again. */
    evalSet: json<EvalExample[]>("eval_set"),
    createdAt: createdAt(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [uniqueIndex("models_tenant_key").on(t.tenantId, t.key)],
);

/** An immutable trained (or externally registered) version and where it is served. */
export const modelVersions = sqliteTable(
  "model_versions",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    modelId: text("model_id").notNull().references(() => models.id),
    version: integer("version").notNull(),
    baseModel: text("base_model").notNull(),
    datasetId: text("dataset_id"),
    datasetSha256: text("dataset_sha256"),
    hyperparameters: json<Record<string, unknown>>("hyperparameters").notNull().default({}),
    provider: text("provider").notNull(),
    providerJobId: text("provider_job_id"),
    /** The training job that produced it; registration is idempotent on it. */
    jobId: text("job_id"),
    metrics: json<Record<string, number>>("metrics").notNull().default({}),
    servingBaseUrl: text("serving_base_url").notNull(),
    servingModel: text("serving_model").notNull(),
    /** Sealed with workers/lib/secret-box.ts. */
    servingKeyEnc: text("serving_key_enc"),
    status: text("status", { enum: MODEL_VERSION_STATUSES }).notNull().default("active"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("model_versions_number").on(t.modelId, t.version),
    uniqueIndex("model_versions_job").on(t.tenantId, t.jobId),
    index("model_versions_tenant").on(t.tenantId),
  ],
);

/** Where `champion` and `challenger` point now. */
export const modelVersionAliases = sqliteTable(
  "model_version_aliases",
  {
    modelId: text("model_id").notNull().references(() => models.id),
    alias: text("alias", { enum: MODEL_ALIAS_NAMES }).notNull(),
    tenantId: text("tenant_id").notNull(),
    versionId: text("version_id").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.modelId, t.alias] }), index("model_version_aliases_tenant").on(t.tenantId)],
);

/** Every alias move, so a rollback knows what the champion was before. */
export const modelAliasHistory = sqliteTable(
  "model_alias_history",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    modelId: text("model_id").notNull(),
    alias: text("alias", { enum: MODEL_ALIAS_NAMES }).notNull(),
    versionId: text("version_id").notNull(),
    previousVersionId: text("previous_version_id"),
    action: text("action", { enum: ["promote", "rollback"] }).notNull(),
    forced: integer("forced", { mode: "boolean" }).notNull().default(false),
    actor: text("actor"),
    /** Per-model sequence: orders moves made within the same millisecond. */
    seq: integer("seq").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [uniqueIndex("model_alias_history_seq").on(t.modelId, t.seq)],
);

/** One version's run over an eval set. */
export const evalRuns = sqliteTable(
  "eval_runs",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    modelId: text("model_id").notNull(),
    versionId: text("version_id").notNull(),
    /** The candidate and champion runs of one POST /evals share it. */
    batchId: text("batch_id").notNull(),
    status: text("status", { enum: ["completed", "failed"] }).notNull(),
    meanScore: real("mean_score").notNull(),
    scores: json<EvalExampleScore[]>("scores").notNull(),
    costNanoUsd: integer("cost_nano_usd").notNull().default(0),
    exampleCount: integer("example_count").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("eval_runs_version").on(t.tenantId, t.versionId, t.createdAt)],
);

export type TemplateVariable = { type: "string" | "number" | "boolean"; required?: boolean; enum?: (string | number | boolean)[]; description?: string };

/** A tenant's prompt template; its text lives in versions. */
export const promptTemplates = sqliteTable(
  "prompt_templates",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull().references(() => tenants.id),
    key: text("key").notNull(),
    latestVersion: integer("latest_version").notNull(),
    createdAt: createdAt(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [uniqueIndex("prompt_templates_key").on(t.tenantId, t.key)],
);

export const promptTemplateVersions = sqliteTable(
  "prompt_template_versions",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    templateId: text("template_id").notNull().references(() => promptTemplates.id),
    key: text("key").notNull(),
    version: integer("version").notNull(),
    description: text("description").notNull().default(""),
    variables: json<Record<string, TemplateVariable>>("variables").notNull(),
    system: text("system"),
    template: text("template").notNull(),
    createdBy: text("created_by"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [uniqueIndex("prompt_template_versions_key").on(t.tenantId, t.key, t.version)],
);
