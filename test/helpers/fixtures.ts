/**
 * Test fixtures: tenants and keys made through the same data functions the API uses.
 */
import { env } from "cloudflare:workers";
import { tenants } from "../../d1/schema";
import { createApiKey } from "../../workers/auth/api-keys";
import { makeDb } from "../../workers/db";
import { newId } from "../../workers/lib/ids";
import type { ApiKeyScope } from "../../d1/schema";

export type TestTenant = { tenantId: string; gatewayKey: string; adminKey: string };

export async function createTestTenant(name = "Test Motors"): Promise<TestTenant> {
  const db = makeDb(env.DB);
  const tenantId = newId("ten");
  await db.insert(tenants).values({ id: tenantId, name, slug: `${name.toLowerCase().replace(/[^a-z0-9]+/g, "-")}-${tenantId.slice(-6).toLowerCase()}`, createdAt: Date.now() });
  const scope = { db, tenantId };
  const gateway = await createApiKey(scope, { name: "gateway", scopes: ["gateway"] });
  const admin = await createApiKey(scope, { name: "admin", scopes: ["admin"] });
  return { tenantId, gatewayKey: gateway.key, adminKey: admin.key };
}

export async function createTestKey(tenantId: string, scopes: ApiKeyScope[], extra: { expiresAt?: number; tags?: string[] } = {}) {
  const { key, row } = await createApiKey({ db: makeDb(env.DB), tenantId }, { name: "test key", scopes, ...extra });
  return { key, id: row.id };
}
