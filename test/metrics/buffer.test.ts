/**
 * The per-isolate buffer and its flusher: typed recording, histogram expansion, and
 * increments that survive a failed flush (put back, summed into what came meanwhile).
 */
import { describe, expect, it } from "vitest";
import { bucketOf, createMetricsBuffer } from "../../workers/metrics/buffer";
import { createFlusher, FLUSH_AT_SERIES, FLUSH_INTERVAL_MS, type MetricsShard } from "../../workers/metrics/flush";
import { METRICS } from "../../workers/metrics/registry";
import { mergeSeries, type SeriesEntry } from "../../workers/metrics/series";

const totals = (entries: readonly SeriesEntry[]) => Object.fromEntries(mergeSeries(entries).map(([n, l, v]) => [`${n} ${l}`, v]));

/** A shard that keeps what it is sent and fails while `failing` is set. */
function fakeShard() {
  const received: SeriesEntry[][] = [];
  const state = { failing: false, calls: 0 };
  const shard: MetricsShard = {
    async add(batch) {
      state.calls++;
      if (state.failing) throw new Error("shard unreachable");
      received.push(batch.map((e): SeriesEntry => [...e]));
      return { applied: batch.length };
    },
    async snapshot() {
      return mergeSeries(...received);
    },
  };
  return { shard, received, state };
}

