/**
 * Prepares a fresh in-memory D1 for the Worker under test: applies every migration in
 * d1/migrations in order, then creates a tenant, a gateway key, a budget and rate limits
 * through the same data functions the platform API uses, so every call is fully enforced.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { unstable_splitSqlQuery } from "wrangler";
import { tenants } from "../../d1/schema.ts";
import { createApiKey } from "../../workers/auth/api-keys.ts";
import { makeDb } from "../../workers/db.ts";
import { createBudget } from "../../workers/gateway/ledger/budget-store.ts";
import { BudgetCreate, RateLimitCreate } from "../../workers/gateway/ledger/inputs.ts";
import { createRateLimit } from "../../workers/gateway/ledger/limit-store.ts";
import { newId } from "../../workers/lib/ids.ts";

/** Runs each migration file (sorted by name, as wrangler does) as one batch. */
export async function applyMigrations(d1: D1Database, dir: string): Promise<string[]> {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".sql"))
    .sort();
  for (const file of files) {
    const statements = unstable_splitSqlQuery(readFileSync(join(dir, file), "utf8"))
      .map((s) => s.trim())
      .filter((s) => s.length > 0);
    if (statements.length > 0) await d1.batch(statements.map((s) => d1.prepare(s)));
  }
  return files;
}

export type Seeded = { tenantId: string; gatewayKey: string };

/**
 * One tenant with one key holding the gateway scope, a hard monthly budget and per-key and
 * per-tenant rate limits: all large enough never to refuse a call, but each one checked,
 * reserved and settled on every call, as in production.
 */
export async function seedTenant(d1: D1Database): Promise<Seeded> {
  const db = makeDb(d1);
  const tenantId = newId("ten");
  await db.insert(tenants).values({ id: tenantId, name: "Bench Motors", slug: `bench-motors-${tenantId.slice(-6).toLowerCase()}`, createdAt: Date.now() });
  const scope = { db, tenantId };
  const { key, row } = await createApiKey(scope, { name: "bench", scopes: ["gateway"] });
  await createBudget(scope, BudgetCreate.parse({ name: "Bench cap", scope: "tenant", limitUsd: 100_000, window: "month", action: "hard" }));
  await createRateLimit(scope, RateLimitCreate.parse({ scope: "key", apiKeyId: row.id, rpm: 1_000_000, tpm: 1_000_000_000 }));
  await createRateLimit(scope, RateLimitCreate.parse({ scope: "tenant", rpm: 1_000_000, tpm: 1_000_000_000 }));
  return { tenantId, gatewayKey: key };
}

/** Rows the usage-queue consumer has written for a tenant. */
export async function usageRows(d1: D1Database, tenantId: string): Promise<number> {
  const row = await d1.prepare("select count(*) as n from usage_events where tenant_id = ?").bind(tenantId).first<{ n: number }>();
  return row?.n ?? 0;
}
