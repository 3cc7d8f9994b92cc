/**
 * Load generator process for streamed calls: N concurrent loops, each sending one
 * streaming request at a time and reading it to the end. Per stream it records the time
 * to the first body byte, to the first content token, and to the end. Loops stop at a
 * deadline or a stream count, whichever comes first. Prints one JSON line.
 *
 *   node --import tsx bench/load/stream-load.ts '<StreamLoadSpec as JSON>'
 */
import { Agent, request } from "node:http";
import { Samples } from "../lib/stats.ts";
import { streamLoadSpec, type StreamLoadSpec } from "./protocol.ts";

type Timing = { ok: boolean; ttfbMs: number; ttftMs: number; totalMs: number };
type Tally = { ttfb: Samples; ttft: Samples; total: Samples; ok: number; failed: number; started: number };

// The first content token: a delta carrying a non-empty "content" string.
const FIRST_TOKEN = /"content":"[^"]/;
const STREAM_TIMEOUT_MS = 30_000;

function oneStream(spec: StreamLoadSpec, agent: Agent, body: Buffer): Promise<Timing> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    let ttfb = -1;
    let ttft = -1;
    let tail = "";
    const done = (ok: boolean): void => resolve({ ok, ttfbMs: ttfb, ttftMs: ttft, totalMs: performance.now() - t0 });
    const req = request(spec.url, { method: "POST", agent, headers: { ...spec.headers, "content-length": String(body.length) }, timeout: STREAM_TIMEOUT_MS }, (res) => {
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        const now = performance.now();
        if (ttfb < 0) ttfb = now - t0;
        const text = tail + chunk;
        if (ttft < 0 && FIRST_TOKEN.test(text)) ttft = now - t0;
        tail = text.slice(-64);
      });
      res.on("end", () => done(res.statusCode === 200 && ttft >= 0 && tail.includes("[DONE]")));
      res.on("error", () => done(false));
    });
    req.on("timeout", () => req.destroy());
    req.on("error", () => done(false));
    req.end(body);
  });
}

function newTally(cap: number): Tally {
  return { ttfb: new Samples(cap), ttft: new Samples(cap), total: new Samples(cap), ok: 0, failed: 0, started: 0 };
}

async function loop(spec: StreamLoadSpec, agent: Agent, body: Buffer, deadline: number, tally: Tally, budget: { left: number }): Promise<void> {
  while (performance.now() < deadline && budget.left > 0) {
    budget.left--;
    const t = await oneStream(spec, agent, body);
    tally.started++;
    if (!t.ok) {
      tally.failed++;
      continue;
    }
    tally.ok++;
    tally.ttfb.add(t.ttfbMs);
    tally.ttft.add(t.ttftMs);
    tally.total.add(t.totalMs);
  }
}

async function phase(spec: StreamLoadSpec, agent: Agent, seconds: number, tally: Tally): Promise<number> {
  const body = Buffer.from(spec.body);
  const started = performance.now();
  const budget = { left: spec.maxStreams };
  const loops = Array.from({ length: spec.concurrency }, () => loop(spec, agent, body, started + seconds * 1000, tally, budget));
  await Promise.all(loops);
  return (performance.now() - started) / 1000;
}

async function main(): Promise<void> {
  const spec = streamLoadSpec.parse(JSON.parse(process.argv[2] ?? "{}"));
  const agent = new Agent({ keepAlive: true, maxSockets: spec.concurrency });
  const warm = newTally(spec.maxStreams);
  if (spec.warmupSec > 0) await phase(spec, agent, spec.warmupSec, warm);
  const tally = newTally(spec.maxStreams);
  const seconds = await phase(spec, agent, spec.durationSec, tally);
  agent.destroy();
  process.stdout.write(
    `${JSON.stringify({
      concurrency: spec.concurrency,
      warmupOk: warm.ok,
      seconds: Math.round(seconds * 100) / 100,
      ok: tally.ok,
      failed: tally.failed,
      streamsPerSec: Math.round(tally.ok / seconds),
      ttfbMs: tally.ttfb.summary(),
      ttftMs: tally.ttft.summary(),
      totalMs: tally.total.summary(),
    })}\n`,
  );
}

await main();
