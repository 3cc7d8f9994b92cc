/**
 * Starting each system under test, each as its own process group, and knowing when it is
 * ready: the provider simulator, Workers in workerd through Miniflare (pass-through and
 * Auterity), Portkey's gateway on Node, and Auterity under `wrangler dev`.
 */
import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ChildProcess } from "node:child_process";
import { z } from "zod";
import { runToCompletion, startGroup, stopGroup } from "../lib/procs.ts";
import { freePort, HOST, waitForHttp } from "../lib/net.ts";
import { hostMessage, type HostMessage, type HostSpec } from "./host-protocol.ts";

/** Where a run keeps its scratch files and logs. */
export type RunDirs = { root: string; tmp: string; logs: string };

export type Running = { url: string; child: ChildProcess; stop: () => Promise<void> };

const TSX = ["--import", "tsx"];
const QUIET_WRANGLER = { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_HIDE_BANNER: "true", NO_COLOR: "1" };

function running(url: string, child: ChildProcess): Running {
  return { url, child, stop: () => stopGroup(child) };
}

const alive = (c: ChildProcess) => (): boolean => c.exitCode === null && c.signalCode === null;

/** The provider simulator (sim/main.ts, i.e. startSim) on a free loopback port. */
export async function startSimulator(dirs: RunDirs): Promise<Running> {
  const port = await freePort();
  const { child } = startGroup(process.execPath, [...TSX, "sim/main.ts", "--port", String(port), "--host", HOST], join(dirs.logs, "sim.log"), { cwd: dirs.root });
  const url = `http://${HOST}:${port}`;
  await waitForHttp(`${url}/_sim/health`, 30_000, alive(child));
  return running(url, child);
}

function wrangler(dirs: RunDirs): string[] {
  return [join(dirs.root, "node_modules/wrangler/bin/wrangler.js")];
}

/** Bundles `entry` (default: wrangler.toml's main) the way `wrangler deploy` would; returns the module's path. */
export async function bundleWorker(dirs: RunDirs, name: string, entry?: string): Promise<string> {
  const out = join(dirs.tmp, "bundle", name);
  await runToCompletion(process.execPath, [...wrangler(dirs), "deploy", "--dry-run", "--outdir", out, ...(entry ? [entry] : [])], join(dirs.logs, "bundle.log"), {
    cwd: dirs.root,
    env: { ...QUIET_WRANGLER, WRANGLER_LOG_PATH: join(dirs.logs, "wrangler") },
    timeoutMs: 120_000,
  });
  const js = readdirSync(out).find((f) => f.endsWith(".js"));
  if (!js) throw new Error(`wrangler wrote no module to ${out}`);
  return join(out, js);
}

export type WorkerHost = Running & { workerdPids: number[]; gatewayKey: string | null; migrations: string[]; usageRows: () => Promise<number> };

