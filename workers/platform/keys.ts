/**
 * Reading a tenant's API keys. Creation and revocation live in workers/auth/api-keys.ts,
 * next to verification, because revoking must also clear the verification cache.
 */
import { and, desc, eq } from "drizzle-orm";
import { apiKeys } from "../../d1/schema";
import type { TenantScope } from "../db";
import { AppError } from "../errors";

export type ApiKeyRow = typeof apiKeys.$inferSelect;
/** What the API shows of a key: its lookup prefix, never its hash. */
export type PublicApiKey = Omit<ApiKeyRow, "hash" | "tenantId">;

export function publicApiKey(row: ApiKeyRow): PublicApiKey {
  const { hash: _hash, tenantId: _tenantId, ...rest } = row;
  return rest;
}

export async function listApiKeys(scope: TenantScope): Promise<ApiKeyRow[]> {
  return scope.db.query.apiKeys.findMany({ where: eq(apiKeys.tenantId, scope.tenantId), orderBy: [desc(apiKeys.createdAt), desc(apiKeys.id)] });
}

/** A key of this tenant, or 404 (also for another tenant's key). */
export async function getApiKey(scope: TenantScope, id: string): Promise<ApiKeyRow> {
  const row = await scope.db.query.apiKeys.findFirst({ where: and(eq(apiKeys.id, id), eq(apiKeys.tenantId, scope.tenantId)) });
  if (!row) throw new AppError("not_found", "API key not found");
  return row;
}
