/**
 * A tenant's gateway settings as the call path needs them: its time zone, its model aliases
 * and its own providers. Read on every call, so each isolate keeps them for a few seconds; the settings
 * API calls `invalidateGatewayConfig` after a change so this isolate sees it at once.
 */
import { eq } from "drizzle-orm";
import { modelAliases, providerCredentials, tenants, type ProviderKind } from "../../d1/schema";
import type { Db } from "../db";

export type TenantProvider = {
  name: string;
  kind: ProviderKind;
  baseUrl: string | null;
  /** Sealed with workers/lib/secret-box.ts; opened only when a call needs it. */
  apiKeyEnc: string | null;
  models: string[];
  createdAt: number;
};

export type TenantAlias = { alias: string; target: string; createdAt: number };

export type TenantGatewayConfig = {
  /** The tenant's IANA zone: routing by time of day and budget windows are in it. */
  timezone: string;
  aliases: ReadonlyMap<string, TenantAlias>;
  /** By name, sorted by name so every lookup that scans them is deterministic. */
  providers: ReadonlyMap<string, TenantProvider>;
};

const TTL_MS = 5_000;
const MAX_TENANTS = 10_000;
const cache = new Map<string, { until: number; config: Promise<TenantGatewayConfig> }>();

async function load(db: Db, tenantId: string): Promise<TenantGatewayConfig> {
  // One round trip for all three tables.
  const [aliasRows, providerRows, tenantRows] = await db.batch([
    db.select().from(modelAliases).where(eq(modelAliases.tenantId, tenantId)),
    db.select().from(providerCredentials).where(eq(providerCredentials.tenantId, tenantId)),
    db.select({ timezone: tenants.timezone }).from(tenants).where(eq(tenants.id, tenantId)),
  ]);
  const providers = [...providerRows]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((r): [string, TenantProvider] => [r.name, { name: r.name, kind: r.kind, baseUrl: r.baseUrl, apiKeyEnc: r.apiKeyEnc, models: r.models, createdAt: r.createdAt }]);
  return {
    timezone: tenantRows[0]?.timezone ?? "UTC",
    aliases: new Map(aliasRows.map((r) => [r.alias, { alias: r.alias, target: r.target, createdAt: r.createdAt }])),
    providers: new Map(providers),
  };
}

/** The tenant's aliases and providers, at most a few seconds old. */
export function tenantGatewayConfig(db: Db, tenantId: string, now = Date.now()): Promise<TenantGatewayConfig> {
  const hit = cache.get(tenantId);
  if (hit && hit.until > now) return hit.config;
  if (cache.size >= MAX_TENANTS) cache.clear();
  const config = load(db, tenantId);
  cache.set(tenantId, { until: now + TTL_MS, config });
  // A failed read must not be served from the cache to the next caller.
  config.catch(() => {
    if (cache.get(tenantId)?.config === config) cache.delete(tenantId);
  });
  return config;
}

/** Forgets this isolate's copy of one tenant's settings (or every tenant's). */
export function invalidateGatewayConfig(tenantId?: string): void {
  if (tenantId === undefined) cache.clear();
  else cache.delete(tenantId);
}
