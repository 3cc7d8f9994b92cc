/**
 * The failover executor: tries a plan's targets in order, retrying each per its policy,
 * and returns the first result. `run` resolves only once an upstream has answered (for a
 * stream: delivered its first event), so everything thrown here happened before a byte
 * reached the client and can still be retried elsewhere.
 */
import { AppError } from "../errors";
import { classifyFailure } from "./health/classify";
import type { RetryPolicy } from "./routing/types";

export type AttemptOptions<P> = {
  /** Waits between tries; tests pass one that returns at once. */
  sleep?: (ms: number) => Promise<void>;
  /** Called for every failed try; `retrying` says whether this target gets another. */
  onFailure?: (target: P, err: unknown, retrying: boolean) => void;
  /** Jitter source in [0, 1). */
  random?: () => number;
  /** For Retry-After given as an HTTP date. */
  now?: () => number;
};

export type AttemptResult<T, P> = { value: T; target: P; attempts: number };

const sleepFor = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Statuses that say "this target, not this request": 408, 409, 429 and everything 5xx. */
function statusFailsOver(status: number): boolean {
  return status >= 500 || status === 408 || status === 409 || status === 429;
}

/** Whether another target might succeed where this one failed. Our own bugs and the caller's mistakes stop here. */
export function failsOver(err: unknown): boolean {
  if (err instanceof AppError) return statusFailsOver(err.status) && err.code !== "internal_error";
  return classifyFailure(err) !== null;
}

function statusOf(err: unknown): number | null {
  if (err instanceof AppError) return err.status;
  return classifyFailure(err) === "timeout" ? 504 : null;
}

/** Retry-After in milliseconds (seconds or an HTTP date), or null when absent or unreadable. */
export function retryAfterMs(err: unknown, now: number): number | null {
  const raw = err instanceof AppError ? err.headers?.["retry-after"]?.trim() : undefined;
  if (!raw) return null;
  if (/^\d+(\.\d+)?$/.test(raw)) return Math.round(Number(raw) * 1000);
  const at = Date.parse(raw);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/**
 * The wait before try `attempt + 1`: exponential doubles per try; both get up to half of
 * the delay as jitter so a crowd of retries spreads out. Capped at maxDelayMs.
 */
export function backoffMs(retry: RetryPolicy, attempt: number, random: () => number): number {
  const base = retry.backoff === "exponential" ? retry.delayMs * 2 ** (attempt - 1) : retry.delayMs;
  const jittered = base / 2 + (base / 2) * random();
  return Math.round(Math.min(retry.maxDelayMs, Math.max(0, jittered)));
}

/**
 * How long to wait before retrying this target after `err`, or null to move on. A provider
 * asking for longer than maxDelayMs is left alone: retrying sooner would only fail again.
 */
export function retryDelay(retry: RetryPolicy, attempt: number, err: unknown, random: () => number, now: number): number | null {
  const status = statusOf(err);
  if (!(attempt < retry.attempts) || status === null || !retry.onStatuses.includes(status)) return null;
  const asked = retry.honorRetryAfter ? retryAfterMs(err, now) : null;
  if (asked !== null) return asked <= retry.maxDelayMs ? asked : null;
  return backoffMs(retry, attempt, random);
}

/**
 * Runs `run` against each target in turn until one succeeds. Returns the value, the target
 * that produced it and the number of tries made in all. A failure that no other target
 * could fix is thrown at once; when every target fails, the last error is thrown.
 */
export async function attemptTargets<T, P extends { retry: RetryPolicy }>(
  targets: readonly P[],
  run: (target: P, attempt: number) => Promise<T>,
  opts: AttemptOptions<P> = {},
): Promise<AttemptResult<T, P>> {
  const sleep = opts.sleep ?? sleepFor;
  const random = opts.random ?? Math.random;
  const now = opts.now ?? Date.now;
  // Built only when needed: an error captures a stack trace, which the hot path should not pay for.
  let last: unknown = null;
  let tries = 0;
  for (const target of targets) {
    for (let attempt = 1; ; attempt++) {
      tries++;
      try {
        return { value: await run(target, attempt), target, attempts: tries };
      } catch (err) {
        last = err;
        if (!failsOver(err)) throw err;
        const delay = retryDelay(target.retry, attempt, err, random, now());
        opts.onFailure?.(target, err, delay !== null);
        if (delay === null) break;
        await sleep(delay);
      }
    }
  }
  throw last ?? new AppError("provider_unavailable", "No provider target is available for this model");
}
