/**
 * Where the gateway's added cost goes, measured in workerd: bench/probe-worker.ts (the real
 * Worker plus /probe/* routes that stop after a given step) under the same load, one route
 * after another. Each route's workerd CPU per call and latency; the differences between
 * routes are the cost of a step. CPU per call is charged after the queue consumer settles.
 */
import { join } from "node:path";
import { CHAT_BODY, STREAM_BODY } from "./config.ts";
import { profileWhile, type CpuReport } from "./cpu-profile.ts";
import { cpuSnapshot, serverCpuMs } from "./lib/machine.ts";
import { freePort } from "./lib/net.ts";
import { runHttpLoad, runStreamLoad } from "./load/run-load.ts";
import type { PhaseEnv } from "./phases.ts";
import { bundleWorker, startWorkerHost, type RunDirs } from "./targets/start.ts";

export type ProfileRow = { step: string; path: string; rps: number; p50Ms: number | null; p99Ms: number | null; cpuUsPerCall: number | null };
export type ProfileStep = { step: string; cpuUs: number | null; p50Ms: number | null };
export type Profile = { concurrency: number; rows: ProfileRow[]; steps: ProfileStep[]; cpu: { chat: CpuReport; stream: CpuReport } | null };

const PROBES: ReadonlyArray<[step: string, path: string, authed: boolean]> = [
  ["Hono route, canned answer", "/probe/noop", false],
  ["+ request id + API key auth", "/probe/auth", true],
  ["+ JSON.parse + zod", "/probe/auth-parse", true],
  ["+ meter: price + usage event via queue into D1", "/probe/auth-parse-usage", true],
  ["upstream: bare fetch to the simulator", "/probe/fetch", false],
  ["upstream: body + zod + OpenAI adapter (SDK)", "/probe/adapter", false],
  ["full gateway call (/v1/chat/completions)", "/v1/chat/completions", true],
];
const CONCURRENCY = 10;
const SETTLE_MS = 1500;

async function measure(env: PhaseEnv, url: string, key: string, serverPid: number, [step, path, authed]: (typeof PROBES)[number]): Promise<ProfileRow> {
  const headers: Record<string, string> = { "content-type": "application/json", ...(authed ? { authorization: `Bearer ${key}` } : {}) };
  const before = cpuSnapshot(serverPid);
  const r = await runHttpLoad(env.root, join(env.logs, "load-profile.log"), { url: `${url}${path}`, headers, body: CHAT_BODY, connections: CONCURRENCY, warmupSec: 1, durationSec: 2.5 });
  await new Promise((res) => setTimeout(res, SETTLE_MS));
  const calls = r.ok + r.warmupOk;
  const cpu = calls > 0 && r.non2xx === 0 ? Math.round((serverCpuMs(before, cpuSnapshot(serverPid)) * 1000) / calls) : null;
  env.say(`  ${step.padEnd(48)} ${String(r.rps).padStart(5)} req/s  p50 ${r.latencyMs.p50?.toFixed(2) ?? "-"} ms  workerd CPU ${cpu ?? "-"} µs/call${r.non2xx ? `  non-2xx ${r.non2xx}` : ""}`);
  return { step, path, rps: r.rps, p50Ms: r.latencyMs.p50, p99Ms: r.latencyMs.p99, cpuUsPerCall: cpu };
}

type Key = "cpuUsPerCall" | "p50Ms";

/** a - b + c - d ... over the routes' figures; null when any is missing. */
function combine(key: Key, terms: Array<[sign: 1 | -1, row: ProfileRow | undefined]>): number | null {
  let sum = 0;
  for (const [sign, row] of terms) {
    const v = row?.[key];
    if (v === null || v === undefined) return null;
    sum += sign * v;
  }
  return Math.round(sum * 100) / 100;
}

/** Step costs from the cumulative routes: each route minus the one it extends. */
function stepsOf(rows: ProfileRow[]): ProfileStep[] {
  const at = (path: string) => rows.find((r) => r.path === path);
  const noop = at("/probe/noop");
  const auth = at("/probe/auth");
  const parse = at("/probe/auth-parse");
  const usage = at("/probe/auth-parse-usage");
  const bare = at("/probe/fetch");
  const adapter = at("/probe/adapter");
  const full = at("/v1/chat/completions");
  const step = (name: string, terms: Array<[1 | -1, ProfileRow | undefined]>): ProfileStep => ({ step: name, cpuUs: combine("cpuUsPerCall", terms), p50Ms: combine("p50Ms", terms) });
  return [
    step("API key auth (+ request id)", [[1, auth], [-1, noop]]),
    step("JSON.parse + zod of the body", [[1, parse], [-1, auth]]),
    step("metering: price lookup + usage event (queue, consumer, D1 insert)", [[1, usage], [-1, parse]]),
    step("OpenAI adapter (SDK) over a bare fetch", [[1, adapter], [-1, bare]]),
    // full = route + auth + parse + usage + upstream + rest; adapter = route + parse + upstream.
    step("the rest (model resolution, tenant config, translation, headers)", [[1, full], [-1, usage], [-1, adapter], [1, noop], [1, parse], [-1, auth]]),
  ];
}

/** JS CPU by isolate, file and function while the full call runs, non-streamed then streamed. */
async function sampleCpu(env: PhaseEnv, url: string, key: string, inspectorPort: number, sourceMap: string): Promise<{ chat: CpuReport; stream: CpuReport }> {
  const base = { url: `${url}/v1/chat/completions`, headers: { "content-type": "application/json", authorization: `Bearer ${key}` }, warmupSec: 0, durationSec: 3 };
  const log = join(env.logs, "load-profile.log");
  const chat = await profileWhile(inspectorPort, sourceMap, () => runHttpLoad(env.root, log, { ...base, body: CHAT_BODY, connections: CONCURRENCY }));
  const stream = await profileWhile(inspectorPort, sourceMap, () => runStreamLoad(env.root, log, { ...base, body: STREAM_BODY, concurrency: CONCURRENCY, maxStreams: 100_000 }));
  for (const [what, r] of [["chat", chat], ["stream", stream]] as const) {
    env.say(`  JS CPU while ${what} calls run: ${r.isolates.map((i) => `${i.name} ${i.pct}%`).join(", ")}`);
    env.say(`    top in the Worker: ${r.workerFiles.slice(0, 6).map((f) => `${f.name} ${f.pct}%`).join(", ")}`);
  }
  return { chat, stream };
}

/** Bundles the probe Worker, loads it like the Auterity Worker, measures every probe route, then samples CPU. */
export async function profile(dirs: RunDirs, env: PhaseEnv): Promise<Profile> {
  const script = await bundleWorker(dirs, "probe", "bench/probe-worker.ts");
  const inspectorPort = await freePort();
  const host = await startWorkerHost(dirs, { kind: "auterity", script, simUrl: env.simUrl, root: dirs.root, inspectorPort });
  try {
    const rows: ProfileRow[] = [];
    for (const p of PROBES) rows.push(await measure(env, host.url, host.gatewayKey ?? "", host.child.pid ?? 0, p));
    const cpu = await sampleCpu(env, host.url, host.gatewayKey ?? "", inspectorPort, `${script}.map`).catch((e: unknown) => {
      env.say(`  CPU sampling failed: ${e instanceof Error ? e.message : String(e)}`);
      return null;
    });
    return { concurrency: CONCURRENCY, rows, steps: stepsOf(rows), cpu };
  } finally {
    await host.stop();
  }
}
