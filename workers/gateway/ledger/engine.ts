/**
 * The ledger's operations over its storage: admit (check limits, reserve the worst case),
 * settle (charge the real cost, release the rest, spot thresholds), expire and report. Each
 * runs start to finish without awaiting, so inside the Durable Object no two interleave:
 * concurrent admits see each other's reservations.
 */
import { newId } from "../../lib/ids";
import { appliesTo, type BudgetState, judgeBudgets, percentOf, remainingOf, thresholdsCrossed, thresholdsToRearm } from "./budget";
import type { BudgetConfig, LedgerConfig } from "./config";
import { budgetHeaders, formatDuration, rateHeaders, seconds, usd } from "./headers";
import { adjust, applicableLimits, bucketKey, checkRates, type RateState, refill } from "./rate";
import type { LedgerSql } from "./sql";
import type { ActualCost, AdmitResult, LedgerRequest, SettleResult, SpendView, ThresholdCrossing } from "./types";
import { parseWindow, windowOf } from "./windows";

/** Unsettled reservations are released after this long (the call path settles every call it admits). */
export const RESERVATION_TTL_MS = 10 * 60_000;
/** A released reservation is remembered this long, so a very late settle still counts its cost. */
export const LATE_SETTLE_MS = 24 * 3_600_000;
/** Counters older than this are dropped: past any month or rolling window. */
export const HISTORY_MS = 62 * 86_400_000;

export type Engine = { sql: LedgerSql; config: LedgerConfig };

function stateOf(e: Engine, budget: BudgetConfig, now: number): BudgetState | null {
  const spec = parseWindow(budget.window);
  if (!spec) return null;
  const window = windowOf(spec, now, e.config.timezone);
  return { budget, window, spent: e.sql.spentIn(budget.id, window.start, window.end), reserved: e.sql.reservedIn(budget.id, window.start, window.end) };
}

function budgetStates(e: Engine, req: LedgerRequest): BudgetState[] {
  return e.config.budgets.flatMap((b) => {
    const s = appliesTo(b, req) ? stateOf(e, b, req.now) : null;
    return s ? [s] : [];
  });
}

function rateStates(e: Engine, req: LedgerRequest): RateState[] {
  const out: RateState[] = [];
  for (const l of applicableLimits(e.config.rateLimits, req.apiKeyId)) {
    if (l.rpm !== null) {
      const key = bucketKey(l, "requests");
      out.push({ key, kind: "requests", scope: l.scope, limit: l.rpm, bucket: refill(e.sql.bucket(key), l.rpm, req.now), cost: 1 });
    }
    if (l.tpm !== null) {
      const key = bucketKey(l, "tokens");
      out.push({ key, kind: "tokens", scope: l.scope, limit: l.tpm, bucket: refill(e.sql.bucket(key), l.tpm, req.now), cost: wholeNonNegative(req.estimatedTokens) });
    }
  }
  return out;
}

function wholeNonNegative(n: number): number {
  return Number.isFinite(n) && n > 0 ? Math.ceil(n) : 0;
}

function rateRefusal(denied: RateState, retryAfterMs: number, states: readonly RateState[], budgets: readonly BudgetState[]): AdmitResult {
  const who = denied.scope === "key" ? "this API key" : "this tenant";
  return {
    ok: false,
    code: "rate_limited",
    message: `Rate limit reached: ${denied.limit} ${denied.kind} per minute for ${who}. Try again in ${formatDuration(retryAfterMs)}.`,
    details: { limit: denied.limit, kind: denied.kind, scope: denied.scope, retryAfterMs },
    headers: { ...rateHeaders(states), ...budgetHeaders(budgets), "retry-after": String(seconds(retryAfterMs)) },
  };
}

function budgetRefusal(s: BudgetState, worstCase: number, states: readonly RateState[], budgets: readonly BudgetState[]): AdmitResult {
  const b = s.budget;
  const left = remainingOf(s);
  const why = worstCase > b.limitNanoUsd ? "this call alone could cost more than its limit" : `$${usd(left)} is left and this call could cost up to $${usd(worstCase)}`;
  return {
    ok: false,
    code: "budget_exceeded",
    message: `Budget '${b.name}' (${b.window}) would be exceeded: ${why}.`,
    details: {
      budgetId: b.id,
      name: b.name,
      scope: b.scope,
      scopeId: b.scopeId,
      window: b.window,
      windowStart: s.window.start,
      windowEnd: s.window.end,
      limitNanoUsd: b.limitNanoUsd,
      spentNanoUsd: s.spent,
      reservedNanoUsd: s.reserved,
      requestedNanoUsd: worstCase,
    },
    headers: { ...rateHeaders(states), ...budgetHeaders(budgets) },
  };
}

