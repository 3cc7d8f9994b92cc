/**
 * Each tenant's anomaly sensitivity (off, low, medium, high), kept in anomaly_settings.
 * Tenants that never chose one get the default, medium.
 */
import { eq } from "drizzle-orm";
import { anomalySettings, type Sensitivity } from "../../d1/schema";
import type { Db, TenantScope } from "../db";
import { DEFAULT_SENSITIVITY } from "./detect";

export type AnomalySettings = { sensitivity: Sensitivity; updatedAt: number | null };

export async function getAnomalySettings(scope: TenantScope): Promise<AnomalySettings> {
  const row = await scope.db.query.anomalySettings.findFirst({ where: eq(anomalySettings.tenantId, scope.tenantId) });
  return row ? { sensitivity: row.sensitivity, updatedAt: row.updatedAt } : { sensitivity: DEFAULT_SENSITIVITY, updatedAt: null };
}

/** Saves the tenant's sensitivity; answers the settings before and after for the audit log. */
export async function putAnomalySettings(scope: TenantScope, sensitivity: Sensitivity, by: string, now: number): Promise<{ before: AnomalySettings; after: AnomalySettings }> {
  const before = await getAnomalySettings(scope);
  await scope.db
    .insert(anomalySettings)
    .values({ tenantId: scope.tenantId, sensitivity, updatedAt: now, updatedBy: by })
    .onConflictDoUpdate({ target: anomalySettings.tenantId, set: { sensitivity, updatedAt: now, updatedBy: by } });
  return { before, after: { sensitivity, updatedAt: now } };
}

/** Every tenant's sensitivity, for a detector run; tenants not in the map use the default. */
export async function sensitivityLookup(db: Db): Promise<(tenantId: string) => Sensitivity> {
  const rows = await db.select({ tenantId: anomalySettings.tenantId, sensitivity: anomalySettings.sensitivity }).from(anomalySettings);
  const map = new Map(rows.map((r) => [r.tenantId, r.sensitivity]));
  return (tenantId) => map.get(tenantId) ?? DEFAULT_SENSITIVITY;
}