describe("the metrics buffer", () => {
  it("sums counter increments per series, labels in the registry's order", () => {
    const b = createMetricsBuffer();
    b.inc("auterity_http_requests_total", { status: "200", method: "GET", route: "/health" });
    b.inc("auterity_http_requests_total", { route: "/health", method: "GET", status: "200" }, 2);
    b.inc("auterity_gateway_cost_usd_total", { provider: "openai", model: "gpt-4o-mini" }, 0.25);
    expect(b.size()).toBe(2);
    expect(totals(b.take())).toEqual({
      'auterity_http_requests_total {"route":"/health","method":"GET","status":"200"}': 3,
      'auterity_gateway_cost_usd_total {"provider":"openai","model":"gpt-4o-mini"}': 0.25,
    });
    expect(b.size()).toBe(0);
  });

  it("refuses unknown metrics, wrong label names and the wrong kind of metric at compile time", () => {
    const b = createMetricsBuffer();
    // Type-checked, never run: each line is a compile error the project's type check reports.
    const compileErrors = () => {
      // @ts-expect-error not a registered metric
      b.inc("auterity_made_up_total", {});
      // @ts-expect-error a label this counter does not have
      b.inc("auterity_workflow_runs_total", { outcome: "complete", tenant: "t" });
      // @ts-expect-error a label missing
      b.inc("auterity_http_requests_total", { route: "/x", method: "GET" });
      // @ts-expect-error histograms are observed, not incremented
      b.inc("auterity_gateway_ttft_seconds", { provider: "openai" });
      // @ts-expect-error gauges are computed at scrape time, never recorded
      b.inc("auterity_queue_backlog", { queue: "q" });
      // @ts-expect-error counters are incremented, not observed
      b.observe("auterity_workflow_runs_total", { outcome: "complete" }, 1);
    };
    expect(compileErrors).toBeTypeOf("function");
    // An untyped caller that gets it wrong anyway records nothing rather than throwing.
    const untyped = b as unknown as { inc(n: string, l: object): void; observe(n: string, l: object, s: number): void };
    untyped.inc("auterity_made_up_total", {});
    untyped.inc("auterity_gateway_ttft_seconds", { provider: "openai" });
    untyped.observe("auterity_workflow_runs_total", { outcome: "complete" }, 1);
    expect(b.size()).toBe(0);
  });

  it("ignores negative and non-finite amounts rather than corrupting a counter", () => {
    const b = createMetricsBuffer();
    b.inc("auterity_workflow_runs_total", { outcome: "complete" }, -1);
    b.inc("auterity_workflow_runs_total", { outcome: "complete" }, Number.NaN);
    b.observe("auterity_gateway_ttft_seconds", { provider: "openai" }, Number.POSITIVE_INFINITY);
    expect(b.size()).toBe(0);
  });

  it("records an observation as one bucket increment and its value in _sum", () => {
    const b = createMetricsBuffer();
    b.observe("auterity_gateway_ttft_seconds", { provider: "openai" }, 0.3);
    b.observe("auterity_gateway_ttft_seconds", { provider: "openai" }, 0.5);
    b.observe("auterity_gateway_ttft_seconds", { provider: "openai" }, 99);
    b.observe("auterity_gateway_ttft_seconds", { provider: "openai" }, -0.2);
    expect(totals(b.take())).toEqual({
      'auterity_gateway_ttft_seconds_bucket {"provider":"openai","le":"0.5"}': 2,
      'auterity_gateway_ttft_seconds_bucket {"provider":"openai","le":"+Inf"}': 1,
      'auterity_gateway_ttft_seconds_bucket {"provider":"openai","le":"0.05"}': 1,
      'auterity_gateway_ttft_seconds_sum {"provider":"openai"}': 99.8,
    });
  });

  it("puts a value on a bound into that bound's bucket", () => {
    const bounds = METRICS.auterity_http_request_duration_seconds.buckets;
    expect(bucketOf(bounds, 0)).toBe("0.005");
    expect(bucketOf(bounds, 0.005)).toBe("0.005");
    expect(bucketOf(bounds, 0.0051)).toBe("0.01");
    expect(bucketOf(bounds, 10)).toBe("10");
    expect(bucketOf(bounds, 10.01)).toBe("+Inf");
  });

  it("drops a series too large for the store, so it can never block a flush", () => {
    const b = createMetricsBuffer();
    b.inc("auterity_gateway_requests_total", { provider: "p", model: "m".repeat(3_000), status: "200" });
    b.inc("auterity_gateway_requests_total", { provider: "p", model: "m", status: "200" });
    expect(b.take().map(([, labels]) => labels)).toEqual(['{"provider":"p","model":"m","status":"200"}']);
  });

  it("stops taking new series past its limit but keeps adding to the ones it has", () => {
    const b = createMetricsBuffer(2);
    b.inc("auterity_workflow_runs_total", { outcome: "complete" });
    b.inc("auterity_workflow_runs_total", { outcome: "errored" });
    b.inc("auterity_workflow_runs_total", { outcome: "terminated" });
    b.inc("auterity_workflow_runs_total", { outcome: "complete" });
    expect(totals(b.take())).toEqual({ 'auterity_workflow_runs_total {"outcome":"complete"}': 2, 'auterity_workflow_runs_total {"outcome":"errored"}': 1 });
  });
});

