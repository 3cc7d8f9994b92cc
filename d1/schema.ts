/**
 * D1 schema. drizzle-kit turns this file into d1/migrations (wrangler's migrations_dir),
 * so there is one migration tool for one database.
 *
 * Conventions: ids are prefixed random strings (see workers/lib/ids.ts); times are
 * epoch milliseconds; money is integer nano-USD (1e-9 USD) so sums stay exact;
 * every tenant-owned row carries tenant_id and every query filters on it.
 */
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

const createdAt = () => integer("created_at").notNull().default(sql`(unixepoch('subsec') * 1000)`);
const json = <T>(name: string) => text(name, { mode: "json" }).$type<T>();

/** A dealership group. */
export const tenants = sqliteTable("tenants", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  slug: text("slug").notNull().unique(),
  timezone: text("timezone").notNull().default("America/New_York"),
  settings: json<Record<string, unknown>>("settings").notNull().default({}),
  createdAt: createdAt(),
});

/** A rooftop (one dealership location) or a department inside one. */
export const rooftops = sqliteTable(
  "rooftops",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull().references(() => tenants.id),
    parentId: text("parent_id"),
    kind: text("kind", { enum: ["rooftop", "department"] }).notNull(),
    name: text("name").notNull(),
    timezone: text("timezone"),
    createdAt: createdAt(),
  },
  (t) => [index("rooftops_tenant").on(t.tenantId)],
);

export const ROLES = ["owner", "admin", "department_admin", "member", "viewer"] as const;
export type Role = (typeof ROLES)[number];

export const users = sqliteTable(
  "users",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull().references(() => tenants.id),
    email: text("email").notNull().unique(),
    name: text("name").notNull(),
    /** PBKDF2 hash; null for users who only sign in through SSO. */
    passwordHash: text("password_hash"),
    role: text("role", { enum: ROLES }).notNull(),
    /** department_admin manages users of this rooftop/department only. */
    rooftopId: text("rooftop_id"),
    status: text("status", { enum: ["active", "disabled"] }).notNull().default("active"),
    lastLoginAt: integer("last_login_at"),
    createdAt: createdAt(),
  },
  (t) => [index("users_tenant").on(t.tenantId)],
);

/** Refresh tokens, stored as hashes; rotated on every use, a reused one revokes its family. */
export const refreshTokens = sqliteTable(
  "refresh_tokens",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    userId: text("user_id").notNull().references(() => users.id),
    familyId: text("family_id").notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    expiresAt: integer("expires_at").notNull(),
    usedAt: integer("used_at"),
    revokedAt: integer("revoked_at"),
    createdAt: createdAt(),
  },
  (t) => [index("refresh_family").on(t.familyId)],
);

export const API_KEY_SCOPES = ["gateway", "workflows", "admin"] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

export const apiKeys = sqliteTable(
  "api_keys",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull().references(() => tenants.id),
    name: text("name").notNull(),
    /** The first characters of the key, shown in lists and used to find the row. */
    prefix: text("prefix").notNull().unique(),
    /** SHA-256 of the whole key, hex. */
    hash: text("hash").notNull(),
    scopes: json<ApiKeyScope[]>("scopes").notNull(),
    tags: json<string[]>("tags").notNull().default([]),
    createdBy: text("created_by"),
    expiresAt: integer("expires_at"),
    revokedAt: integer("revoked_at"),
    lastUsedAt: integer("last_used_at"),
    createdAt: createdAt(),
  },
  (t) => [index("api_keys_tenant").on(t.tenantId)],
);

export const auditLog = sqliteTable(
  "audit_log",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    actorType: text("actor_type", { enum: ["user", "api_key", "system"] }).notNull(),
    actorId: text("actor_id"),
    action: text("action").notNull(),
    resourceType: text("resource_type").notNull(),
    resourceId: text("resource_id"),
    before: json<Record<string, unknown> | null>("before"),
    after: json<Record<string, unknown> | null>("after"),
    requestId: text("request_id"),
    ip: text("ip"),
    createdAt: createdAt(),
  },
  (t) => [index("audit_tenant_time").on(t.tenantId, t.createdAt)],
);

/** Per-tenant single sign-on through an OpenID Connect provider. */
export const ssoConfigs = sqliteTable("sso_configs", {
  tenantId: text("tenant_id").primaryKey().references(() => tenants.id),
  issuer: text("issuer").notNull(),
  clientId: text("client_id").notNull(),
  /** AES-GCM ciphertext (workers/lib/secret-box.ts). */
  clientSecretEnc: text("client_secret_enc").notNull(),
  allowedDomains: json<string[]>("allowed_domains").notNull().default([]),
  defaultRole: text("default_role", { enum: ROLES }).notNull().default("member"),
  enabled: integer("enabled", { mode: "boolean" }).notNull().default(true),
  createdAt: createdAt(),
});

/** Short-lived state of an SSO sign-in between redirect and callback. */
export const ssoStates = sqliteTable("sso_states", {
  state: text("state").primaryKey(),
  tenantId: text("tenant_id").notNull(),
  nonce: text("nonce").notNull(),
  codeVerifier: text("code_verifier").notNull(),
  redirectTo: text("redirect_to"),
  expiresAt: integer("expires_at").notNull(),
});

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
    /** The request id: a redelivered queue message cannot insert twice. */
    id: text("id").primaryKey(),
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
    stream: integer("stream", { mode: "boolean" }).notNull().default(false),
    errorCode: text("error_code"),
    tags: json<string[]>("tags").notNull().default([]),
    /** Where the price came from; "unknown" means zero cost was recorded for lack of a price. */
    priceSource: text("price_source", { enum: ["tenant", "platform", "unknown"] }),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("usage_tenant_time").on(t.tenantId, t.createdAt)],
);
