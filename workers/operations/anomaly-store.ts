/**
 * Anomaly rows in D1: raising one (at most one open per tenant, kind and subject), the
 * detector's bookkeeping while it is open, resolving it, and the tenant's list and
 * acknowledgement. Tenant-facing reads and writes are scoped to one tenant.
 */
import { and, desc, eq, isNull, lt, or, type SQL, sql } from "drizzle-orm";
import { anomalies, type AnomalyStatus } from "../../d1/schema";
import type { Db, TenantScope } from "../db";
import { AppError } from "../errors";
import { decodeCursor, encodeCursor } from "../lib/page-cursor";

export type AnomalyRow = typeof anomalies.$inferSelect;

/**
 * Inserts an open anomaly unless one of the same tenant, kind and subject is open already
 * (the partial unique index decides, so two detector runs at once raise it once). True when
 * this call raised it.
 */
export async function raiseAnomaly(db: Db, row: AnomalyRow): Promise<boolean> {
  const inserted = await db.insert(anomalies).values(row).onConflictDoNothing().returning({ id: anomalies.id });
  return inserted.length > 0;
}

/** Every open anomaly, of every tenant. */
export async function openAnomalies(db: Db): Promise<AnomalyRow[]> {
  return db.select().from(anomalies).where(eq(anomalies.status, "open"));
}

/**
 * Anomalies with an announcement still to make: anomaly.detected (notifiedAt null) or, once
 * resolved, anomaly.resolved (resolvedNotifiedAt null). The condition is the partial index's.
 */
export async function unannounced(db: Db): Promise<AnomalyRow[]> {
  return db
    .select()
    .from(anomalies)
    .where(sql`${anomalies.notifiedAt} is null or (${anomalies.status} = 'resolved' and ${anomalies.resolvedNotifiedAt} is null)`);
}

/** Records that anomaly.detected went out. */
export async function markAnnounced(db: Db, id: string, now: number): Promise<void> {
  await db.update(anomalies).set({ notifiedAt: now }).where(eq(anomalies.id, id));
}

/** Records that anomaly.resolved went out. */
export async function markResolutionAnnounced(db: Db, id: string, now: number): Promise<void> {
  await db.update(anomalies).set({ resolvedNotifiedAt: now }).where(eq(anomalies.id, id));
}

/** Records when the metric went back under the threshold (or null: it is high again). */
export async function setClearSince(db: Db, id: string, clearSince: number | null): Promise<void> {
  await db.update(anomalies).set({ clearSince }).where(and(eq(anomalies.id, id), eq(anomalies.status, "open")));
}

/** Resolves an open anomaly; the row when this call resolved it, null when it was not open. */
export async function resolveAnomaly(db: Db, id: string, now: number): Promise<AnomalyRow | null> {
  const [row] = await db.update(anomalies).set({ status: "resolved", resolvedAt: now }).where(and(eq(anomalies.id, id), eq(anomalies.status, "open"))).returning();
  return row ?? null;
}

/** An anomaly of this tenant, or 404 (also for another tenant's). */
export async function getAnomaly(scope: TenantScope, id: string): Promise<AnomalyRow> {
  const row = await scope.db.query.anomalies.findFirst({ where: and(eq(anomalies.id, id), eq(anomalies.tenantId, scope.tenantId)) });
  if (!row) throw new AppError("not_found", "Anomaly not found");
  return row;
}

export type AnomalyFilter = { status?: AnomalyStatus | "all"; limit?: number; cursor?: string };

/** The tenant's anomalies newest first, paged by an opaque cursor. */
export async function listAnomalies(scope: TenantScope, filter: AnomalyFilter): Promise<{ data: AnomalyRow[]; nextCursor: string | null }> {
  const limit = filter.limit ?? 50;
  const where: (SQL | undefined)[] = [eq(anomalies.tenantId, scope.tenantId)];
  if (filter.status && filter.status !== "all") where.push(eq(anomalies.status, filter.status));
  if (filter.cursor) {
    const [at, id] = decodeCursor(filter.cursor);
    where.push(or(lt(anomalies.detectedAt, at), and(eq(anomalies.detectedAt, at), lt(anomalies.id, id))));
  }
  const rows = await scope.db.query.anomalies.findMany({ where: and(...where), orderBy: [desc(anomalies.detectedAt), desc(anomalies.id)], limit: limit + 1 });
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { data: page, nextCursor: rows.length > limit && last ? encodeCursor({ createdAt: last.detectedAt, id: last.id }) : null };
}

/**
 * Marks an anomaly seen by `by`. Only the first call changes it (`changed`); later ones
 * return it as it is.
 */
export async function acknowledgeAnomaly(scope: TenantScope, id: string, by: string, now: number): Promise<{ row: AnomalyRow; changed: boolean }> {
  const [updated] = await scope.db
    .update(anomalies)
    .set({ acknowledgedAt: now, acknowledgedBy: by })
    .where(and(eq(anomalies.id, id), eq(anomalies.tenantId, scope.tenantId), isNull(anomalies.acknowledgedAt)))
    .returning();
  if (updated) return { row: updated, changed: true };
  return { row: await getAnomaly(scope, id), changed: false };
}