describe("flushing", () => {
  it("puts the increments of a failed flush back and sends them, summed, with the next", async () => {
    const b = createMetricsBuffer();
    const { shard, received, state } = fakeShard();
    const flusher = createFlusher<null>({ buffer: b, shard: () => shard, now: () => 0 });
    b.inc("auterity_webhook_deliveries_total", { outcome: "delivered" }, 2);
    state.failing = true;
    await flusher.flush(null);
    expect(state.calls).toBe(1);
    expect(received).toEqual([]);
    expect(b.size()).toBe(1);
    b.inc("auterity_webhook_deliveries_total", { outcome: "delivered" });
    b.inc("auterity_webhook_deliveries_total", { outcome: "failed" });
    state.failing = false;
    await flusher.flush(null);
    expect(totals(received.flat())).toEqual({ 'auterity_webhook_deliveries_total {"outcome":"delivered"}': 3, 'auterity_webhook_deliveries_total {"outcome":"failed"}': 1 });
    expect(b.size()).toBe(0);
  });

  it("keeps only the unsent part when a large flush fails half way", async () => {
    const b = createMetricsBuffer(10_000);
    for (let i = 0; i < 3_000; i++) b.inc("auterity_http_requests_total", { route: `/r/${i}`, method: "GET", status: "200" });
    let sends = 0;
    const received: SeriesEntry[] = [];
    const shard: MetricsShard = {
      async add(batch) {
        if (++sends === 2) throw new Error("second chunk lost");
        received.push(...batch);
        return {};
      },
      snapshot: async () => [],
    };
    const flusher = createFlusher<null>({ buffer: b, shard: () => shard, now: () => 0 });
    await flusher.flush(null);
    expect(received.length).toBeGreaterThan(0);
    expect(received.length + b.size()).toBe(3_000);
    await flusher.flush(null);
    expect(received).toHaveLength(3_000);
    expect(new Set(received.map(([, l]) => l)).size).toBe(3_000);
  });

  it("schedules one flush at a time, waiting out the interval since the last one", async () => {
    const b = createMetricsBuffer();
    const { shard, received } = fakeShard();
    let now = 50_000;
    const flusher = createFlusher<null>({ buffer: b, shard: () => shard, now: () => now });
    const scheduled: Promise<unknown>[] = [];
    const waitUntil = (p: Promise<unknown>) => void scheduled.push(p);

    flusher.flushSoon(null, waitUntil);
    expect(scheduled).toHaveLength(0); // nothing buffered, nothing to do
    b.inc("auterity_gateway_cache_total", { result: "hit" });
    flusher.flushSoon(null, waitUntil);
    b.inc("auterity_gateway_cache_total", { result: "hit" });
    flusher.flushSoon(null, waitUntil);
    expect(scheduled).toHaveLength(1);
    await Promise.all(scheduled);
    expect(totals(received.flat())).toEqual({ 'auterity_gateway_cache_total {"result":"hit"}': 2 });

    // Right after a flush the next one waits; later increments travel with it.
    now += FLUSH_INTERVAL_MS / 2;
    b.inc("auterity_gateway_cache_total", { result: "miss" });
    flusher.flushSoon(null, waitUntil);
    expect(scheduled).toHaveLength(2);
    b.inc("auterity_gateway_cache_total", { result: "miss" });
    await Promise.all(scheduled);
    expect(totals(received.flat())).toEqual({ 'auterity_gateway_cache_total {"result":"hit"}': 2, 'auterity_gateway_cache_total {"result":"miss"}': 2 });
  });

  it("flushes at once when the buffer is large", async () => {
    const b = createMetricsBuffer();
    const { shard, received } = fakeShard();
    const flusher = createFlusher<null>({ buffer: b, shard: () => shard, now: () => 1_000_000 });
    b.inc("auterity_gateway_cache_total", { result: "hit" });
    await flusher.flush(null); // the last flush is now
    for (let i = 0; i < FLUSH_AT_SERIES; i++) b.inc("auterity_http_requests_total", { route: `/r/${i}`, method: "GET", status: "200" });
    const scheduled: Promise<unknown>[] = [];
    flusher.flushSoon(null, (p) => void scheduled.push(p));
    await Promise.all(scheduled);
    expect(received.flat()).toHaveLength(1 + FLUSH_AT_SERIES);
  });

  it("waits for a flush already under way, so a scrape sees everything recorded before it", async () => {
    const b = createMetricsBuffer();
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const received: SeriesEntry[] = [];
    const shard: MetricsShard = {
      async add(batch) {
        await gate;
        received.push(...batch);
        return {};
      },
      snapshot: async () => [],
    };
    const flusher = createFlusher<null>({ buffer: b, shard: () => shard, now: () => 0 });
    b.inc("auterity_workflow_steps_total", { status: "succeeded" });
    const first = flusher.flush(null);
    let secondDone = false;
    const second = flusher.flush(null).then(() => (secondDone = true));
    await Promise.resolve();
    expect(secondDone).toBe(false);
    release();
    await Promise.all([first, second]);
    expect(received).toHaveLength(1);
  });
});
