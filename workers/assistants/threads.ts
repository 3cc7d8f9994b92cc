/**
 * Threads and their messages in D1, scoped to one tenant. A thread belongs to one assistant;
 * a thread id given for another assistant (or another tenant) is not found.
 */
import { and, asc, desc, eq, isNull } from "drizzle-orm";
import { assistantMessages, assistantThreads, type ThreadChannel, type Visitor } from "../../d1/schema";
import type { TenantScope } from "../db";
import { AppError } from "../errors";
import { newId } from "../lib/ids";

export type ThreadRow = typeof assistantThreads.$inferSelect;
export type MessageRow = typeof assistantMessages.$inferSelect;

function compactVisitor(v: Visitor): Visitor {
  return Object.fromEntries(Object.entries(v).filter(([, x]) => typeof x === "string" && x.trim() !== ""));
}

export async function getThread(scope: TenantScope, id: string, assistantId?: string): Promise<ThreadRow> {
  const row = await scope.db.query.assistantThreads.findFirst({ where: and(eq(assistantThreads.id, id), eq(assistantThreads.tenantId, scope.tenantId)) });
  if (!row || (assistantId !== undefined && row.assistantId !== assistantId)) throw new AppError("not_found", "Thread not found");
  return row;
}

/** The thread to continue, or a new one; contact details given now are kept (later ones win). */
export async function openThread(
  scope: TenantScope,
  input: { assistantId: string; threadId?: string | null; channel: ThreadChannel; visitor?: Visitor },
  now = Date.now(),
): Promise<ThreadRow> {
  const visitor = compactVisitor(input.visitor ?? {});
  if (input.threadId) {
    const thread = await getThread(scope, input.threadId, input.assistantId);
    if (Object.keys(visitor).length === 0) return thread;
    const merged = { ...thread.visitor, ...visitor };
    await scope.db.update(assistantThreads).set({ visitor: merged, updatedAt: now }).where(and(eq(assistantThreads.id, thread.id), eq(assistantThreads.tenantId, scope.tenantId)));
    return { ...thread, visitor: merged, updatedAt: now };
  }
  const row: ThreadRow = { id: newId("thr"), tenantId: scope.tenantId, assistantId: input.assistantId, channel: input.channel, visitor, leadId: null, createdAt: now, updatedAt: now };
  await scope.db.insert(assistantThreads).values(row);
  return row;
}

/** Threads newest first, optionally of one assistant. */
export async function listThreads(scope: TenantScope, filter: { assistantId?: string; limit?: number } = {}): Promise<ThreadRow[]> {
  const where = [eq(assistantThreads.tenantId, scope.tenantId), ...(filter.assistantId ? [eq(assistantThreads.assistantId, filter.assistantId)] : [])];
  return scope.db.query.assistantThreads.findMany({ where: and(...where), orderBy: [desc(assistantThreads.createdAt), desc(assistantThreads.id)], limit: filter.limit ?? 50 });
}

/** The newest `limit` messages of a thread, oldest first. */
export async function recentMessages(scope: TenantScope, threadId: string, limit = 100): Promise<MessageRow[]> {
  const rows = await scope.db.query.assistantMessages.findMany({
    where: and(eq(assistantMessages.tenantId, scope.tenantId), eq(assistantMessages.threadId, threadId)),
    orderBy: [desc(assistantMessages.createdAt), desc(assistantMessages.id)],
    limit,
  });
  return rows.reverse();
}

/** Every message of a thread, oldest first. */
export async function threadMessages(scope: TenantScope, threadId: string): Promise<MessageRow[]> {
  return scope.db.query.assistantMessages.findMany({
    where: and(eq(assistantMessages.tenantId, scope.tenantId), eq(assistantMessages.threadId, threadId)),
    orderBy: [asc(assistantMessages.createdAt), asc(assistantMessages.id)],
  });
}

export async function insertMessages(scope: TenantScope, rows: MessageRow[], threadId: string, now: number): Promise<void> {
  const [first, ...rest] = rows;
  if (!first) return;
  // One statement a row: D1 caps the bound values of a single statement at 100.
  await scope.db.batch([
    scope.db.insert(assistantMessages).values(first),
    ...rest.map((r) => scope.db.insert(assistantMessages).values(r)),
    scope.db.update(assistantThreads).set({ updatedAt: now }).where(and(eq(assistantThreads.id, threadId), eq(assistantThreads.tenantId, scope.tenantId))),
  ]);
}

/** Marks the thread as having become `leadId`; false when it already had a lead (only one caller wins). */
export async function claimThreadLead(scope: TenantScope, threadId: string, leadId: string, now: number): Promise<boolean> {
  const claimed = await scope.db
    .update(assistantThreads)
    .set({ leadId, updatedAt: now })
    .where(and(eq(assistantThreads.id, threadId), eq(assistantThreads.tenantId, scope.tenantId), isNull(assistantThreads.leadId)))
    .returning({ id: assistantThreads.id });
  return claimed.length > 0;
}
