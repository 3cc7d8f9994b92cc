/**
 * `npm run bench`: the gateway benchmark. Starts the provider simulator, then measures
 * side by side, one after another in this one run:
 *   (a) the simulator called directly (the floor),
 *   (b) a bare pass-through Worker in workerd (Miniflare's API),
 *   (c) the Auterity Worker in workerd (Miniflare's API) with every binding wrangler.toml declares,
 *   (d) Portkey's open-source gateway on Node, routed to the same simulator,
 *   (e) the Auterity Worker under `wrangler dev` (its reload proxy caps throughput),
 * plus memory of (c) under 100 concurrent streams, a per-step profile of (c) in workerd and
 * micro-benchmarks. Writes bench/results/latest.json and latest.md and prints the tables.
 * Every process it starts runs in a process group that is stopped at the end, also on
 * failure or Ctrl-C.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import * as cfg from "./config.ts";
import { machine } from "./lib/machine.ts";
import { paceStreams, simSeq } from "./lib/net.ts";
import { stopAll, stopChildrenOnExit } from "./lib/procs.ts";
import { runMicro } from "./micro-run.ts";
import { measureTarget, memoryCheck, type PhaseEnv, type Target } from "./phases.ts";
import { profile } from "./profile.ts";
import { checks, derive, markdown } from "./report.ts";
import type { Results, TargetId, TargetResult } from "./results.ts";
import { bundleWorker, startPortkey, startSimulator, startWorkerHost, startWranglerDev, type RunDirs, type Running } from "./targets/start.ts";

const root = process.cwd();
const say = (line: string): void => console.log(line);
const CHAT_PATH = "/v1/chat/completions";
const SIM_AUTH = { authorization: "Bearer sk-sim-openai" };
const BOTH = { http: cfg.HTTP_CONCURRENCY, stream: cfg.STREAM_CONCURRENCY };
const LABEL: Record<TargetId, string> = {
  sim: "(a) simulator direct",
  passthrough: "(b) pass-through Worker (workerd)",
  auterity: "(c) Auterity Worker (workerd)",
  portkey: "(d) Portkey gateway (Node)",
  wranglerDev: "(e) Auterity under wrangler dev",
};

type Run = { dirs: RunDirs; env: PhaseEnv; simPid: number | null; partial: Partial<Results> };

function failed(id: TargetId, err: unknown): TargetResult {
  const error = err instanceof Error ? err.message : String(err);
  say(`  ${id} FAILED: ${error}`);
  return { id, label: LABEL[id], http: [], stream: [], simRequests: null, error };
}

/** Starts a target, measures it, and always stops it. */
async function withTarget<T extends Running>(id: TargetId, title: string, start: () => Promise<T>, measure: (r: T) => Promise<TargetResult>): Promise<TargetResult> {
  say(`\n${title}`);
  let r: T | null = null;
  try {
    r = await start();
    return await measure(r);
  } catch (err) {
    return failed(id, err);
  } finally {
    await r?.stop();
  }
}

function simDirect(run: Run): Promise<TargetResult> {
  say(`\n${LABEL.sim}`);
  const t: Target = { id: "sim", label: LABEL.sim, url: `${run.env.simUrl}/openai${CHAT_PATH}`, headers: SIM_AUTH, serverPid: run.simPid, ...BOTH };
  return measureTarget(run.env, t).catch((e: unknown) => failed("sim", e));
}

function passthrough(run: Run): Promise<TargetResult> {
  const spec = { kind: "passthrough" as const, script: join(root, "bench/passthrough-worker.ts"), simUrl: run.env.simUrl, root };
  return withTarget("passthrough", LABEL.passthrough, () => startWorkerHost(run.dirs, spec), (h) =>
    measureTarget(run.env, { id: "passthrough", label: LABEL.passthrough, url: `${h.url}${CHAT_PATH}`, headers: SIM_AUTH, serverPid: h.child.pid ?? null, ...BOTH }),
  );
}

/** The Auterity Worker: load phases, then memory under 100 streams, then the usage rows the queue wrote. */
async function auterity(run: Run): Promise<TargetResult> {
  const script = await bundleWorker(run.dirs, "auterity");
  const sim = run.env.simUrl;
  return withTarget("auterity", LABEL.auterity, () => startWorkerHost(run.dirs, { kind: "auterity", script, simUrl: sim, root }), async (h) => {
    const t: Target = { id: "auterity", label: LABEL.auterity, url: `${h.url}${CHAT_PATH}`, headers: { authorization: `Bearer ${h.gatewayKey ?? ""}` }, serverPid: h.child.pid ?? null, ...BOTH };
    const seq0 = await simSeq(sim);
    const result = await measureTarget(run.env, t);
    const pid = h.workerdPids[0];
    if (pid !== undefined) run.partial.memory = await memoryCheck(run.env, t, pid);
    await new Promise((r) => setTimeout(r, 3000));
    run.partial.usage = { rowsWritten: await h.usageRows(), simRequests: (await simSeq(sim)) - seq0 };
    say(`  usage rows in D1: ${run.partial.usage.rowsWritten} for ${run.partial.usage.simRequests} upstream calls`);
    return result;
  });
}

/**
 * Portkey as installed serves non-streamed calls; its streams fail with the @hono/node-server
 * installed here, so they are measured on a second instance with the fix from bench/portkey/.
 */
