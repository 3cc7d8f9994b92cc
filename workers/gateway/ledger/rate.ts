/**
 * Requests and tokens per minute as token buckets: a bucket holds up to `limit` and refills
 * at `limit` per minute, so bursts up to the limit pass and the long-run rate never exceeds
 * it. A call larger than the whole bucket passes only when the bucket is full and leaves it
 * in debt, which later calls wait out.
 */
import type { RateLimitConfig } from "./config";

export const MINUTE_MS = 60_000;

export type Bucket = { tokens: number; updatedAt: number };

/** The bucket at `now`: refilled for the time since it was last touched (never past `limit`). */
export function refill(bucket: Bucket | null, limit: number, now: number): Bucket {
  if (!bucket) return { tokens: limit, updatedAt: now };
  // Callers' clocks differ slightly; time never runs backwards for a bucket.
  const elapsed = Math.max(0, now - bucket.updatedAt);
  return { tokens: Math.min(limit, bucket.tokens + (elapsed * limit) / MINUTE_MS), updatedAt: Math.max(now, bucket.updatedAt) };
}

/** How long until `cost` may be taken (0 = now). */
export function waitMs(bucket: Bucket, limit: number, cost: number): number {
  const need = Math.min(cost, limit);
  if (bucket.tokens >= need) return 0;
  return Math.ceil(((need - bucket.tokens) * MINUTE_MS) / limit);
}

/** How long until the bucket is full again. */
export function resetMs(bucket: Bucket, limit: number): number {
  return Math.ceil((Math.max(0, limit - bucket.tokens) * MINUTE_MS) / limit);
}

/** Gives back (positive) or takes (negative) tokens after the fact, capped at the limit. */
export function adjust(bucket: Bucket, limit: number, delta: number): Bucket {
  return { tokens: Math.min(limit, bucket.tokens + delta), updatedAt: bucket.updatedAt };
}

export type RateKind = "requests" | "tokens";

/** One limit as it applies to one call. */
export type RateState = { key: string; kind: RateKind; scope: RateLimitConfig["scope"]; limit: number; bucket: Bucket; cost: number };

export type RateVerdict = { ok: true; states: RateState[] } | { ok: false; states: RateState[]; denied: RateState; retryAfterMs: number };

/** The bucket key of one limit: one bucket per scope and kind. */
export function bucketKey(limit: RateLimitConfig, kind: RateKind): string {
  return `${kind === "requests" ? "rpm" : "tpm"}:${limit.scope}:${limit.scopeId}`;
}

/** The limits that apply to a call: the tenant's, and its API key's. */
export function applicableLimits(limits: readonly RateLimitConfig[], apiKeyId: string | null): RateLimitConfig[] {
  return limits.filter((l) => l.scope === "tenant" || (apiKeyId !== null && l.scopeId === apiKeyId));
}

/**
 * Checks every limit before taking from any, so a call refused by one limit costs nothing
 * under the others. Admitted: the buckets after taking. Refused: the buckets untouched and
 * how long until every limit would let the call through.
 */
export function checkRates(states: readonly RateState[]): RateVerdict {
  let denied: RateState | null = null;
  let retryAfterMs = 0;
  for (const s of states) {
    const wait = waitMs(s.bucket, s.limit, s.cost);
    if (wait > retryAfterMs) {
      retryAfterMs = wait;
      denied = s;
    }
  }
  if (denied) return { ok: false, states: [...states], denied, retryAfterMs };
  return { ok: true, states: states.map((s) => ({ ...s, bucket: { ...s.bucket, tokens: s.bucket.tokens - s.cost } })) };
}
