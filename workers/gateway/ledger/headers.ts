/**
 * The headers that tell a client where it stands: OpenAI's x-ratelimit-* names (which
 * the OpenAI SDKs and most tooling read), the IETF RateLimit-* fields, and the tightest
 * budget's remaining dollars.
 */
import { remainingOf } from "./budget";
import { type RateState, resetMs } from "./rate";

/** A duration the way OpenAI writes x-ratelimit-reset-*: "20ms", "1.5s", "6m0s", "1h2m3s". */
export function formatDuration(ms: number): string {
  const whole = Math.max(0, Math.ceil(ms));
  if (whole < 1000) return `${whole}ms`;
  const h = Math.floor(whole / 3_600_000);
  const m = Math.floor((whole % 3_600_000) / 60_000);
  const s = (whole % 60_000) / 1000;
  const sec = `${Number(s.toFixed(3))}s`;
  if (h > 0) return `${h}h${m}m${sec}`;
  if (m > 0) return `${m}m${sec}`;
  return sec;
}

/** Whole seconds, at least 1: Retry-After and RateLimit-Reset do not do fractions. */
export function seconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

function remaining(s: RateState): number {
  return Math.max(0, Math.floor(s.bucket.tokens));
}

// The limit closest to refusing calls speaks for its kind.
function tightest(states: readonly RateState[]): RateState | null {
  let best: RateState | null = null;
  for (const s of states) {
    if (!best || remaining(s) < remaining(best) || (remaining(s) === remaining(best) && s.limit < best.limit)) best = s;
  }
  return best;
}

/** x-ratelimit-* and ratelimit-* for the limits that apply to a call (none when none do). */
export function rateHeaders(states: readonly RateState[]): Record<string, string> {
  const out: Record<string, string> = {};
  const requests = tightest(states.filter((s) => s.kind === "requests"));
  const tokens = tightest(states.filter((s) => s.kind === "tokens"));
  if (requests) {
    out["x-ratelimit-limit-requests"] = String(requests.limit);
    out["x-ratelimit-remaining-requests"] = String(remaining(requests));
    out["x-ratelimit-reset-requests"] = formatDuration(resetMs(requests.bucket, requests.limit));
  }
  if (tokens) {
    out["x-ratelimit-limit-tokens"] = String(tokens.limit);
    out["x-ratelimit-remaining-tokens"] = String(remaining(tokens));
    out["x-ratelimit-reset-tokens"] = formatDuration(resetMs(tokens.bucket, tokens.limit));
  }
  const primary = requests ?? tokens;
  if (primary) {
    out["ratelimit-limit"] = String(primary.limit);
    out["ratelimit-remaining"] = String(remaining(primary));
    out["ratelimit-reset"] = String(seconds(resetMs(primary.bucket, primary.limit)));
  }
  return out;
}

/** Dollars with nine decimals, like x-auterity-cost-usd. */
export function usd(nanoUsd: number): string {
  return (nanoUsd / 1e9).toFixed(9);
}

/** x-auterity-budget-remaining-usd for the budget with the least left (none when no budget applies). */
export function budgetHeaders(states: readonly { spent: number; reserved: number; budget: { limitNanoUsd: number } }[]): Record<string, string> {
  if (states.length === 0) return {};
  const least = Math.min(...states.map(remainingOf));
  return { "x-auterity-budget-remaining-usd": usd(least) };
}
