/**
 * Percentiles from raw samples (milliseconds, sub-millisecond precision kept).
 */

export type Summary = { count: number; mean: number; p50: number; p90: number; p99: number; max: number };

function round(n: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/** Nearest-rank percentile of sorted samples. */
function rank(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

/** Count, mean, p50/p90/p99 and max of `samples` (the first `n` entries). */
export function summarize(samples: Float64Array, n = samples.length): Summary {
  const sorted = samples.slice(0, n).sort();
  let sum = 0;
  for (const v of sorted) sum += v;
  return {
    count: n,
    mean: n ? round(sum / n) : Number.NaN,
    p50: round(rank(sorted, 50)),
    p90: round(rank(sorted, 90)),
    p99: round(rank(sorted, 99)),
    max: n ? round(sorted[n - 1]!) : Number.NaN,
  };
}

/** A bounded sample buffer: keeps the first `capacity` values, counts the rest. */
export class Samples {
  private readonly buf: Float64Array;
  private n = 0;
  dropped = 0;

  constructor(capacity: number) {
    this.buf = new Float64Array(capacity);
  }

  add(v: number): void {
    if (this.n < this.buf.length) this.buf[this.n++] = v;
    else this.dropped++;
  }

  get size(): number {
    return this.n;
  }

  summary(): Summary {
    return summarize(this.buf, this.n);
  }
}
