/**
 * The message log: a tenant's messages per endpoint with every attempt, resending one
 * message, and recovering every message of an endpoint in a time window. A resent
 * message keeps its id, so the partner's idempotency key still recognises it.
 */
import { and, desc, eq, gte, inArray, lt, lte, or, type SQL } from "drizzle-orm";
import { WEBHOOK_MESSAGE_STATUSES, webhookAttempts, webhookEvents, webhookMessages } from "../../d1/schema";
import type { TenantScope } from "../db";
import { AppError } from "../errors";
import { getEndpoint } from "./endpoints";
import type { MessageRow } from "./fanout";
import { job, type DeliveryJob } from "./jobs";

export type MessageStatus = (typeof WEBHOOK_MESSAGE_STATUSES)[number];
export type AttemptRow = typeof webhookAttempts.$inferSelect;
export type PublicMessage = Omit<MessageRow, "tenantId">;
export type PublicAttempt = Omit<AttemptRow, "tenantId">;

/** Most messages one recover call re-queues; a wider window must be split. */
export const MAX_RECOVER = 10_000;

export function publicMessage(row: MessageRow): PublicMessage {
  const { tenantId: _t, ...rest } = row;
  return rest;
}

function publicAttempt(row: AttemptRow): PublicAttempt {
  const { tenantId: _t, ...rest } = row;
  return rest;
}

export type MessageQuery = { status?: MessageStatus; since?: number; until?: number; limit: number; cursor?: { createdAt: number; id: string } };

/** A page of an endpoint's messages, newest first; `next` continues after the last one. */
export async function listMessages(scope: TenantScope, endpointId: string, q: MessageQuery): Promise<{ data: MessageRow[]; next: string | null }> {
  await getEndpoint(scope, endpointId);
  const m = webhookMessages;
  const where: (SQL | undefined)[] = [eq(m.tenantId, scope.tenantId), eq(m.endpointId, endpointId)];
  if (q.status) where.push(eq(m.status, q.status));
  if (q.since !== undefined) where.push(gte(m.createdAt, q.since));
  if (q.until !== undefined) where.push(lte(m.createdAt, q.until));
  if (q.cursor) where.push(or(lt(m.createdAt, q.cursor.createdAt), and(eq(m.createdAt, q.cursor.createdAt), lt(m.id, q.cursor.id))));
  const rows = await scope.db.select().from(m).where(and(...where)).orderBy(desc(m.createdAt), desc(m.id)).limit(q.limit + 1);
  const data = rows.slice(0, q.limit);
  const last = data[data.length - 1];
  return { data, next: rows.length > q.limit && last ? `${last.createdAt}.${last.id}` : null };
}

/** A message of this tenant with its payload and every attempt, or 404. */
export async function getMessage(scope: TenantScope, id: string) {
  const [row] = await scope.db
    .select({ message: webhookMessages, event: webhookEvents })
    .from(webhookMessages)
    .innerJoin(webhookEvents, eq(webhookEvents.id, webhookMessages.eventId))
    .where(and(eq(webhookMessages.id, id), eq(webhookMessages.tenantId, scope.tenantId)));
  if (!row) throw new AppError("not_found", "Webhook message not found");
  const attempts = await scope.db.select().from(webhookAttempts).where(eq(webhookAttempts.messageId, id)).orderBy(webhookAttempts.attempt);
  const payload = { type: row.event.type, timestamp: new Date(row.event.occurredAt).toISOString(), data: row.event.data };
  return { ...publicMessage(row.message), payload, attempts: attempts.map(publicAttempt) };
}

async function assertEnabled(scope: TenantScope, endpointId: string): Promise<void> {
  const endpoint = await getEndpoint(scope, endpointId);
  if (endpoint.status !== "enabled") throw new AppError("conflict", "This endpoint is disabled; enable it before resending");
}

/** Queues one more attempt of a message now, whatever its state. */
export async function resendMessage(scope: TenantScope, id: string, now: number): Promise<{ message: MessageRow; job: DeliveryJob }> {
  const current = await scope.db.query.webhookMessages.findFirst({ where: and(eq(webhookMessages.id, id), eq(webhookMessages.tenantId, scope.tenantId)) });
  if (!current) throw new AppError("not_found", "Webhook message not found");
  await assertEnabled(scope, current.endpointId);
  const [message] = await scope.db
    .update(webhookMessages)
    .set({ status: "pending", nextAttemptAt: now })
    .where(and(eq(webhookMessages.id, id), eq(webhookMessages.tenantId, scope.tenantId)))
    .returning();
  if (!message) throw new AppError("not_found", "Webhook message not found");
  return { message, job: job(message.id, message.attempts + 1) };
}

export type RecoverInput = { since: number; until: number; statuses: MessageStatus[] };

/** Re-queues every message of an endpoint created in [since, until] with one of `statuses`. */
export async function recoverMessages(scope: TenantScope, endpointId: string, input: RecoverInput, now: number): Promise<DeliveryJob[]> {
  await assertEnabled(scope, endpointId);
  const m = webhookMessages;
  const where = and(eq(m.tenantId, scope.tenantId), eq(m.endpointId, endpointId), gte(m.createdAt, input.since), lte(m.createdAt, input.until), inArray(m.status, input.statuses));
  const count = await scope.db.$count(m, where);
  if (count > MAX_RECOVER) throw new AppError("unprocessable", `The window holds ${count} messages; recover at most ${MAX_RECOVER} at a time`);
  const rows = await scope.db.update(m).set({ status: "pending", nextAttemptAt: now }).where(where).returning({ id: m.id, attempts: m.attempts });
  return rows.map((r) => job(r.id, r.attempts + 1));
}
