/**
 * Reading the audit log: newest first, filtered, paged by an opaque cursor that encodes
 * the position (created_at, id) of the last entry of the previous page.
 */
import { and, desc, eq, gte, lt, lte, or, type SQL } from "drizzle-orm";
import { auditLog } from "../../d1/schema";
import type { TenantScope } from "../db";
import { decodeCursor, encodeCursor } from "../lib/page-cursor";

export type AuditRow = typeof auditLog.$inferSelect;
export type AuditFilter = {
  resourceType?: string;
  resourceId?: string;
  actorId?: string;
  action?: string;
  from?: number;
  to?: number;
  limit?: number;
  cursor?: string;
};

export async function listAudit(scope: TenantScope, filter: AuditFilter): Promise<{ data: AuditRow[]; nextCursor: string | null }> {
  const limit = filter.limit ?? 50;
  const where: (SQL | undefined)[] = [eq(auditLog.tenantId, scope.tenantId)];
  if (filter.resourceType) where.push(eq(auditLog.resourceType, filter.resourceType));
  if (filter.resourceId) where.push(eq(auditLog.resourceId, filter.resourceId));
  if (filter.actorId) where.push(eq(auditLog.actorId, filter.actorId));
  if (filter.action) where.push(eq(auditLog.action, filter.action));
  if (filter.from !== undefined) where.push(gte(auditLog.createdAt, filter.from));
  if (filter.to !== undefined) where.push(lte(auditLog.createdAt, filter.to));
  if (filter.cursor) {
    const [at, id] = decodeCursor(filter.cursor);
    where.push(or(lt(auditLog.createdAt, at), and(eq(auditLog.createdAt, at), lt(auditLog.id, id))));
  }
  const rows = await scope.db.query.auditLog.findMany({
    where: and(...where),
    orderBy: [desc(auditLog.createdAt), desc(auditLog.id)],
    limit: limit + 1,
  });
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { data: page, nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
}
