/**
 * Lead rows in D1. Every read and write is scoped to one tenant.
 */
import { and, desc, eq, gte, isNull, lt, or, type SQL } from "drizzle-orm";
import { type LeadChannel, leads, type LeadStatus } from "../../d1/schema";
import type { Db, TenantScope } from "../db";
import { AppError } from "../errors";
import { decodeCursor, encodeCursor } from "../lib/page-cursor";

export type LeadRow = typeof leads.$inferSelect;

/** How long a publisher holds a lead before a later copy of it may publish instead. */
export const PUBLISH_LEASE_MS = 60_000;

/** Inserts unless the tenant already has a lead with this dedupe key; true when this call inserted it. */
export async function insertLead(db: Db, row: LeadRow): Promise<boolean> {
  const inserted = await db.insert(leads).values(row).onConflictDoNothing({ target: [leads.tenantId, leads.dedupeKey] }).returning({ id: leads.id });
  return inserted.length > 0;
}

export async function findLeadByDedupeKey(scope: TenantScope, dedupeKey: string): Promise<LeadRow | undefined> {
  return scope.db.query.leads.findFirst({ where: and(eq(leads.tenantId, scope.tenantId), eq(leads.dedupeKey, dedupeKey)) });
}

/**
 * Takes over publishing a lead whose lead.created never went out (the request that stored
 * it died first). Only one caller wins, and only once the previous holder's lease is over.
 */
export async function claimUnpublished(db: Db, row: LeadRow, now: number): Promise<boolean> {
  const claimed = await db
    .update(leads)
    .set({ publishClaimedAt: now })
    .where(and(eq(leads.id, row.id), eq(leads.tenantId, row.tenantId), isNull(leads.publishedAt), or(isNull(leads.publishClaimedAt), lt(leads.publishClaimedAt, now - PUBLISH_LEASE_MS))))
    .returning({ id: leads.id });
  return claimed.length > 0;
}

export async function markPublished(db: Db, row: LeadRow, now: number): Promise<void> {
  await db.update(leads).set({ publishedAt: now, updatedAt: now }).where(and(eq(leads.id, row.id), eq(leads.tenantId, row.tenantId)));
}

/** A lead of this tenant, or 404 (also for another tenant's). */
export async function getLead(scope: TenantScope, id: string): Promise<LeadRow> {
  const row = await scope.db.query.leads.findFirst({ where: and(eq(leads.id, id), eq(leads.tenantId, scope.tenantId)) });
  if (!row) throw new AppError("not_found", "Lead not found");
  return row;
}

export type LeadFilter = { status?: LeadStatus; rooftopId?: string; since?: number; limit?: number; cursor?: string };

/** Leads newest first, filtered, paged by an opaque cursor (the position of the previous page's last lead). */
export async function listLeads(scope: TenantScope, filter: LeadFilter): Promise<{ data: LeadRow[]; nextCursor: string | null }> {
  const limit = filter.limit ?? 50;
  const where: (SQL | undefined)[] = [eq(leads.tenantId, scope.tenantId)];
  if (filter.status) where.push(eq(leads.status, filter.status));
  if (filter.rooftopId) where.push(eq(leads.rooftopId, filter.rooftopId));
  if (filter.since !== undefined) where.push(gte(leads.createdAt, filter.since));
  if (filter.cursor) {
    const [at, id] = decodeCursor(filter.cursor);
    where.push(or(lt(leads.createdAt, at), and(eq(leads.createdAt, at), lt(leads.id, id))));
  }
  const rows = await scope.db.query.leads.findMany({ where: and(...where), orderBy: [desc(leads.createdAt), desc(leads.id)], limit: limit + 1 });
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { data: page, nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
}

export type ContactInput = { channel: LeadChannel; note: string | null; by: string };

/**
 * Marks a lead contacted. Only the first call changes it (`changed`); later ones return it
 * as it is, so a CRM can repeat the call safely.
 */
export async function markContacted(scope: TenantScope, id: string, input: ContactInput, now: number): Promise<{ row: LeadRow; changed: boolean }> {
  const [updated] = await scope.db
    .update(leads)
    .set({ status: "contacted", contactedAt: now, contactedChannel: input.channel, contactedBy: input.by, contactNote: input.note, updatedAt: now })
    .where(and(eq(leads.id, id), eq(leads.tenantId, scope.tenantId), isNull(leads.contactedAt)))
    .returning();
  if (updated) return { row: updated, changed: true };
  return { row: await getLead(scope, id), changed: false };
}
