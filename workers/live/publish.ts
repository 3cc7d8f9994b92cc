/**
 * Producers' side of live updates: `publishLive(env, tenantId, message)` hands a message to
 * the tenant's LiveHub. Live updates are a courtesy to whoever is watching, so publishing
 * never throws into the caller, and a tenant with no open dashboard costs at most one
 * `connections()` call per isolate per PRESENCE_TTL_MS instead of one call per message.
 */
import { ZodError } from "zod";
import { zodDetails } from "../errors";
import { log } from "../lib/log";
import { prepareLiveMessage, type LiveMessage, type LiveMessageInput } from "./messages";

/**
 * How long this isolate trusts "nobody is connected". A dashboard that connects through
 * another isolate may miss this long of updates; one that connects here is seen at once.
 */
export const PRESENCE_TTL_MS = 1_000;
// Bounds memory when many tenants publish through one isolate.
const MAX_TENANTS = 10_000;

const presence = new Map<string, { sockets: number; checkedAt: number }>();

/** The tenant's LiveHub: one object per tenant. */
export function liveHubFor(env: Env, tenantId: string) {
  return env.LIVE_HUB.get(env.LIVE_HUB.idFromName(tenantId));
}

/** Forgets a cached "nobody is connected" once a socket opens for the tenant through this isolate. */
export function noteLiveConnection(tenantId: string): void {
  presence.delete(tenantId);
}

async function hasListeners(env: Env, tenantId: string, now: number): Promise<boolean> {
  const known = presence.get(tenantId);
  if (known && now - known.checkedAt < PRESENCE_TTL_MS) return known.sockets > 0;
  const sockets = await liveHubFor(env, tenantId).connections();
  if (!known && presence.size >= MAX_TENANTS) presence.clear();
  presence.set(tenantId, { sockets, checkedAt: now });
  return sockets > 0;
}

/**
 * Sends a message to the tenant's open dashboards and answers how many sockets received it.
 * Never throws: an invalid message or an unreachable hub is logged and counts as 0.
 * Call it in `waitUntil` when the caller should not wait for the hub.
 */
export async function publishLive(env: Env, tenantId: string, input: LiveMessageInput, now = Date.now()): Promise<number> {
  try {
    const message: LiveMessage = { ...input, at: input.at ?? now };
    // Checked here as well as in the hub, so a producer's mistake is caught without a round trip.
    prepareLiveMessage(message);
    if (!(await hasListeners(env, tenantId, now))) return 0;
    return await liveHubFor(env, tenantId).publish(message);
  } catch (err) {
    const error = err instanceof ZodError ? zodDetails(err) : err instanceof Error ? err.message : String(err);
    log.warn("live publish failed", { tenantId, type: input.type, error });
    return 0;
  }
}
