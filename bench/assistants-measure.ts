/**
 * Time to first token, read off the wire as a client sees it: the time from sending the
 * request to the first frame that carries answer text (a Chat Completions chunk with
 * non-empty `delta.content`, or the chat endpoint's first `delta` event). Each stream is then
 * read to its end, so a measured turn is a finished one (stored, for the assistant).
 */
import { performance } from "node:perf_hooks";
import { z } from "zod";

/** One SSE frame: its `event:` name (or "message") and its joined `data:` lines. */
export type Frame = { event: string; data: string };

export type Timed = { ttftMs: number; totalMs: number; events: Set<string> };

const ContentChunk = z.object({ choices: z.array(z.object({ delta: z.object({ content: z.string().nullish() }).nullish() })) });
const ErrorEvent = z.object({ code: z.string(), message: z.string() });

function parseFrame(raw: string): Frame {
  let event = "message";
  const data: string[] = [];
  for (const line of raw.split("\n")) {
    if (line.startsWith("event:")) event = line.slice(6).trim();
    else if (line.startsWith("data:")) data.push(line.slice(5).trimStart());
  }
  return { event, data: data.join("\n") };
}

async function* framesOf(body: ReadableStream<Uint8Array>): AsyncGenerator<Frame> {
  const decoder = new TextDecoder();
  let buffer = "";
  for await (const bytes of body) {
    buffer += decoder.decode(bytes, { stream: true }).replace(/\r\n/g, "\n");
    let end = buffer.indexOf("\n\n");
    while (end >= 0) {
      const raw = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      end = buffer.indexOf("\n\n");
      if (raw.trim()) yield parseFrame(raw);
    }
  }
}

function jsonOrNull(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** A Chat Completions chunk that carries answer text. */
export function isContentChunk(f: Frame): boolean {
  if (f.data === "[DONE]") return false;
  const chunk = ContentChunk.safeParse(jsonOrNull(f.data));
  return chunk.success && Boolean(chunk.data.choices[0]?.delta?.content);
}

/** The chat endpoint's first piece of the answer. */
export function isDeltaEvent(f: Frame): boolean {
  return f.event === "delta";
}

/**
 * Sends one request and times it: first frame `isFirst` accepts, and the end of the stream.
 * A non-200 answer, an `error` event or a stream without answer text throws.
 */
export async function timeStream(url: string, init: RequestInit, isFirst: (f: Frame) => boolean): Promise<Timed> {
  const started = performance.now();
  const res = await fetch(url, init);
  if (res.status !== 200 || !res.body) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  let ttftMs = Number.NaN;
  const events = new Set<string>();
  for await (const f of framesOf(res.body)) {
    if (Number.isNaN(ttftMs) && isFirst(f)) ttftMs = performance.now() - started;
    events.add(f.event);
    if (f.event === "error") {
      const e = ErrorEvent.safeParse(jsonOrNull(f.data));
      throw new Error(`${url}: error event ${e.success ? `${e.data.code}: ${e.data.message}` : f.data}`);
    }
  }
  if (Number.isNaN(ttftMs)) throw new Error(`${url}: the stream ended without answer text`);
  return { ttftMs, totalMs: performance.now() - started, events };
}

export type Percentiles = { count: number; min: number; p50: number; p95: number; p99: number; max: number; mean: number };

const round = (n: number) => Math.round(n * 100) / 100;

/** Nearest-rank percentiles of `samples` (milliseconds, two decimals). */
export function percentiles(samples: readonly number[]): Percentiles {
  const sorted = [...samples].sort((x, y) => x - y);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
  const mean = sorted.reduce((s, v) => s + v, 0) / Math.max(1, sorted.length);
  return { count: sorted.length, min: round(sorted[0] ?? Number.NaN), p50: round(at(50)), p95: round(at(95)), p99: round(at(99)), max: round(sorted[sorted.length - 1] ?? Number.NaN), mean: round(mean) };
}

/** Runs `task(i)` for i < n with at most `limit` in flight. */
export async function pool(n: number, limit: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, n) }, async () => {
    while (next < n) await task(next++);
  }));
}