async function portkey(run: Run): Promise<TargetResult> {
  const headers = { ...SIM_AUTH, "x-portkey-provider": "openai", "x-portkey-custom-host": `${run.env.simUrl}/openai/v1` };
  const base = { id: "portkey" as const, label: LABEL.portkey, headers };
  const plain = await withTarget("portkey", LABEL.portkey, () => startPortkey(run.dirs, false), (p) =>
    measureTarget(run.env, { ...base, url: `${p.url}${CHAT_PATH}`, serverPid: p.child.pid ?? null, http: cfg.HTTP_CONCURRENCY, stream: [] }),
  );
  const fixed = await withTarget("portkey", `${LABEL.portkey}, streams (node-server fix)`, () => startPortkey(run.dirs, true), (p) =>
    measureTarget(run.env, { ...base, url: `${p.url}${CHAT_PATH}`, serverPid: p.child.pid ?? null, http: [], stream: cfg.STREAM_CONCURRENCY }),
  );
  const simRequests = plain.simRequests === null || fixed.simRequests === null ? null : plain.simRequests + fixed.simRequests;
  return { ...plain, stream: fixed.stream, simRequests, error: plain.error ?? fixed.error };
}

function wranglerDev(run: Run): Promise<TargetResult> {
  return withTarget("wranglerDev", LABEL.wranglerDev, () => startWranglerDev(run.dirs, run.env.simUrl), (w) =>
    measureTarget(run.env, { id: "wranglerDev", label: LABEL.wranglerDev, url: `${w.url}${CHAT_PATH}`, headers: { authorization: `Bearer ${w.gatewayKey}` }, serverPid: w.child.pid ?? null, http: cfg.WRANGLER_DEV_CONCURRENCY, stream: [] }),
  );
}

async function runProfile(run: Run): Promise<void> {
  say("\nprofile: probe routes of the Worker in workerd, 10 concurrent");
  run.partial.profile = await profile(run.dirs, run.env).catch((e: unknown) => {
    say(`  profile failed: ${e instanceof Error ? e.message : String(e)}`);
    return null;
  });
}

async function runTargets(run: Run): Promise<TargetResult[]> {
  const out: TargetResult[] = [];
  if (cfg.runs("sim")) out.push(await simDirect(run));
  if (cfg.runs("passthrough")) out.push(await passthrough(run));
  if (cfg.runs("auterity")) out.push(await auterity(run).catch((e: unknown) => failed("auterity", e)));
  if (cfg.runs("profile")) await runProfile(run);
  if (cfg.runs("portkey")) out.push(await portkey(run));
  if (cfg.runs("wranglerDev")) out.push(await wranglerDev(run));
  return out;
}

async function measureAll(dirs: RunDirs, partial: Partial<Results>): Promise<TargetResult[]> {
  try {
    const sim = await startSimulator(dirs);
    await paceStreams(sim.url, cfg.STREAM_MARKER, cfg.STREAM_TOKENS_PER_SECOND);
    const env: PhaseEnv = { root, logs: dirs.logs, simUrl: sim.url, say };
    return await runTargets({ dirs, env, simPid: sim.child.pid ?? null, partial });
  } finally {
    await stopAll();
    rmSync(join(dirs.tmp, "bundle"), { recursive: true, force: true });
    rmSync(join(dirs.tmp, "wrangler-state"), { recursive: true, force: true });
    rmSync(join(dirs.tmp, "state"), { recursive: true, force: true });
  }
}

const load = (): number[] => loadavg().map((n) => Math.round(n * 100) / 100);

async function main(): Promise<number> {
  stopChildrenOnExit();
  const started = Date.now();
  const tmp = mkdtempSync(join(tmpdir(), "auterity-bench-"));
  const dirs: RunDirs = { root, tmp, logs: join(tmp, "logs") };
  mkdirSync(dirs.logs, { recursive: true });
  const startLoad = load();
  say(`Auterity gateway benchmark; logs in ${dirs.logs}`);
  const partial: Partial<Results> = {};
  const targets = await measureAll(dirs, partial);
  say("\nmicro-benchmarks of the call path (Node)");
  const micro = process.env.BENCH_MICRO === "0" ? null : await runMicro(root, dirs.logs).catch((e: unknown) => (say(`  micro-benchmarks failed: ${String(e)}`), null));
  const derived = derive(targets);
  const results: Results = {
    startedAt: new Date(started).toISOString(),
    seconds: Math.round((Date.now() - started) / 1000),
    machine: machine(),
    loadavg: { start: startLoad, end: load() },
    config: { warmupSec: cfg.WARMUP_SEC, durationSec: cfg.DURATION_SEC, httpConcurrency: cfg.HTTP_CONCURRENCY, streamConcurrency: cfg.STREAM_CONCURRENCY, streamTokensPerSecond: cfg.STREAM_TOKENS_PER_SECOND, chatBody: cfg.CHAT_BODY, streamBody: cfg.STREAM_BODY, memory: cfg.MEMORY },
    targets,
    memory: partial.memory ?? null,
    usage: partial.usage ?? null,
    profile: partial.profile ?? null,
    derived,
    checks: checks(derived, partial.memory ?? null, targets),
    micro: micro?.results ?? null,
    logs: dirs.logs,
  };
  const md = markdown(results, micro?.markdown ?? "_not measured_");
  mkdirSync(join(root, "bench/results"), { recursive: true });
  writeFileSync(join(root, "bench/results/latest.json"), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(root, "bench/results/latest.md"), md);
  say(`\n${md}`);
  return targets.some((t) => t.error !== null) ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  async (err: unknown) => {
    console.error(err);
    await stopAll();
    process.exit(1);
  },
);
