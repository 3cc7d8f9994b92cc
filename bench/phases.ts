/**
 * The phases of a run against one target: non-streamed load at each concurrency, then
 * streamed load, each in its own load process; and the memory check of the Auterity Worker.
 */
import { join } from "node:path";
import { CHAT_BODY, DURATION_SEC, MAX_STREAMS_PER_PHASE, MEMORY, STREAM_BODY, WARMUP_SEC } from "./config.ts";
import { cpuSnapshot, foreignCpuPct, rssMiB, serverCpuMs } from "./lib/machine.ts";
import { simSeq } from "./lib/net.ts";
import { runHttpLoad, runStreamLoad } from "./load/run-load.ts";
import type { HttpPhase, MemoryResult, MemoryRound, MemorySample, StreamPhase, TargetId, TargetResult } from "./results.ts";

/** How to call one system under test. */
export type Target = {
  id: TargetId;
  label: string;
  url: string;
  headers: Record<string, string>;
  http: readonly number[];
  stream: readonly number[];
  /** Root of the server's process tree, whose CPU is charged to it (null: not measured). */
  serverPid: number | null;
};

export type PhaseEnv = { root: string; logs: string; simUrl: string; say: (line: string) => void };

const sleep = (msec: number): Promise<void> => new Promise((r) => setTimeout(r, msec));

/**
 * Other work on this machine skews every figure, so a phase waits (a few seconds at most)
 * for half a second in which other processes use under 15 % of the CPU.
 */
async function waitForQuiet(maxMs = 1000): Promise<void> {
  const deadline = performance.now() + maxMs;
  while (performance.now() < deadline) {
    const a = cpuSnapshot(null);
    await sleep(500);
    if (foreignCpuPct(a, cpuSnapshot(null)) < 15) return;
  }
}

type Counted = { ok: number; warmupOk: number };
type Charged = { foreignCpuPct: number; serverCpuUsPerCall: number | null };

/** Runs a load phase and charges CPU: the server's per completed call, and what others used meanwhile. */
async function withCpu<T extends Counted>(serverPid: number | null, work: () => Promise<T>): Promise<T & Charged> {
  await waitForQuiet();
  const before = cpuSnapshot(serverPid);
  const result = await work();
  const after = cpuSnapshot(serverPid);
  const calls = result.ok + result.warmupOk;
  const perCall = serverPid === null || calls === 0 ? null : Math.round((serverCpuMs(before, after) * 1000) / calls);
  return { ...result, foreignCpuPct: foreignCpuPct(before, after), serverCpuUsPerCall: perCall };
}

const ms = (n: number | null): string => (n === null ? "-" : n.toFixed(2));

async function httpPhase(env: PhaseEnv, t: Target, connections: number): Promise<HttpPhase> {
  const log = join(env.logs, `load-${t.id}.log`);
  const spec = { url: t.url, headers: { ...t.headers, "content-type": "application/json" }, body: CHAT_BODY, connections, warmupSec: WARMUP_SEC, durationSec: DURATION_SEC };
  const r = await withCpu(t.serverPid, () => runHttpLoad(env.root, log, spec));
  env.say(`  ${t.id} chat     c=${connections}: ${r.rps} req/s  p50 ${ms(r.latencyMs.p50)} ms  p99 ${ms(r.latencyMs.p99)} ms  server CPU ${r.serverCpuUsPerCall ?? "-"} µs/call  failed ${r.non2xx + r.errors}  other CPU ${r.foreignCpuPct} %`);
  return r;
}

async function streamPhase(env: PhaseEnv, t: Target, concurrency: number, warmupSec = WARMUP_SEC, durationSec = DURATION_SEC): Promise<StreamPhase> {
  const log = join(env.logs, `load-${t.id}.log`);
  const spec = { url: t.url, headers: { ...t.headers, "content-type": "application/json" }, body: STREAM_BODY, concurrency, warmupSec, durationSec, maxStreams: MAX_STREAMS_PER_PHASE };
  const r = await withCpu(t.serverPid, () => runStreamLoad(env.root, log, spec));
  env.say(`  ${t.id} stream   c=${concurrency}: ${r.streamsPerSec} streams/s  TTFT p50 ${ms(r.ttftMs.p50)} ms  p99 ${ms(r.ttftMs.p99)} ms  server CPU ${r.serverCpuUsPerCall ?? "-"} µs/stream  failed ${r.failed}  other CPU ${r.foreignCpuPct} %`);
  return r;
}

/** Every phase for one target, in order; the simulator's request count brackets them. */
export async function measureTarget(env: PhaseEnv, t: Target): Promise<TargetResult> {
  const seq0 = await simSeq(env.simUrl);
  const http: HttpPhase[] = [];
  for (const c of t.http) http.push(await httpPhase(env, t, c));
  const stream: StreamPhase[] = [];
  for (const c of t.stream) stream.push(await streamPhase(env, t, c));
  const simRequests = (await simSeq(env.simUrl)) - seq0;
  return { id: t.id, label: t.label, http, stream, simRequests, error: null };
}

function sampler(pid: number, samples: MemorySample[], t0: number): () => void {
  const timer = setInterval(() => {
    const rss = rssMiB(pid);
    if (rss !== null) samples.push({ atMs: Math.round(performance.now() - t0), rssMiB: rss });
  }, MEMORY.sampleEveryMs);
  return () => clearInterval(timer);
}

function settledRss(pid: number): number {
  const v = rssMiB(pid);
  if (v === null) throw new Error(`workerd (pid ${pid}) is gone`);
  return v;
}

/**
 * RSS of workerd before, during and after rounds of 100 concurrent streams. Flat: after the
 * last round RSS is back within 10 % of the baseline, and no later round ends higher than
 * the first by more than 2 % of the baseline (it does not grow with more streams).
 */
export async function memoryCheck(env: PhaseEnv, t: Target, pid: number): Promise<MemoryResult> {
  const samples: MemorySample[] = [];
  const t0 = performance.now();
  await sleep(MEMORY.idleSec * 1000);
  const baselineMiB = settledRss(pid);
  const rounds: MemoryRound[] = [];
  for (let i = 0; i < MEMORY.rounds; i++) {
    const from = samples.length;
    const stop = sampler(pid, samples, t0);
    const r = await streamPhase(env, t, MEMORY.concurrency, 0, MEMORY.roundSec).finally(stop);
    const during = samples.slice(from).map((s) => s.rssMiB);
    await sleep(MEMORY.idleSec * 1000);
    const afterMiB = settledRss(pid);
    samples.push({ atMs: Math.round(performance.now() - t0), rssMiB: afterMiB });
    rounds.push({ streams: r.ok, failed: r.failed, peakMiB: Math.max(...during, afterMiB), meanMiB: Math.round((during.reduce((a, b) => a + b, 0) / Math.max(1, during.length)) * 10) / 10, afterMiB });
    env.say(`  memory round ${i + 1}: ${r.ok} streams, RSS peak ${Math.max(...during)} MiB, after ${afterMiB} MiB (baseline ${baselineMiB} MiB)`);
  }
  const first = rounds[0]?.afterMiB ?? baselineMiB;
  const last = rounds[rounds.length - 1]?.afterMiB ?? baselineMiB;
  const growth = Math.max(...rounds.map((r) => r.afterMiB)) - first;
  const flat = last <= baselineMiB * 1.1 && growth <= baselineMiB * 0.02;
  const rule = "after the last round RSS <= baseline + 10 %, and no round ends more than 2 % of baseline above the first round";
  return { pid, baselineMiB, rounds, samples, flat, rule };
}
