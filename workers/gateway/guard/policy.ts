/**
 * A tenant's prompt-guard policy, stored in tenants.settings.guard. Read on every call,
 * so each isolate keeps it for a few seconds; saving through here drops this isolate's
 * copy at once.
 */
import { eq } from "drizzle-orm";
import { z } from "zod";
import { tenants } from "../../../d1/schema";
import type { Db, TenantScope } from "../../db";
import { updateTenant } from "../../platform/tenants";
import { ttlCache } from "../../lib/ttl-cache";

export const GUARD_MODES = ["off", "log", "redact", "block"] as const;

export type GuardPolicy = {
  mode: (typeof GUARD_MODES)[number];
  injection: boolean;
  pii: { email: boolean; phone: boolean; card: boolean; ssn: boolean };
};

/** Log what is found, change nothing: a tenant sees findings before choosing to redact or block. */
export const DEFAULT_GUARD_POLICY: GuardPolicy = { mode: "log", injection: true, pii: { email: true, phone: true, card: true, ssn: true } };

// Settings can also be written through PATCH /tenant, so a stored value is read field by
// field and anything unreadable falls back to the default for that field.
const StoredPii = z.object({
  email: z.boolean().catch(true),
  phone: z.boolean().catch(true),
  card: z.boolean().catch(true),
  ssn: z.boolean().catch(true),
});
const StoredPolicy = z.object({
  mode: z.enum(GUARD_MODES).catch("log"),
  injection: z.boolean().catch(true),
  pii: StoredPii.catch(DEFAULT_GUARD_POLICY.pii),
});

/** The policy a tenant's settings describe (the default where they say nothing readable). */
export function policyFromSettings(settings: Record<string, unknown>): GuardPolicy {
  const parsed = StoredPolicy.safeParse(settings.guard ?? {});
  return parsed.success ? parsed.data : DEFAULT_GUARD_POLICY;
}

const cache = ttlCache<GuardPolicy>(5_000);

async function readPolicy(db: Db, tenantId: string): Promise<GuardPolicy> {
  const rows = await db.select({ settings: tenants.settings }).from(tenants).where(eq(tenants.id, tenantId));
  return policyFromSettings(rows[0]?.settings ?? {});
}

/** The tenant's guard policy, at most a few seconds old. */
export function loadGuardPolicy(db: Db, tenantId: string, now = Date.now()): Promise<GuardPolicy> {
  return cache.get(tenantId, () => readPolicy(db, tenantId), now);
}

/** Forgets this isolate's copy of one tenant's policy (or every tenant's). */
export function invalidateGuardPolicy(tenantId?: string): void {
  cache.forget(tenantId);
}

/** Saves a tenant's policy, leaving its other settings alone. */
export async function saveGuardPolicy(scope: TenantScope, policy: GuardPolicy): Promise<{ before: GuardPolicy; after: GuardPolicy }> {
  const { before, after } = await updateTenant(scope, { settings: { guard: policy } });
  invalidateGuardPolicy(scope.tenantId);
  return { before: policyFromSettings(before.settings), after: policyFromSettings(after.settings) };
}
