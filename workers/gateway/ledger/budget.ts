/**
 * Budget arithmetic: which budgets a call falls under, whether it may go ahead, what it
 * may cost at most, and which thresholds its spend has crossed. All money is integer nano-USD.
 */
import type { BudgetConfig } from "./config";
import type { LedgerWindow } from "./windows";

/** Who is calling, as far as budgets care. */
export type Spender = { apiKeyId: string | null; userId: string | null; tags: readonly string[] };

/** Whether a budget covers calls by `who`. Disabled budgets cover no one. */
export function appliesTo(budget: BudgetConfig, who: Spender): boolean {
  if (!budget.enabled) return false;
  switch (budget.scope) {
    case "tenant":
      return true;
    case "key":
      return who.apiKeyId !== null && budget.scopeId === who.apiKeyId;
    case "user":
      return who.userId !== null && budget.scopeId === who.userId;
    case "tag":
      return budget.scopeId !== null && who.tags.includes(budget.scopeId);
  }
}

/** A budget in the window a call falls in: settled spend and open reservations. */
export type BudgetState = { budget: BudgetConfig; window: LedgerWindow; spent: number; reserved: number };

/** What is left under a budget, never below 0. */
export function remainingOf(s: { spent: number; reserved: number; budget: { limitNanoUsd: number } }): number {
  return Math.max(0, s.budget.limitNanoUsd - s.spent - s.reserved);
}

export type BudgetJudgement = { denied: BudgetState | null; degradeTo: string | null };

/**
 * Whether a call that may cost `worstCase` goes ahead. A hard budget refuses any call that
 * could take spend plus reservations past its limit, which is what keeps settled spend under
 * it however many calls run at once. A degrade budget switches the call to its cheaper model
 * once the call would take it to degradeAtPercent of its limit; when several do, the most
 * exhausted one picks. Soft budgets never stop a call.
 */
export function judgeBudgets(states: readonly BudgetState[], worstCase: number): BudgetJudgement {
  let degrade: { to: string; used: number } | null = null;
  for (const s of states) {
    const projected = s.spent + s.reserved + worstCase;
    const limit = s.budget.limitNanoUsd;
    if (s.budget.action === "hard" && projected > limit) return { denied: s, degradeTo: null };
    if (s.budget.action === "degrade" && s.budget.degradeTo && projected * 100 >= limit * s.budget.degradeAtPercent) {
      const used = projected / limit;
      if (!degrade || used > degrade.used) degrade = { to: s.budget.degradeTo, used };
    }
  }
  return { denied: null, degradeTo: degrade?.to ?? null };
}

// Prices are USD per million tokens: one token at 1 USD/Mtok is 1000 nano-USD. They are
// held as integer pico-USD per token, as pricing.ts does, so no float error creeps in.
function picoPerToken(usdPerMtok: number): bigint {
  return Number.isFinite(usdPerMtok) && usdPerMtok > 0 ? BigInt(Math.round(usdPerMtok * 1_000_000)) : 0n;
}

function wholeTokens(n: number): bigint {
  return Number.isFinite(n) && n > 0 ? BigInt(Math.ceil(n)) : 0n;
}

/**
 * The most a call can cost: every prompt token plus the most output it may produce, at the
 * target's prices, rounded up. Output is `maxOutputTokens` when the request sets it, never
 * more than `capOutputTokens` (what the model can produce at most).
 */
export function worstCaseNanoUsd(price: { inputPerMtok: number; outputPerMtok: number }, promptTokens: number, maxOutputTokens: number | null, capOutputTokens: number): number {
  const cap = wholeTokens(capOutputTokens);
  const asked = maxOutputTokens === null ? cap : wholeTokens(maxOutputTokens);
  const output = asked < cap ? asked : cap;
  const pico = wholeTokens(promptTokens) * picoPerToken(price.inputPerMtok) + output * picoPerToken(price.outputPerMtok);
  return Number((pico + 999n) / 1000n);
}

/** Spend as a percentage of the limit, two decimals. */
export function percentOf(spent: number, limit: number): number {
  return limit > 0 ? Math.round((spent * 10_000) / limit) / 100 : 0;
}

/** Thresholds (percent of `limit`) that `spent` has reached and that have not been marked yet, ascending. */
export function thresholdsCrossed(spent: number, limit: number, thresholds: readonly number[], marked: ReadonlySet<number>): number[] {
  return [...new Set(thresholds)].filter((t) => !marked.has(t) && spent * 100 >= limit * t).sort((a, b) => a - b);
}

/**
 * Marked thresholds that spend was under just before the latest charge (rolling windows
 * only: their spend falls as time passes), so crossing them again fires again.
 */
export function thresholdsToRearm(spentBefore: number, limit: number, marked: ReadonlySet<number>): number[] {
  return [...marked].filter((t) => spentBefore * 100 < limit * t);
}
