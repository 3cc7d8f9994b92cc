/**
 * The sliding window of outcomes: one bucket of counts per second, oldest first. A minute of
 * traffic is at most 60 small records, whatever the request rate.
 */
export const FAILURE_KINDS = ["rate_limited", "server_error", "timeout", "connection", "stream_cut"] as const;
export type FailureKind = (typeof FAILURE_KINDS)[number];
export type FailureCounts = Record<FailureKind, number>;

export type Bucket = { second: number; calls: number; failures: number; kinds: FailureCounts };
export type WindowTotals = { calls: number; failures: number; kinds: FailureCounts };

export function noFailures(): FailureCounts {
  return { rate_limited: 0, server_error: 0, timeout: 0, connection: 0, stream_cut: 0 };
}

/** The first second still inside a window of `windowMs` ending at `now`. */
export function windowStart(now: number, windowMs: number): number {
  return Math.floor(now / 1000) - Math.max(1, Math.ceil(windowMs / 1000)) + 1;
}

/** Buckets still inside the window at `now`. */
export function prune(buckets: readonly Bucket[], now: number, windowMs: number): Bucket[] {
  const from = windowStart(now, windowMs);
  return buckets.filter((b) => b.second >= from);
}

/** The window with one more call counted at `now` (a failure when `kind` is given), pruned. */
export function countCall(buckets: readonly Bucket[], now: number, windowMs: number, kind: FailureKind | null): Bucket[] {
  const kept = prune(buckets, now, windowMs);
  const last = kept[kept.length - 1];
  // A report that arrives a little out of order is counted in the newest second, not dropped.
  const second = Math.max(Math.floor(now / 1000), last?.second ?? -Infinity);
  const reuse = last !== undefined && last.second === second;
  const bucket: Bucket = reuse ? { ...last, kinds: { ...last.kinds } } : { second, calls: 0, failures: 0, kinds: noFailures() };
  bucket.calls += 1;
  if (kind) {
    bucket.failures += 1;
    bucket.kinds[kind] += 1;
  }
  return reuse ? [...kept.slice(0, -1), bucket] : [...kept, bucket];
}

/** Calls, failures and failures by kind inside the window at `now`. */
export function totals(buckets: readonly Bucket[], now: number, windowMs: number): WindowTotals {
  const sum: WindowTotals = { calls: 0, failures: 0, kinds: noFailures() };
  for (const b of prune(buckets, now, windowMs)) {
    sum.calls += b.calls;
    sum.failures += b.failures;
    for (const k of FAILURE_KINDS) sum.kinds[k] += b.kinds[k];
  }
  return sum;
}
