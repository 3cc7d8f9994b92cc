/**
 * The targets a tenant's calls can reach, as health keys: catalog models (through the
 * tenant's own key for that provider when it has one, else the platform's), its own
 * providers' models, and where its aliases point.
 */
import { CATALOG } from "../catalog";
import { findModel, ownCredentialsFor, type ResolvedModel } from "../resolve";
import type { TenantGatewayConfig } from "../tenant-config";
import { healthKeyOfResolved } from "./keys";

export type HealthTarget = { key: string; owner: "platform" | "tenant"; provider: string; model: string; aliases: string[] };

/** Every target of `tenantId`, once per health key, sorted by key. */
export function healthTargetsOf(config: TenantGatewayConfig, tenantId: string): HealthTarget[] {
  const found = new Map<string, HealthTarget>();
  const add = (resolved: ResolvedModel | null, alias?: string): void => {
    if (!resolved) return;
    const key = healthKeyOfResolved(resolved, tenantId);
    const target = found.get(key) ?? { key, owner: resolved.own ? "tenant" : "platform", provider: resolved.provider, model: resolved.model, aliases: [] };
    if (alias) target.aliases.push(alias);
    found.set(key, target);
  };
  for (const m of CATALOG) add({ provider: m.provider, kind: m.provider, model: m.id, own: ownCredentialsFor(config, m.provider), via: "catalog" });
  for (const p of config.providers.values()) for (const model of p.models) add({ provider: p.name, kind: p.kind, model, own: p, via: "provider-models" });
  for (const a of config.aliases.values()) add(findModel(config, a.alias), a.alias);
  return [...found.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
