/**
 * Publishing a platform event: validate it against the catalog, give it an id and a time,
 * and put it on the events queue, whose consumer fans it out to the tenant's webhook
 * endpoints.
 */
import { z } from "zod";
import { AppError, zodDetails } from "../errors";
import { newId } from "../lib/ids";
import { eventDataSchema, isEventType } from "./catalog";

/** An event as it travels on "auterity-events". */
export const platformEventSchema = z.object({
  id: z.string().startsWith("evt_"),
  tenantId: z.string().min(1),
  type: z.string().refine(isEventType, "not a catalog event type"),
  data: z.record(z.string(), z.unknown()),
  /** Epoch ms. */
  occurredAt: z.number().int().nonnegative(),
});

export type PlatformEvent = z.infer<typeof platformEventSchema>;

export type EventInput = { tenantId: string; type: string; data: Record<string, unknown> };

/** Validates an event against the catalog and stamps it; throws AppError("validation_failed") if it does not fit. */
export function buildEvent(input: EventInput, now: number): PlatformEvent {
  if (!isEventType(input.type)) {
    throw new AppError("validation_failed", `Unknown event type "${input.type}"`, [{ path: "type", message: "not in the event catalog" }]);
  }
  const parsed = eventDataSchema(input.type).safeParse(input.data);
  if (!parsed.success) {
    throw new AppError("validation_failed", `Invalid data for event "${input.type}"`, zodDetails(parsed.error));
  }
  return { id: newId("evt"), tenantId: input.tenantId, type: input.type, data: parsed.data, occurredAt: now };
}

/**
 * Publishes a platform event for a tenant. Throws AppError("validation_failed") when the
 * type is not in the catalog or the data does not match its schema.
 */
export async function publishEvent(env: Env, event: EventInput): Promise<void> {
  await env.EVENTS_QUEUE.send(buildEvent(event, Date.now()), { contentType: "json" });
}
