/**
 * What one benchmark run does: the phases, their length, and the request bodies.
 * BENCH_DURATION / BENCH_WARMUP (seconds) shorten or lengthen every phase; BENCH_TARGETS
 * (comma-separated: sim,passthrough,auterity,profile,portkey,wranglerDev) runs only some of
 * the parts; BENCH_MICRO=0 skips the micro-benchmarks.
 */

function seconds(name: string, fallback: number): number {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

export const WARMUP_SEC = seconds("BENCH_WARMUP", 2);
export const DURATION_SEC = seconds("BENCH_DURATION", 5);

export const HTTP_CONCURRENCY = [1, 10, 50] as const;
export const STREAM_CONCURRENCY = [1, 10, 50, 100] as const;
/** wrangler dev is measured only to show the ceiling its reload proxy puts on a run. */
export const WRANGLER_DEV_CONCURRENCY = [10, 50] as const;
/** A stream loop stops after this many streams even if its time is not up. */
export const MAX_STREAMS_PER_PHASE = 200_000;

export const MODEL = "gpt-4o-mini";
/** Streamed prompts carry this marker; the simulator paces answers that contain it. */
export const STREAM_MARKER = "bench-paced-stream";
/** Tokens per second of a paced stream: 48 tokens arrive over roughly 45 ms. */
export const STREAM_TOKENS_PER_SECOND = 1000;

export const CHAT_BODY = JSON.stringify({
  model: MODEL,
  max_tokens: 32,
  messages: [{ role: "user", content: "Say hello to the dealership." }],
});

export const STREAM_BODY = JSON.stringify({
  model: MODEL,
  max_tokens: 48,
  stream: true,
  stream_options: { include_usage: true },
  messages: [{ role: "user", content: `${STREAM_MARKER}: Say hello to the dealership.` }],
});

/** The memory check: rounds of 100 concurrent streams against the Auterity Worker. */
export const MEMORY = { concurrency: 100, rounds: 3, roundSec: 4, idleSec: 2.5, sampleEveryMs: 100 } as const;

const ALL_TARGETS = ["sim", "passthrough", "auterity", "profile", "portkey", "wranglerDev"] as const;
const chosen = (process.env.BENCH_TARGETS ?? "").split(",").map((s) => s.trim()).filter((s) => s !== "");

/** Whether a target takes part in this run. */
export function runs(id: (typeof ALL_TARGETS)[number]): boolean {
  return chosen.length === 0 || chosen.includes(id);
}
