/**
 * Rate limits in D1 (one per tenant, one per API key) and the tenant's ledger settings
 * (tenants.settings.ledgerFailOpen).
 */
import { and, asc, eq } from "drizzle-orm";
import { apiKeys, rateLimits } from "../../../d1/schema";
import type { TenantScope } from "../../db";
import { AppError } from "../../errors";
import { newId } from "../../lib/ids";
import { getTenant, updateTenant } from "../../platform/tenants";
import type { RateLimitCreateInput, RateLimitPatchInput, RateLimitView } from "./inputs";

type RateLimitRow = typeof rateLimits.$inferSelect;

function invalid(path: string, message: string): AppError {
  return new AppError("validation_failed", message, [{ path, message }]);
}

export function rateLimitView(row: RateLimitRow): RateLimitView {
  return {
    id: row.id,
    scope: row.scope,
    apiKeyId: row.scope === "key" ? row.scopeId : null,
    rpm: row.rpm,
    tpm: row.tpm,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function checkAmounts(rpm: number | null, tpm: number | null): void {
  if (rpm === null && tpm === null) throw invalid("rpm", "Set rpm, tpm or both");
}

// The scope id stored: the key (which must be this tenant's), or the tenant itself.
async function scopeIdFor(scope: TenantScope, input: RateLimitCreateInput): Promise<string> {
  const keyId = input.apiKeyId ?? null;
  if (input.scope === "tenant") {
    if (keyId !== null) throw invalid("apiKeyId", "A tenant-wide limit names no API key: leave apiKeyId out");
    return scope.tenantId;
  }
  if (keyId === null) throw invalid("apiKeyId", "A key limit needs apiKeyId");
  const found = await scope.db.select({ id: apiKeys.id }).from(apiKeys).where(and(eq(apiKeys.id, keyId), eq(apiKeys.tenantId, scope.tenantId)));
  if (found.length === 0) throw invalid("apiKeyId", `No API key '${keyId}' in this tenant`);
  return keyId;
}

export async function listRateLimits(scope: TenantScope): Promise<RateLimitView[]> {
  const rows = await scope.db.select().from(rateLimits).where(eq(rateLimits.tenantId, scope.tenantId)).orderBy(asc(rateLimits.createdAt), asc(rateLimits.id));
  return rows.map(rateLimitView);
}

async function findRow(scope: TenantScope, id: string): Promise<RateLimitRow> {
  const row = await scope.db.query.rateLimits.findFirst({ where: and(eq(rateLimits.id, id), eq(rateLimits.tenantId, scope.tenantId)) });
  if (!row) throw new AppError("not_found", `No rate limit '${id}'`);
  return row;
}

export async function getRateLimit(scope: TenantScope, id: string): Promise<RateLimitView> {
  return rateLimitView(await findRow(scope, id));
}

/** Adds a limit; 409 when the tenant (or that key) already has one. */
export async function createRateLimit(scope: TenantScope, input: RateLimitCreateInput, now = Date.now()): Promise<RateLimitView> {
  const rpm = input.rpm ?? null;
  const tpm = input.tpm ?? null;
  checkAmounts(rpm, tpm);
  const scopeId = await scopeIdFor(scope, input);
  const existing = await scope.db
    .select({ id: rateLimits.id })
    .from(rateLimits)
    .where(and(eq(rateLimits.tenantId, scope.tenantId), eq(rateLimits.scope, input.scope), eq(rateLimits.scopeId, scopeId)));
  const taken = existing[0];
  if (taken) throw new AppError("conflict", `${input.scope === "tenant" ? "This tenant" : "This API key"} already has a rate limit (${taken.id}): change that one`, { id: taken.id });
  const [row] = await scope.db
    .insert(rateLimits)
    .values({ id: newId("rl"), tenantId: scope.tenantId, scope: input.scope, scopeId, rpm, tpm, createdAt: now, updatedAt: now })
    .returning();
  if (!row) throw new AppError("internal_error", "The rate limit was not saved");
  return rateLimitView(row);
}

export async function updateRateLimit(scope: TenantScope, id: string, patch: RateLimitPatchInput, now = Date.now()): Promise<{ before: RateLimitView; after: RateLimitView }> {
  const before = rateLimitView(await findRow(scope, id));
  const rpm = patch.rpm === undefined ? before.rpm : patch.rpm;
  const tpm = patch.tpm === undefined ? before.tpm : patch.tpm;
  checkAmounts(rpm, tpm);
  const [row] = await scope.db
    .update(rateLimits)
    .set({ rpm, tpm, updatedAt: now })
    .where(and(eq(rateLimits.id, id), eq(rateLimits.tenantId, scope.tenantId)))
    .returning();
  if (!row) throw new AppError("not_found", `No rate limit '${id}'`);
  return { before, after: rateLimitView(row) };
}

export async function deleteRateLimit(scope: TenantScope, id: string): Promise<RateLimitView> {
  const before = await getRateLimit(scope, id);
  await scope.db.delete(rateLimits).where(and(eq(rateLimits.id, id), eq(rateLimits.tenantId, scope.tenantId)));
  return before;
}

export type LedgerSettingsView = { ledgerFailOpen: boolean };

export async function getLedgerSettings(scope: TenantScope): Promise<LedgerSettingsView> {
  return { ledgerFailOpen: (await getTenant(scope)).settings.ledgerFailOpen === true };
}

export async function putLedgerSettings(scope: TenantScope, input: LedgerSettingsView): Promise<{ before: LedgerSettingsView; after: LedgerSettingsView }> {
  const { before, after } = await updateTenant(scope, { settings: { ledgerFailOpen: input.ledgerFailOpen } });
  return { before: { ledgerFailOpen: before.settings.ledgerFailOpen === true }, after: { ledgerFailOpen: after.settings.ledgerFailOpen === true } };
}
