/**
 * Disabling an endpoint that answered 410 or failed without a success for 5 days: audited,
 * and announced to the tenant as an `endpoint.disabled` event (delivered to its other
 * endpoints that want it). The failure streak itself is kept by delivery.
 */
import { and, eq } from "drizzle-orm";
import { webhookEndpoints } from "../../d1/schema";
import type { Db } from "../db";
import type { EventInput } from "../events/publish";
import { recordAudit } from "../platform/audit";
import type { EndpointRow } from "./endpoints";

/** How long an endpoint may fail without a single success before it is disabled. */
export const FAILING_DISABLE_AFTER_MS = 5 * 24 * 3600 * 1000;

export type HealthDeps = { db: Db; publish: (event: EventInput) => Promise<void> };

/**
 * Disables an endpoint once (a concurrent second call changes nothing and announces
 * nothing). Returns true when this call disabled it.
 */
export async function disableEndpoint(deps: HealthDeps, endpoint: EndpointRow, reason: "gone" | "failing", now: number): Promise<boolean> {
  const changed = await deps.db
    .update(webhookEndpoints)
    .set({ status: "disabled", disabledReason: reason, updatedAt: now })
    .where(and(eq(webhookEndpoints.id, endpoint.id), eq(webhookEndpoints.status, "enabled")))
    .returning({ id: webhookEndpoints.id });
  if (changed.length === 0) return false;
  const scope = { db: deps.db, tenantId: endpoint.tenantId };
  await recordAudit(scope, { actorType: "system", actorId: null }, {
    action: "webhook_endpoint.disabled",
    resourceType: "webhook_endpoint",
    resourceId: endpoint.id,
    before: { status: "enabled" },
    after: { status: "disabled", disabledReason: reason },
  }, now);
  await deps.publish({
    tenantId: endpoint.tenantId,
    type: "endpoint.disabled",
    data: { endpointId: endpoint.id, url: endpoint.url, reason, lastSuccessAt: endpoint.lastSuccessAt === null ? null : new Date(endpoint.lastSuccessAt).toISOString() },
  });
  return true;
}
