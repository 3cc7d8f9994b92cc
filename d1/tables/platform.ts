/**
 * Tenants, rooftops, users, sessions, API keys, the audit log and single sign-on.
 */
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt, json } from "./columns";

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

export const API_KEY_SCOPES = ["gateway", "workflows", "admin", "leads"] as const;
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
