/**
 * What the TenantLedger enforces: a tenant's budgets, rate limits and time zone. D1 is the
 * source of truth; the ledger keeps a copy in its own storage and reloads it from D1.
 */
import { eq } from "drizzle-orm";
import { z } from "zod";
import { BUDGET_ACTIONS, BUDGET_SCOPES, budgets, RATE_LIMIT_SCOPES, rateLimits, tenants } from "../../../d1/schema";
import type { Db } from "../../db";
import { isTimeZone } from "../../platform/tenants";

export const BudgetConfigSchema = z.object({
  id: z.string(),
  name: z.string(),
  scope: z.enum(BUDGET_SCOPES),
  scopeId: z.string().nullable(),
  limitNanoUsd: z.number().int().positive(),
  window: z.string(),
  action: z.enum(BUDGET_ACTIONS),
  degradeTo: z.string().nullable(),
  degradeAtPercent: z.number().int().min(1).max(100),
  thresholds: z.array(z.number().int().min(1).max(100)),
  enabled: z.boolean(),
});
export type BudgetConfig = z.infer<typeof BudgetConfigSchema>;

export const RateLimitConfigSchema = z.object({
  id: z.string(),
  scope: z.enum(RATE_LIMIT_SCOPES),
  /** The API key id, or the tenant id for a tenant-wide limit. */
  scopeId: z.string(),
  rpm: z.number().int().positive().nullable(),
  tpm: z.number().int().positive().nullable(),
});
export type RateLimitConfig = z.infer<typeof RateLimitConfigSchema>;

export const LedgerConfigSchema = z.object({
  timezone: z.string(),
  budgets: z.array(BudgetConfigSchema),
  rateLimits: z.array(RateLimitConfigSchema),
});
export type LedgerConfig = z.infer<typeof LedgerConfigSchema>;

export const EMPTY_CONFIG: LedgerConfig = { timezone: "UTC", budgets: [], rateLimits: [] };

/** The ledger configuration of a tenant as D1 holds it now. */
export async function loadLedgerConfig(db: Db, tenantId: string): Promise<LedgerConfig> {
  const [tenantRows, budgetRows, limitRows] = await db.batch([
    db.select({ timezone: tenants.timezone }).from(tenants).where(eq(tenants.id, tenantId)),
    db.select().from(budgets).where(eq(budgets.tenantId, tenantId)),
    db.select().from(rateLimits).where(eq(rateLimits.tenantId, tenantId)),
  ]);
  const tz = tenantRows[0]?.timezone ?? "UTC";
  return {
    // A zone this runtime does not know would make every window computation throw.
    timezone: isTimeZone(tz) ? tz : "UTC",
    budgets: budgetRows.map((b) => ({
      id: b.id,
      name: b.name,
      scope: b.scope,
      scopeId: b.scopeId,
      limitNanoUsd: b.limitNanoUsd,
      window: b.window,
      action: b.action,
      degradeTo: b.degradeTo,
      degradeAtPercent: b.degradeAtPercent,
      thresholds: b.thresholds,
      enabled: b.enabled,
    })),
    rateLimits: limitRows.map((r) => ({ id: r.id, scope: r.scope, scopeId: r.scopeId, rpm: r.rpm, tpm: r.tpm })),
  };
}
