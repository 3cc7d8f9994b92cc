/**
 * The retry schedule: attempt 1 at once, then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h
 * after the previous failure, each with ±10 % jitter so a receiver coming back is not hit
 * by every sender at the same instant. A Retry-After longer than the next step wins.
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** Delay before attempt n+1 (index n-1 for the delay before attempt n). */
export const RETRY_SCHEDULE_MS = [0, 5 * SECOND, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 5 * HOUR, 10 * HOUR, 10 * HOUR] as const;

/** Attempts a message gets before it is marked failed. */
export const MAX_ATTEMPTS = RETRY_SCHEDULE_MS.length;

/** The longest Retry-After honoured; a longer one is cut to this. */
export const MAX_RETRY_AFTER_MS = 24 * HOUR;

const JITTER = 0.1;

/**
 * How long to wait after failed attempt `attempt` (1-based) before the next one, or null
 * when that was the last. `random` returns [0, 1); `retryAfterMs` is the receiver's ask.
 */
export function nextRetryDelay(attempt: number, random: () => number, retryAfterMs: number | null = null): number | null {
  const base = RETRY_SCHEDULE_MS[attempt];
  if (attempt < 1 || base === undefined) return null;
  const jittered = Math.round(base * (1 - JITTER + 2 * JITTER * random()));
  if (retryAfterMs === null) return jittered;
  return Math.max(jittered, Math.min(retryAfterMs, MAX_RETRY_AFTER_MS));
}

/** Parses a Retry-After header (seconds or an HTTP date) into ms from `now`; null if absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number): number | null {
  if (!value) return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * SECOND;
  // An HTTP date starts with a day name ("Sun, 06 Nov 1994 08:49:37 GMT"); Date.parse alone accepts "-5".
  const at = /^[A-Za-z]{3},/.test(text) ? Date.parse(text) : Number.NaN;
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}
