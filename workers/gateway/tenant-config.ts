/**
 * A tenant's gateway settings as the call path needs them: its time zone, its model aliases,
 * its own providers and its registered (ft:) models. Read on every call, so each isolate keeps
 * them for a few seconds; the settings API calls `invalidateGatewayConfig` after a change so this isolate sees it at once.
 */
import { eq } from "drizzle-orm";
import { modelAliases, providerCredentials, tenants, type ProviderKind } from "../../d1/schema";
import type { Db } from "../db";
import { ttlCache } from "../lib/ttl-cache";
import { loadFineTuned, type FineTunedModel } from "../models/registry/routing";

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
  /** Registered models by key, routable as `ft:<key>` (absent in configs built by hand). */
  fineTuned?: ReadonlyMap<string, FineTunedModel>;
};

const cache = ttlCache<TenantGatewayConfig>(5_000);

async function load(db: Db, tenantId: string): Promise<TenantGatewayConfig> {
  // One round trip for all three tables.
  const [[aliasRows, providerRows, tenantRows], fineTuned] = await Promise.all([
    db.batch([
      db.select().from(modelAliases).where(eq(modelAliases.tenantId, tenantId)),
      db.select().from(providerCredentials).where(eq(providerCredentials.tenantId, tenantId)),
      db.select({ timezone: tenants.timezone }).from(tenants).where(eq(tenants.id, tenantId)),
    ]),
    loadFineTuned(db, tenantId),
  ]);
  const providers = [...providerRows]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((r): [string, TenantProvider] => [r.name, { name: r.name, kind: r.kind, baseUrl: r.baseUrl, apiKeyEnc: r.apiKeyEnc, models: r.models, createdAt: r.createdAt }]);
  return {
    timezone: tenantRows[0]?.timezone ?? "UTC",
    aliases: new Map(aliasRows.map((r) => [r.alias, { alias: r.alias, target: r.target, createdAt: r.createdAt }])),
    providers: new Map(providers),
    fineTuned,
  };
}

/** The tenant's zone, aliases and providers, at most a few seconds old. */
export function tenantGatewayConfig(db: Db, tenantId: string, now = Date.now()): Promise<TenantGatewayConfig> {
  return cache.get(tenantId, () => load(db, tenantId), now);
}

/** Forgets this isolate's copy of one tenant's settings (or every tenant's). */
export function invalidateGatewayConfig(tenantId?: string): void {
  cache.forget(tenantId);
}
