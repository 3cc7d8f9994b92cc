/**
 * A tenant's webhook endpoints: create (the secret is shown once), read, change, delete,
 * and rotate the secret with a grace period during which both secrets sign.
 */
import { and, desc, eq } from "drizzle-orm";
import { webhookEndpoints } from "../../d1/schema";
import type { TenantScope } from "../db";
import { AppError } from "../errors";
import { isEventType } from "../events/catalog";
import { newId } from "../lib/ids";
import { openSecret, sealSecret } from "../lib/secret-box";
import { generateSecret } from "./signing";
import { checkWebhookUrl, type UrlPolicy } from "./url-policy";

export type EndpointRow = typeof webhookEndpoints.$inferSelect;

/** What the API shows of an endpoint: never a secret. */
export type PublicEndpoint = Omit<EndpointRow, "tenantId" | "secretEnc" | "previousSecretEnc">;

/** Everything endpoint changes need: the tenant, the sealing key, the URL policy and the time. */
export type EndpointDeps = TenantScope & { masterKey: string; policy: UrlPolicy; now: number };

export type EndpointInput = { url: string; description?: string; eventTypes?: string[] | null; enabled?: boolean };

/** Longest grace period during which a rotated-out secret still signs. */
export const MAX_ROTATION_GRACE_SECONDS = 7 * 24 * 3600;
export const DEFAULT_ROTATION_GRACE_SECONDS = 24 * 3600;

export function publicEndpoint(row: EndpointRow): PublicEndpoint {
  const { tenantId: _t, secretEnc: _s, previousSecretEnc: _p, ...rest } = row;
  return rest;
}

/** Refuses a URL the policy does not allow, with the reason, as a 400 on `url`. */
export function assertAllowedUrl(url: string, policy: UrlPolicy): string {
  const check = checkWebhookUrl(url, policy);
  if (!check.ok) throw new AppError("validation_failed", `url: ${check.reason}`, [{ path: "url", message: check.reason }]);
  return check.url.href;
}

function assertEventTypes(types: string[] | null | undefined): void {
  const unknown = (types ?? []).filter((t) => !isEventType(t));
  if (unknown.length > 0) {
    throw new AppError("validation_failed", `eventTypes: unknown event type ${unknown.map((t) => `"${t}"`).join(", ")}`, unknown.map((t) => ({ path: "eventTypes", message: `unknown event type ${t}` })));
  }
}

/** True when an endpoint with this filter receives events of `type`. */
export function endpointWants(eventTypes: string[] | null, type: string): boolean {
  return eventTypes === null || eventTypes.length === 0 || eventTypes.includes(type);
}

export async function createEndpoint(deps: EndpointDeps, input: EndpointInput): Promise<{ row: EndpointRow; secret: string }> {
  const url = assertAllowedUrl(input.url, deps.policy);
  assertEventTypes(input.eventTypes);
  const secret = generateSecret();
  const enabled = input.enabled ?? true;
  const [row] = await deps.db
    .insert(webhookEndpoints)
    .values({
      id: newId("whe"),
      tenantId: deps.tenantId,
      url,
      description: input.description ?? "",
      eventTypes: input.eventTypes ?? null,
      status: enabled ? "enabled" : "disabled",
      disabledReason: enabled ? null : "manual",
      secretEnc: await sealSecret(deps.masterKey, secret),
      createdAt: deps.now,
      updatedAt: deps.now,
    })
    .returning();
  if (!row) throw new Error("endpoint insert returned no row");
  return { row, secret };
}

export async function listEndpoints(scope: TenantScope): Promise<EndpointRow[]> {
  return scope.db.query.webhookEndpoints.findMany({ where: eq(webhookEndpoints.tenantId, scope.tenantId), orderBy: [desc(webhookEndpoints.createdAt), desc(webhookEndpoints.id)] });
}

/** An endpoint of this tenant, or 404 (also for another tenant's). */
export async function getEndpoint(scope: TenantScope, id: string): Promise<EndpointRow> {
  const row = await scope.db.query.webhookEndpoints.findFirst({ where: and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.tenantId, scope.tenantId)) });
  if (!row) throw new AppError("not_found", "Webhook endpoint not found");
  return row;
}

/** Applies a partial change. Enabling again clears the failure streak, so the 5-day clock restarts. */
export async function updateEndpoint(deps: EndpointDeps, id: string, patch: Partial<EndpointInput>): Promise<{ before: EndpointRow; after: EndpointRow }> {
  const before = await getEndpoint(deps, id);
  assertEventTypes(patch.eventTypes);
  const changes: Partial<typeof webhookEndpoints.$inferInsert> = { updatedAt: deps.now };
  if (patch.url !== undefined) changes.url = assertAllowedUrl(patch.url, deps.policy);
  if (patch.description !== undefined) changes.description = patch.description;
  if (patch.eventTypes !== undefined) changes.eventTypes = patch.eventTypes;
  if (patch.enabled === true && before.status === "disabled") Object.assign(changes, { status: "enabled", disabledReason: null, failingSince: null });
  if (patch.enabled === false && before.status === "enabled") Object.assign(changes, { status: "disabled", disabledReason: "manual" });
  const [after] = await deps.db.update(webhookEndpoints).set(changes).where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.tenantId, deps.tenantId))).returning();
  if (!after) throw new AppError("not_found", "Webhook endpoint not found");
  return { before, after };
}

/** Deletes an endpoint with its messages and their attempt log. */
export async function deleteEndpoint(scope: TenantScope, id: string): Promise<EndpointRow> {
  const before = await getEndpoint(scope, id);
  await scope.db.delete(webhookEndpoints).where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.tenantId, scope.tenantId)));
  return before;
}

/**
 * Issues a new secret. The current one keeps signing (alongside) for `graceSeconds`, so a
 * partner can switch without dropping a delivery; 0 retires it at once.
 */
export async function rotateSecret(deps: EndpointDeps, id: string, graceSeconds: number): Promise<{ row: EndpointRow; secret: string }> {
  const before = await getEndpoint(deps, id);
  const secret = generateSecret();
  const [row] = await deps.db
    .update(webhookEndpoints)
    .set({
      secretEnc: await sealSecret(deps.masterKey, secret),
      previousSecretEnc: graceSeconds > 0 ? before.secretEnc : null,
      previousSecretExpiresAt: graceSeconds > 0 ? deps.now + graceSeconds * 1000 : null,
      updatedAt: deps.now,
    })
    .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.tenantId, deps.tenantId)))
    .returning();
  if (!row) throw new AppError("not_found", "Webhook endpoint not found");
  return { row, secret };
}

/** The secrets that sign a delivery now: the current one, plus the previous during its grace period. */
export async function signingSecrets(masterKey: string, row: EndpointRow, now: number): Promise<string[]> {
  const secrets = [await openSecret(masterKey, row.secretEnc)];
  if (row.previousSecretEnc && row.previousSecretExpiresAt !== null && row.previousSecretExpiresAt > now) {
    secrets.push(await openSecret(masterKey, row.previousSecretEnc));
  }
  return secrets;
}
