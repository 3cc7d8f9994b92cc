/**
 * From a platform event to webhook messages: one per (event, endpoint) whose filter wants
 * it. The unique (event_id, endpoint_id) index makes a redelivered event a no-op, and the
 * jobs returned are exactly the messages not attempted yet, so a consumer that died after
 * writing but before enqueueing is completed by the redelivery.
 */
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { webhookEndpoints, webhookEvents, webhookMessages } from "../../d1/schema";
import type { Db, TenantScope } from "../db";
import { AppError } from "../errors";
import { eventExample, type EventType } from "../events/catalog";
import type { PlatformEvent } from "../events/publish";
import { newId } from "../lib/ids";
import { endpointWants, getEndpoint } from "./endpoints";
import { job, type DeliveryJob } from "./jobs";

export type MessageRow = typeof webhookMessages.$inferSelect;

// D1 binds at most 100 parameters per statement; a message row binds up to 13.
const ROWS_PER_INSERT = 7;

function eventInsert(db: Db, event: PlatformEvent) {
  return db.insert(webhookEvents).values({ id: event.id, tenantId: event.tenantId, type: event.type, data: event.data, occurredAt: event.occurredAt }).onConflictDoNothing();
}

function messageInserts(db: Db, event: PlatformEvent, endpointIds: string[], now: number) {
  const rows = endpointIds.map((endpointId) => ({
    id: newId("msg"),
    tenantId: event.tenantId,
    endpointId,
    eventId: event.id,
    eventType: event.type,
    nextAttemptAt: now,
    createdAt: now,
  }));
  const statements = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
    statements.push(db.insert(webhookMessages).values(rows.slice(i, i + ROWS_PER_INSERT)).onConflictDoNothing({ target: [webhookMessages.eventId, webhookMessages.endpointId] }));
  }
  return statements;
}

type Target = { id: string; eventTypes: string[] | null };

/** The enabled endpoints of a tenant, looked up once per tenant for the life of the lookup. */
export type TargetLookup = (tenantId: string) => Promise<Target[]>;

export function targetLookup(db: Db): TargetLookup {
  const cache = new Map<string, Promise<Target[]>>();
  return (tenantId) => {
    let found = cache.get(tenantId);
    if (!found) {
      found = db
        .select({ id: webhookEndpoints.id, eventTypes: webhookEndpoints.eventTypes })
        .from(webhookEndpoints)
        .where(and(eq(webhookEndpoints.tenantId, tenantId), eq(webhookEndpoints.status, "enabled")));
      cache.set(tenantId, found);
    }
    return found;
  };
}

/**
 * Writes the event and its messages in one round trip; returns the first-attempt jobs
 * still to enqueue. An event no endpoint wants is not stored.
 */
export async function fanOutEvent(db: Db, event: PlatformEvent, now: number, lookup: TargetLookup = targetLookup(db)): Promise<DeliveryJob[]> {
  const targets = (await lookup(event.tenantId)).filter((e) => endpointWants(e.eventTypes, event.type)).map((e) => e.id);
  if (targets.length === 0) return [];
  const fresh = db
    .select({ id: webhookMessages.id })
    .from(webhookMessages)
    .where(and(eq(webhookMessages.eventId, event.id), eq(webhookMessages.attempts, 0), eq(webhookMessages.status, "pending")));
  const results = await db.batch([eventInsert(db, event), ...messageInserts(db, event, targets, now), fresh]);
  const rows = z.array(z.object({ id: z.string() })).parse(results[results.length - 1]);
  return rows.map((m) => job(m.id, 1));
}

/**
 * Sends one event of `type` (its catalog example, or a `webhook.test` ping) to one
 * endpoint, whatever its filter. Refused with 409 while the endpoint is disabled.
 */
export async function sendTestEvent(scope: TenantScope, endpointId: string, type: EventType, now: number): Promise<{ message: MessageRow; job: DeliveryJob }> {
  const endpoint = await getEndpoint(scope, endpointId);
  if (endpoint.status !== "enabled") throw new AppError("conflict", "This endpoint is disabled; enable it before sending a test event");
  const data = type === "webhook.test" ? { endpointId, message: "Test event from Auterity" } : eventExample(type);
  const event: PlatformEvent = { id: newId("evt"), tenantId: scope.tenantId, type, data, occurredAt: now };
  await eventInsert(scope.db, event);
  const [message] = await scope.db
    .insert(webhookMessages)
    .values({ id: newId("msg"), tenantId: scope.tenantId, endpointId, eventId: event.id, eventType: type, nextAttemptAt: now, createdAt: now })
    .returning();
  if (!message) throw new Error("message insert returned no row");
  return { message, job: job(message.id, 1) };
}
