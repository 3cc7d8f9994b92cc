/**
 * The gateway: tenant providers, aliases, prices, usage, routing rules, budgets and rate limits.
 */
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, json } from "./columns";
import { tenants } from "./platform";

export const PROVIDER_KINDS = ["openai", "anthropic", "openai-compatible"] as const;
export type ProviderKind = (typeof PROVIDER_KINDS)[number];

/**
 * A tenant's own provider: its key for openai/anthropic (bring your own key), or any
 * OpenAI-compatible host under a name of its choosing (e.g. "groq", "vllm").
 */
export const providerCredentials = sqliteTable(
  "provider_credentials",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull().references(() => tenants.id),
    /** What `provider/model` names it by. */
    name: text("name").notNull(),
    kind: text("kind", { enum: PROVIDER_KINDS }).notNull(),
    baseUrl: text("base_url"),
    apiKeyEnc: text("api_key_enc"),
    /** Models this provider serves, for /v1/models and bare-name routing. */
    models: json<string[]>("models").notNull().default([]),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("provider_credentials_name").on(t.tenantId, t.name)],
);

/** A tenant's short name for a `provider/model`. */
export const modelAliases = sqliteTable(
  "model_aliases",
  {
    tenantId: text("tenant_id").notNull().references(() => tenants.id),
    alias: text("alias").notNull(),
    target: text("target").notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.alias] })],
);

/**
 * Versioned prices in USD per million tokens. A row applies from effective_from on;
 * tenant_id "*" is the platform default, a tenant's own row overrides it.
 */
export const prices = sqliteTable(
  "prices",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull().default("*"),
    provider: text("provider").notNull(),
    model: text("model").notNull(),
    inputPerMtok: real("input_per_mtok").notNull(),
    outputPerMtok: real("output_per_mtok").notNull(),
    cachedInputPerMtok: real("cached_input_per_mtok"),
    effectiveFrom: integer("effective_from").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("prices_lookup").on(t.provider, t.model, t.tenantId, t.effectiveFrom)],
);

/** One row per gateway call, written in batches by the usage queue consumer. */
export const usageEvents = sqliteTable(
  "usage_events",
  {
    /** Assigned when the call is metered: a redelivered queue message cannot insert twice. */
    id: text("id").primaryKey(),
    /** The request's x-request-id, for correlation with logs and the caller's own traces. */
    requestId: text("request_id"),
    tenantId: text("tenant_id").notNull(),
    apiKeyId: text("api_key_id"),
    userId: text("user_id"),
    endpoint: text("endpoint").notNull(),
    modelRequested: text("model_requested").notNull(),
    modelServed: text("model_served"),
    provider: text("provider"),
    inputTokens: integer("input_tokens").notNull().default(0),
    outputTokens: integer("output_tokens").notNull().default(0),
    cachedTokens: integer("cached_tokens").notNull().default(0),
    costNanoUsd: integer("cost_nano_usd").notNull().default(0),
    latencyMs: integer("latency_ms").notNull(),
    ttftMs: integer("ttft_ms"),
    status: integer("status").notNull(),
    attempts: integer("attempts").notNull().default(1),
    cacheHit: integer("cache_hit", { mode: "boolean" }).notNull().default(false),
    stream: integer("stream", { mode: "boolean" }).notNull().default(false),
    errorCode: text("error_code"),
    tags: json<string[]>("tags").notNull().default([]),
    /** Where the price came from; "unknown" means zero cost was recorded for lack of a price. */
    priceSource: text("price_source", { enum: ["tenant", "platform", "unknown"] }),
    /** The prompt template the call was rendered from, as key@version. */
    template: text("template"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("usage_tenant_time").on(t.tenantId, t.createdAt)],
);

/**
 * A tenant's gateway routing rules: the YAML as written (shown back verbatim) and its
 * validated form (what the gateway reads). One row per tenant; every saved version is
 * also kept in routing_rules_history.
 */
export const routingRules = sqliteTable("routing_rules", {
  tenantId: text("tenant_id").primaryKey().references(() => tenants.id),
  yaml: text("yaml").notNull(),
  parsed: json<unknown>("parsed").notNull(),
  version: integer("version").notNull(),
  updatedAt: integer("updated_at").notNull(),
  /** The user or API key id that saved this version. */
  updatedBy: text("updated_by"),
});

/** Every version of a tenant's routing rules ever saved, the current one included. */
export const routingRulesHistory = sqliteTable(
  "routing_rules_history",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull().references(() => tenants.id),
    version: integer("version").notNull(),
    yaml: text("yaml").notNull(),
    createdAt: integer("created_at").notNull(),
    createdBy: text("created_by"),
  },
  (t) => [uniqueIndex("routing_rules_history_version").on(t.tenantId, t.version)],
);

export const BUDGET_SCOPES = ["tenant", "key", "user", "tag"] as const;
export type BudgetScope = (typeof BUDGET_SCOPES)[number];
export const BUDGET_ACTIONS = ["hard", "soft", "degrade"] as const;
export type BudgetAction = (typeof BUDGET_ACTIONS)[number];

/**
 * A spending limit over a window. The source of truth for the TenantLedger Durable Object,
 * which enforces it and holds the running spend.
 */
export const budgets = sqliteTable(
  "budgets",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull().references(() => tenants.id),
    name: text("name").notNull(),
    scope: text("scope", { enum: BUDGET_SCOPES }).notNull(),
    /** The API key id, user id or tag the budget covers; null when it covers the whole tenant. */
    scopeId: text("scope_id"),
    limitNanoUsd: integer("limit_nano_usd").notNull(),
    /** "day" or "month" (calendar, in the tenant's zone), or a rolling length such as "1h", "24h", "7d". */
    window: text("window").notNull(),
    action: text("action", { enum: BUDGET_ACTIONS }).notNull(),
    /** The cheaper model calls switch to (action "degrade"). */
    degradeTo: text("degrade_to"),
    degradeAtPercent: integer("degrade_at_percent").notNull().default(100),
    /** Percentages of the limit at which a budget.threshold event is sent, once per window. */
    thresholds: json<number[]>("thresholds").notNull().default([50, 80, 100]),
    enabled: integer("enabled", { mode: "boolean" }).notNull().default(true),
    createdAt: createdAt(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("budgets_tenant").on(t.tenantId)],
);

export const RATE_LIMIT_SCOPES = ["tenant", "key"] as const;
export type RateLimitScope = (typeof RATE_LIMIT_SCOPES)[number];

/** Requests and tokens per minute, for the whole tenant or one API key. */
export const rateLimits = sqliteTable(
  "rate_limits",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull().references(() => tenants.id),
    scope: text("scope", { enum: RATE_LIMIT_SCOPES }).notNull(),
    /** The API key id, or the tenant's own id for a tenant-wide limit: one limit per scope. */
    scopeId: text("scope_id").notNull(),
    rpm: integer("rpm"),
    tpm: integer("tpm"),
    createdAt: createdAt(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [uniqueIndex("rate_limits_scope").on(t.tenantId, t.scope, t.scopeId)],
);
