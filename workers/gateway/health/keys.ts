/**
 * Health keys: one ProviderHealth object per key. The owner part keeps a tenant's own
 * provider account (its key, its host) apart from the platform's, so one tenant's bad key
 * never opens a circuit for everyone.
 */
import type { ResolvedModel } from "../resolve";

export const PLATFORM_OWNER = "platform";

/** `${owner}:${provider}/${model}`; owner is the tenant id when the tenant's own provider serves the target. */
export function healthKeyOf(target: { name: string; model: string }, ownedByTenant: string | null): string {
  return `${ownedByTenant ?? PLATFORM_OWNER}:${target.name}/${target.model}`;
}

/** The health key of a resolved model for `tenantId`'s call. */
export function healthKeyOfResolved(resolved: ResolvedModel, tenantId: string): string {
  return healthKeyOf({ name: resolved.provider, model: resolved.model }, resolved.own ? tenantId : null);
}

/** The parts of a health key, or null when `key` is not one. */
export function parseHealthKey(key: string): { owner: string; provider: string; model: string } | null {
  const m = /^([^:]+):([^/]+)\/(.+)$/.exec(key);
  if (!m || !m[1] || !m[2] || !m[3]) return null;
  return { owner: m[1], provider: m[2], model: m[3] };
}
