/**
 * A tenant's SSO configuration: read (never with the secret), save (issuer checked
 * against its discovery document, secret sealed), delete.
 */
import { eq } from "drizzle-orm";
import { ssoConfigs, type Role } from "../../d1/schema";
import type { TenantScope } from "../db";
import { AppError } from "../errors";
import { sealSecret } from "../lib/secret-box";
import { discover, type Fetch } from "./oidc";

export type SsoConfigRow = typeof ssoConfigs.$inferSelect;

/** What callers may see of a configuration: everything but the secret. */
export type SsoConfigView = {
  issuer: string;
  clientId: string;
  clientSecretSet: true;
  allowedDomains: string[];
  defaultRole: Role;
  enabled: boolean;
  createdAt: number;
};

export function toView(row: SsoConfigRow): SsoConfigView {
  return {
    issuer: row.issuer,
    clientId: row.clientId,
    clientSecretSet: true,
    allowedDomains: row.allowedDomains,
    defaultRole: row.defaultRole,
    enabled: row.enabled,
    createdAt: row.createdAt,
  };
}

export async function getSsoConfig(scope: TenantScope): Promise<SsoConfigRow | null> {
  const row = await scope.db.query.ssoConfigs.findFirst({ where: eq(ssoConfigs.tenantId, scope.tenantId) });
  return row ?? null;
}

export type SsoConfigInput = {
  issuer: string;
  clientId: string;
  /** Optional on update: the stored secret is kept when it is left out. */
  clientSecret?: string;
  allowedDomains: string[];
  defaultRole: Role;
  enabled: boolean;
};

export type SaveDeps = { fetch: Fetch; masterKey: string; allowInsecureIssuer: boolean; now?: number };

function checkIssuerUrl(issuer: string, allowInsecure: boolean): void {
  const url = new URL(issuer);
  if (url.protocol === "https:") return;
  if (url.protocol === "http:" && allowInsecure) return;
  throw new AppError("validation_failed", "The issuer must be an https:// URL", [{ path: "issuer", message: "must use https" }]);
}

/** Creates or replaces the tenant's configuration; returns the row before and after. */
export async function saveSsoConfig(scope: TenantScope, deps: SaveDeps, input: SsoConfigInput) {
  checkIssuerUrl(input.issuer, deps.allowInsecureIssuer);
  const before = await getSsoConfig(scope);
  if (!input.clientSecret && !before) {
    throw new AppError("validation_failed", "clientSecret is required when SSO is first configured", [{ path: "clientSecret", message: "Required" }]);
  }
  const found = await discover({ fetch: deps.fetch, now: deps.now }, input.issuer, { fresh: true });
  if (!found.ok) throw new AppError("unprocessable", `The issuer could not be verified: ${found.reason}`, [{ path: "issuer", message: found.reason }]);
  const clientSecretEnc = input.clientSecret ? await sealSecret(deps.masterKey, input.clientSecret) : (before?.clientSecretEnc ?? "");
  const values = {
    // Stored exactly as the provider spells it: id_tokens are compared against this string.
    issuer: found.doc.issuer,
    clientId: input.clientId,
    clientSecretEnc,
    allowedDomains: [...new Set(input.allowedDomains.map((d) => d.trim().toLowerCase()))],
    defaultRole: input.defaultRole,
    enabled: input.enabled,
  };
  const [after] = await scope.db
    .insert(ssoConfigs)
    .values({ tenantId: scope.tenantId, ...values, createdAt: deps.now ?? Date.now() })
    .onConflictDoUpdate({ target: ssoConfigs.tenantId, set: values })
    .returning();
  if (!after) throw new Error("saving the SSO configuration returned no row");
  return { before, after };
}

/** Removes the tenant's configuration; returns what was there, or null. */
export async function deleteSsoConfig(scope: TenantScope): Promise<SsoConfigRow | null> {
  const [row] = await scope.db.delete(ssoConfigs).where(eq(ssoConfigs.tenantId, scope.tenantId)).returning();
  return row ?? null;
}
