/**
 * Sending this isolate's buffered increments to its MetricsStore shard. Each isolate picks
 * one of SHARD_COUNT shards at random, once, so writes spread over the shards without any
 * coordination. A failed send puts its increments back into the buffer: they are counted
 * late, never lost (an error after the shard applied a batch counts it twice, which a
 * counter survives better than a gap).
 */
import { log } from "../lib/log";
import { metrics, type MetricsBuffer } from "./buffer";
import { MAX_BATCH_ENTRIES, type SeriesEntry } from "./series";

export const SHARD_COUNT = 4;
export const SHARD_NAMES: readonly string[] = Array.from({ length: SHARD_COUNT }, (_, i) => `shard-${i}`);
/** At most one flush per isolate this often, unless the buffer grows past FLUSH_AT_SERIES. */
export const FLUSH_INTERVAL_MS = 1_000;
export const FLUSH_AT_SERIES = 500;
// A scheduled flush whose pause never ended (its invocation was cut short) stops blocking new ones after this.
const SCHEDULE_EXPIRES_MS = 10_000;

/** One shard's RPC surface; the Durable Object stub in production. Readers parse what snapshot answers. */
export type MetricsShard = { add(batch: SeriesEntry[]): Promise<unknown>; snapshot(): Promise<unknown> };

export function metricsShard(env: Env, name: string): MetricsShard {
  return env.METRICS.get(env.METRICS.idFromName(name));
}

/** `C` is what a shard stub is made from: the Worker's env in production. */
export type FlushDeps<C> = { buffer: MetricsBuffer; shard: (from: C) => MetricsShard; now: () => number };

type FlushState = { lastFlushAt: number; scheduledAt: number | null; inFlight: Set<Promise<void>> };

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A flusher over one buffer; the isolate's own is below, tests build their own. */
export function createFlusher<C>(deps: FlushDeps<C>) {
  const state: FlushState = { lastFlushAt: Number.NEGATIVE_INFINITY, scheduledAt: null, inFlight: new Set() };

  async function send(from: C, entries: SeriesEntry[]): Promise<void> {
    for (let i = 0; i < entries.length; i += MAX_BATCH_ENTRIES) {
      try {
        await deps.shard(from).add(entries.slice(i, i + MAX_BATCH_ENTRIES));
      } catch (err) {
        deps.buffer.putBack(entries.slice(i));
        log.warn("metrics flush failed; increments kept for the next one", { err, series: entries.length - i });
        return;
      }
    }
  }

  /** Sends everything buffered now and waits for flushes already under way; never throws. */
  async function flush(from: C): Promise<void> {
    const entries = deps.buffer.take();
    if (entries.length > 0) {
      state.lastFlushAt = deps.now();
      const sending = send(from, entries);
      state.inFlight.add(sending);
      void sending.finally(() => state.inFlight.delete(sending));
    }
    await Promise.all([...state.inFlight]);
  }

  /**
   * Called when a request, batch or cron run is done: flushes through `waitUntil` once the
   * last flush is FLUSH_INTERVAL_MS old (at once when the buffer is large). Increments made
   * while a flush is scheduled travel with it.
   */
  function flushSoon(from: C, waitUntil: (p: Promise<unknown>) => void): void {
    if (deps.buffer.size() === 0) return;
    const now = deps.now();
    if (state.scheduledAt !== null && now - state.scheduledAt < SCHEDULE_EXPIRES_MS) return;
    const delay = deps.buffer.size() >= FLUSH_AT_SERIES ? 0 : Math.max(0, Math.min(FLUSH_INTERVAL_MS, state.lastFlushAt + FLUSH_INTERVAL_MS - now));
    const scheduledAt = now;
    state.scheduledAt = scheduledAt;
    waitUntil(
      pause(delay).then(() => {
        if (state.scheduledAt === scheduledAt) state.scheduledAt = null;
        return flush(from);
      }),
    );
  }

  return { flush, flushSoon };
}

let shardName: string | null = null;

const isolate = createFlusher<Env>({
  buffer: metrics,
  shard: (env) => {
    shardName ??= SHARD_NAMES[Math.floor(Math.random() * SHARD_COUNT)] ?? "shard-0";
    return metricsShard(env, shardName);
  },
  now: () => Date.now(),
});

/** Flushes this isolate's buffer now (the scrape does, before it reads the shards). */
export function flushMetrics(env: Env): Promise<void> {
  return isolate.flush(env);
}

/** Schedules a flush of this isolate's buffer in `waitUntil` (see createFlusher's flushSoon). */
export function flushMetricsSoon(env: Env, waitUntil: (p: Promise<unknown>) => void): void {
  isolate.flushSoon(env, waitUntil);
}