/** Admits a call (taking from its rate limits and reserving its worst-case cost) or says why not. */
export function admit(e: Engine, req: LedgerRequest, clock: number): AdmitResult {
  const before = rateStates(e, req);
  const budgets = budgetStates(e, req);
  const rates = checkRates(before);
  if (!rates.ok) return rateRefusal(rates.denied, rates.retryAfterMs, before, budgets);
  const worstCase = wholeNonNegative(req.worstCaseNanoUsd);
  const verdict = judgeBudgets(budgets, worstCase);
  if (verdict.denied) return budgetRefusal(verdict.denied, worstCase, before, budgets);

  for (const s of rates.states) e.sql.putBucket(s.key, s.bucket);
  const id = newId("rsv");
  e.sql.insertReservation(
    {
      id,
      request_id: req.requestId,
      status: "open",
      api_key_id: req.apiKeyId,
      admitted_at: req.now,
      expires_at: clock + RESERVATION_TTL_MS,
      amount: worstCase,
      tokens: wholeNonNegative(req.estimatedTokens),
    },
    budgets.map((s) => ({ budget_id: s.budget.id, bucket_start: s.window.bucketStart, amount: worstCase })),
  );
  const after = budgets.map((s) => ({ ...s, reserved: s.reserved + worstCase }));
  return { ok: true, reservationId: id, headers: { ...rateHeaders(rates.states), ...budgetHeaders(after) }, degradeTo: verdict.degradeTo };
}

// TPM counted the estimate at admission; the real count replaces it now.
function correctTokens(e: Engine, apiKeyId: string | null, estimated: number, actual: number): void {
  const delta = estimated - wholeNonNegative(actual);
  if (delta === 0) return;
  for (const l of applicableLimits(e.config.rateLimits, apiKeyId)) {
    if (l.tpm === null) continue;
    const key = bucketKey(l, "tokens");
    const bucket = e.sql.bucket(key);
    if (bucket) e.sql.putBucket(key, adjust(bucket, l.tpm, delta));
  }
}

function crossingsFor(e: Engine, budgetId: string, at: number, charged: number): ThresholdCrossing[] {
  const budget = e.config.budgets.find((b) => b.id === budgetId);
  const s = budget ? stateOf(e, budget, at) : null;
  if (!budget || !s) return [];
  const marked = e.sql.marks(budget.id, s.window.markKey);
  if (parseWindow(budget.window)?.kind === "rolling") {
    for (const t of thresholdsToRearm(s.spent - charged, budget.limitNanoUsd, marked)) {
      e.sql.unmark(budget.id, s.window.markKey, t);
      marked.delete(t);
    }
  }
  return thresholdsCrossed(s.spent, budget.limitNanoUsd, budget.thresholds, marked).map((t) => {
    e.sql.mark(budget.id, s.window.markKey, t);
    return {
      budgetId: budget.id,
      name: budget.name,
      scope: budget.scope,
      scopeId: budget.scopeId,
      window: budget.window,
      windowStart: s.window.start,
      windowEnd: s.window.end,
      action: budget.action,
      thresholdPercent: t,
      spentNanoUsd: s.spent,
      limitNanoUsd: budget.limitNanoUsd,
      markKey: s.window.markKey,
    };
  });
}

/**
 * Charges a call's real cost to every budget it reserved under (in the window it was
 * admitted in), releases the reservation and corrects the token count. Settling twice, or a
 * reservation that is unknown, changes nothing. Thresholds newly crossed are marked and returned.
 */
export function settle(e: Engine, reservationId: string, actual: ActualCost): SettleResult {
  const r = e.sql.reservation(reservationId);
  if (!r) return { settled: false, crossings: [] };
  const holds = e.sql.holdsOf(reservationId);
  const cost = wholeNonNegative(actual.nanoUsd);
  if (cost > 0) for (const h of holds) e.sql.addSpend(h.budget_id, h.bucket_start, cost);
  correctTokens(e, r.api_key_id, r.tokens, actual.tokens);
  e.sql.deleteReservation(reservationId);
  const crossings = cost > 0 ? holds.flatMap((h) => crossingsFor(e, h.budget_id, r.admitted_at, cost)) : [];
  return { settled: true, crossings };
}

/** Every budget's window at `now`: spent, reserved, remaining. */
export function spendViews(e: Engine, now: number): SpendView[] {
  return e.config.budgets.flatMap((b) => {
    const s = stateOf(e, b, now);
    if (!s) return [];
    return [
      {
        budgetId: b.id,
        name: b.name,
        scope: b.scope,
        scopeId: b.scopeId,
        action: b.action,
        window: b.window,
        windowStart: s.window.start,
        windowEnd: s.window.end,
        limitNanoUsd: b.limitNanoUsd,
        spentNanoUsd: s.spent,
        reservedNanoUsd: s.reserved,
        remainingNanoUsd: remainingOf(s),
        percent: percentOf(s.spent, b.limitNanoUsd),
        enabled: b.enabled,
      },
    ];
  });
}

/** Releases reservations due by `clock`, forgets old ones; returns when the next one is due. */
export function expire(e: Engine, clock: number): { released: number; nextDue: number | null } {
  const released = e.sql.expireDue(clock);
  e.sql.purgeExpired(clock - LATE_SETTLE_MS);
  return { released, nextDue: e.sql.nextDue(LATE_SETTLE_MS) };
}

/** Drops counters past any window, and those of budgets and limits that no longer exist. */
export function prune(e: Engine, now: number): void {
  const keys = e.config.rateLimits.flatMap((l) => [bucketKey(l, "requests"), bucketKey(l, "tokens")]);
  e.sql.prune(now - HISTORY_MS, e.config.budgets.map((b) => b.id), keys);
}
