/**
 * How the rest of the Worker talks to a tenant's TenantLedger: admit before a provider is
 * called, settle after (in waitUntil), read spend, push configuration changes.
 */
import { eq } from "drizzle-orm";
import { tenants } from "../../../d1/schema";
import { makeDb, type Db } from "../../db";
import { AppError } from "../../errors";
import { log } from "../../lib/log";
import type { ActualCost, Admission, AdmitResult, LedgerRequest, SpendView } from "./types";

/** How long admission waits for the ledger before treating it as unreachable. */
const ADMIT_TIMEOUT_MS = 5_000;

/** The tenant's ledger object. */
export function ledgerOf(env: Env, tenantId: string) {
  return env.TENANT_LEDGER.get(env.TENANT_LEDGER.idFromName(tenantId));
}

/** The ledger as admission needs it; the Durable Object stub in production. */
export type AdmitPort = { admit(tenantId: string, req: LedgerRequest): Promise<AdmitResult> };

/** Whether a tenant asked for calls to go ahead when its ledger cannot be reached (tenants.settings.ledgerFailOpen). */
export async function ledgerFailsOpen(db: Db, tenantId: string): Promise<boolean> {
  const row = await db.query.tenants.findFirst({ columns: { settings: true }, where: eq(tenants.id, tenantId) });
  return row?.settings.ledgerFailOpen === true;
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Admits a call through `port`. Refusals become AppError rate_limited (429, with
 * retry-after) or budget_exceeded (402), both carrying the rate-limit headers. A ledger that
 * cannot be reached refuses the call (503) unless the tenant chose to fail open.
 */
export async function admitThrough(port: AdmitPort, failsOpen: () => Promise<boolean>, tenantId: string, req: LedgerRequest): Promise<Admission> {
  let result: AdmitResult;
  try {
    result = await withTimeout(port.admit(tenantId, req), ADMIT_TIMEOUT_MS);
  } catch (err) {
    log.error("ledger unreachable", { tenantId, err });
    if (await failsOpen().catch(() => false)) return { reservationId: "", headers: {}, degradeTo: null, failOpen: true };
    throw new AppError("provider_unavailable", "The budget ledger is unreachable, so the call was not made (budgets cannot be checked). Try again shortly.");
  }
  if (!result.ok) throw new AppError(result.code, result.message, result.details, undefined, result.headers);
  return { reservationId: result.reservationId, headers: result.headers, degradeTo: result.degradeTo, failOpen: false };
}

/** Admits a call for `tenantId` or throws (429 rate_limited, 402 budget_exceeded, 503 ledger unreachable). */
export async function admitCall(env: Env, tenantId: string, req: LedgerRequest): Promise<Admission> {
  return admitThrough(ledgerOf(env, tenantId), () => ledgerFailsOpen(makeDb(env.DB), tenantId), tenantId, req);
}

/**
 * Charges an admitted call's real cost and token count (nanoUsd 0 for a failed call). Meant
 * for waitUntil: it never throws; a reservation left unsettled is released by the ledger's alarm.
 */
export async function settleCall(env: Env, tenantId: string, reservationId: string, actual: ActualCost): Promise<void> {
  if (!reservationId) return;
  try {
    await ledgerOf(env, tenantId).settle(tenantId, reservationId, actual);
  } catch (err) {
    log.error("ledger settle failed", { tenantId, reservationId, err });
  }
}

/** Every budget's current window, from the ledger. */
export async function ledgerSpend(env: Env, tenantId: string, now = Date.now()): Promise<SpendView[]> {
  try {
    return await ledgerOf(env, tenantId).spend(tenantId, now);
  } catch (err) {
    log.error("ledger spend read failed", { tenantId, err });
    throw new AppError("provider_unavailable", "The budget ledger is unreachable; try again shortly.");
  }
}

/** One budget's current window; a budget the ledger has not taken yet makes it reload first. */
export async function budgetSpend(env: Env, tenantId: string, budgetId: string, now = Date.now()): Promise<SpendView> {
  const find = async () => (await ledgerSpend(env, tenantId, now)).find((s) => s.budgetId === budgetId);
  let view = await find();
  if (!view) {
    await reloadLedger(env, tenantId);
    view = await find();
  }
  if (!view) throw new AppError("provider_unavailable", "The budget ledger has not taken this budget yet; try again shortly.");
  return view;
}

/**
 * Makes the ledger reload its configuration from D1. A failure is logged, not thrown: the
 * change is saved and the ledger picks it up on its own within a minute.
 */
export async function reloadLedger(env: Env, tenantId: string): Promise<void> {
  try {
    await ledgerOf(env, tenantId).configure(tenantId);
  } catch (err) {
    log.error("ledger reload failed", { tenantId, err });
  }
}