function nextMessage(child: ChildProcess, timeoutMs: number, want: HostMessage["type"]): Promise<HostMessage> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`the Worker host sent no '${want}' within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (raw: unknown): void => {
      const msg = hostMessage.safeParse(raw);
      if (msg.success && msg.data.type === "failed") done(new Error(`the Worker host failed: ${msg.data.error}`));
      else if (msg.success && msg.data.type === want) done(null, msg.data);
    };
    const onExit = (code: number | null): void => done(new Error(`the Worker host exited (${code}) before '${want}'`));
    function done(err: Error | null, msg?: HostMessage): void {
      clearTimeout(timer);
      child.off("message", onMessage);
      child.off("exit", onExit);
      if (err || !msg) reject(err ?? new Error("no message"));
      else resolve(msg);
    }
    child.on("message", onMessage);
    child.once("exit", onExit);
  });
}

let hosts = 0;

/** A Worker in workerd through Miniflare's API (see worker-host.ts), with a fresh state directory. */
export async function startWorkerHost(dirs: RunDirs, opts: Omit<HostSpec, "stateDir">): Promise<WorkerHost> {
  const spec: HostSpec = { ...opts, stateDir: join(dirs.tmp, "state", `${opts.kind}-${++hosts}`) };
  const { child } = startGroup(process.execPath, [...TSX, "bench/targets/worker-host.ts", JSON.stringify(spec)], join(dirs.logs, `${spec.kind}.log`), {
    cwd: dirs.root,
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  });
  const ready = await nextMessage(child, 90_000, "ready").catch(async (err: unknown) => {
    await stopGroup(child);
    throw err;
  });
  if (ready.type !== "ready") throw new Error("unexpected message");
  const usageRows = async (): Promise<number> => {
    const reply = nextMessage(child, 10_000, "usage");
    child.send({ type: "usage" });
    const msg = await reply;
    return msg.type === "usage" ? msg.rows : 0;
  };
  return { ...running(ready.url, child), workerdPids: ready.workerdPids, gatewayKey: ready.gatewayKey, migrations: ready.migrations, usageRows };
}

/**
 * Portkey's open-source gateway on Node (`start-server.js --port=N --headless`), listening on
 * loopback only through bench/portkey/. With `streamFix`, it also serves with Node's own
 * Response, without which its streams fail here (see bench/portkey/node-server-shim.mjs).
 */
export async function startPortkey(dirs: RunDirs, streamFix: boolean): Promise<Running> {
  const port = await freePort();
  const script = join(dirs.root, "node_modules/@portkey-ai/gateway/build/start-server.js");
  const preload = ["--import", join(dirs.root, "bench/portkey/register.mjs")];
  const { child } = startGroup(process.execPath, [...preload, script, `--port=${port}`, "--headless"], join(dirs.logs, streamFix ? "portkey-streams.log" : "portkey.log"), {
    cwd: dirs.root,
    env: { ...process.env, NODE_ENV: "production", BENCH_PORTKEY_STREAM_FIX: streamFix ? "1" : "0" },
  });
  const url = `http://${HOST}:${port}`;
  await waitForHttp(`${url}/`, 30_000, alive(child));
  return running(url, child);
}

const seededKey = z.object({ gatewayKey: z.string() });

/** Auterity under `wrangler dev --local` (the reload proxy in front), seeded like the Miniflare run. */
export async function startWranglerDev(dirs: RunDirs, simUrl: string): Promise<Running & { gatewayKey: string }> {
  const state = join(dirs.tmp, "wrangler-state");
  const envFile = join(dirs.tmp, "wrangler.env");
  writeFileSync(envFile, `JWT_SECRET=${"b".repeat(64)}\nMASTER_KEY=${"c".repeat(64)}\nOPENAI_API_KEY=sk-sim-openai\nANTHROPIC_API_KEY=sk-ant-sim\nOPENAI_BASE_URL=${simUrl}/openai/v1\nANTHROPIC_BASE_URL=${simUrl}/anthropic\n`);
  const env = { ...QUIET_WRANGLER, WRANGLER_LOG_PATH: join(dirs.logs, "wrangler") };
  const log = join(dirs.logs, "wrangler-dev.log");
  await runToCompletion(process.execPath, [...wrangler(dirs), "d1", "migrations", "apply", "DB", "--local", "--persist-to", state], log, { cwd: dirs.root, env, timeoutMs: 120_000 });
  const out = await runToCompletion(process.execPath, [...TSX, "bench/targets/seed-local.ts", state], log, { cwd: dirs.root, env, timeoutMs: 120_000 });
  const { gatewayKey } = seededKey.parse(JSON.parse(out.trim().split("\n").pop() ?? "{}"));
  const port = await freePort();
  const args = ["dev", "--local", "--ip", HOST, "--port", String(port), "--persist-to", state, "--env-file", envFile, "--show-interactive-dev-session=false"];
  const { child } = startGroup(process.execPath, [...wrangler(dirs), ...args], log, { cwd: dirs.root, env });
  const url = `http://${HOST}:${port}`;
  await waitForHttp(`${url}/health`, 90_000, alive(child));
  return { ...running(url, child), gatewayKey };
}
