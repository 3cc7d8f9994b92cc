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

export type EventInput = {
  tenantId: string;
  type: string;
  data: Record<string, unknown>;
  /** A fixed id (see deterministicEventId): publishing the same id twice reaches each endpoint once. */
  id?: string;
};

const EVENT_ID = /^evt_[A-Za-z0-9]{8,64}$/;
const BASE62 = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

/**
 * An event id derived from `seed` ("evt_" + 20 base62 characters of its SHA-256): a producer
 * that may run twice for the same thing (a retried workflow step) publishes the same id.
 */
export async function deterministicEventId(seed: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(seed)));
  let n = 0n;
  for (const b of digest) n = (n << 8n) | BigInt(b);
  let out = "";
  for (let i = 0; i < 20; i++) {
    out += BASE62[Number(n % 62n)];
    n /= 62n;
  }
  return `evt_${out}`;
}

/** Validates an event against the catalog and stamps it; throws AppError("validation_failed") if it does not fit. */
export function buildEvent(input: EventInput, now: number): PlatformEvent {
  if (!isEventType(input.type)) {
    throw new AppError("validation_failed", `Unknown event type "${input.type}"`, [{ path: "type", message: "not in the event catalog" }]);
  }
  const parsed = eventDataSchema(input.type).safeParse(input.data);
  if (!parsed.success) {
    throw new AppError("validation_failed", `Invalid data for event "${input.type}"`, zodDetails(parsed.error));
  }
  if (input.id !== undefined && !EVENT_ID.test(input.id)) {
    throw new AppError("validation_failed", "Invalid event id", [{ path: "id", message: "evt_ followed by 8 to 64 letters and digits" }]);
  }
  return { id: input.id ?? newId("evt"), tenantId: input.tenantId, type: input.type, data: parsed.data, occurredAt: now };
}

/**
 * Publishes a platform event for a tenant. Throws AppError("validation_failed") when the
 * type is not in the catalog or the data does not match its schema.
 */
export async function publishEvent(env: Env, event: EventInput): Promise<void> {
  await env.EVENTS_QUEUE.send(buildEvent(event, Date.now()), { contentType: "json" });
}
