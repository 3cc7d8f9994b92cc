/**
 * A budget's burn rate and the day it runs out at that pace: plain arithmetic over what the
 * ledger says is spent in the window and what the usage log says was spent lately.
 *
 * Burn rate: spend over the last 7 days (or since the window began, if later) divided by
 * the days in that span. Calendar windows (day, month) project to the window's end. Rolling
 * windows never end: their spend settles at burn rate x window length, and on the way the
 * spend that ages out is taken to have been spread evenly over the window.
 */
export const DAY_MS = 86_400_000;
/** How far back the burn rate looks. */
export const RATE_SPAN_MS = 7 * DAY_MS;

export type BudgetForecastInput = {
  now: number;
  /** The window's length for a rolling window; null for calendar windows. */
  rollingMs: number | null;
  windowStart: number;
  windowEnd: number;
  limitNanoUsd: number;
  /** Spent in the current window (the ledger's count). */
  spentNanoUsd: number;
  /** Spent from rateFrom(now, windowStart) until now (the usage log's count). */
  recentSpendNanoUsd: number;
};

export type BudgetForecast = {
  /** Where the burn rate's span begins; it ends now. */
  rateFrom: number;
  burnRateNanoUsdPerDay: number;
  /** Spend at `projectedAt` at this pace: the window's end, or one window length ahead for a rolling window. */
  projectedNanoUsd: number;
  projectedAt: number;
  /** When spend reaches the limit at this pace (now if it has already); null when it does not before projectedAt. */
  runOutAt: number | null;
  /** runOutAt's UTC date, YYYY-MM-DD. */
  runOutDate: string | null;
  runsOutBeforeWindowEnd: boolean;
};

/** The start of the span the burn rate is measured over. */
export function rateFrom(now: number, windowStart: number): number {
  return Math.max(windowStart, now - RATE_SPAN_MS);
}

/** YYYY-MM-DD of an instant, in UTC. */
export function utcDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function forecastBudget(input: BudgetForecastInput): BudgetForecast {
  const { now, limitNanoUsd: limit, spentNanoUsd: spent } = input;
  const from = rateFrom(now, input.windowStart);
  const spanDays = (now - from) / DAY_MS;
  const rate = spanDays > 0 ? input.recentSpendNanoUsd / spanDays : 0;
  const horizon = input.rollingMs === null ? input.windowEnd : now + input.rollingMs;
  const horizonDays = (horizon - now) / DAY_MS;
  // How fast spend in the window grows: all of it for a calendar window; less what ages out for a rolling one.
  const net = input.rollingMs === null ? rate : rate - spent / (input.rollingMs / DAY_MS);
  const projected = spent + net * horizonDays;
  let runOutAt: number | null = null;
  if (spent >= limit) runOutAt = now;
  else if (net > 0) {
    const at = now + ((limit - spent) / net) * DAY_MS;
    if (at < horizon) runOutAt = Math.round(at);
  }
  return {
    rateFrom: from,
    burnRateNanoUsdPerDay: Math.round(rate),
    projectedNanoUsd: Math.round(Math.max(0, projected)),
    projectedAt: horizon,
    runOutAt,
    runOutDate: runOutAt === null ? null : utcDate(runOutAt),
    runsOutBeforeWindowEnd: runOutAt !== null,
  };
}
