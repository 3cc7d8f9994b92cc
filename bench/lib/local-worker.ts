/**
 * The local stack the part benchmarks (webhooks, workflows, assistants) run against: the
 * simulator in this process, and the Auterity Worker bundled by `wrangler deploy --dry-run`
 * running in workerd through Miniflare with the bindings wrangler.toml declares (D1 with its
 * migrations applied, the queues and their consumers, Durable Objects). Each benchmark seeds
 * its own tenant on top.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { Readable } from "node:stream";
import { Miniflare } from "miniflare";
import { unstable_getMiniflareWorkerOptions } from "wrangler";
import { startSim, type RunningSim } from "../../sim/server.ts";
import { applyMigrations } from "../targets/seed.ts";
import { runToCompletion } from "./procs.ts";

const ROOT = join(import.meta.dirname, "../..");
const QUIET = { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_HIDE_BANNER: "true", NO_COLOR: "1" };

export type Reply = { status: number; body: unknown };

export type LocalWorker = {
  sim: RunningSim;
  mf: Miniflare;
  d1: D1Database;
  /** The Worker, e.g. http://127.0.0.1:40123 (no trailing slash). */
  base: string;
  masterKey: string;
  /** Stops the Worker and the simulator and removes the bundle. */
  dispose: () => Promise<void>;
};

async function bundle(tmp: string): Promise<string> {
  const out = join(tmp, "bundle");
  await runToCompletion(process.execPath, [join(ROOT, "node_modules/wrangler/bin/wrangler.js"), "deploy", "--dry-run", "--outdir", out], join(tmp, "bundle.log"), {
    cwd: ROOT,
    env: { ...QUIET, WRANGLER_LOG_PATH: join(tmp, "wrangler-logs") },
    timeoutMs: 120_000,
  });
  return join(out, "index.js");
}

function miniflareFor(script: string, simUrl: string, masterKey: string): Miniflare {
  const { workerOptions } = unstable_getMiniflareWorkerOptions(join(ROOT, "wrangler.toml"));
  const { assets: _assets, ...rest } = workerOptions;
  return new Miniflare({
    ...rest,
    host: "127.0.0.1",
    port: 0,
    modules: [{ type: "ESModule", path: script }],
    modulesRoot: dirname(script),
    bindings: {
      ...rest.bindings,
      MASTER_KEY: masterKey,
      JWT_SECRET: randomBytes(32).toString("hex"),
      OPENAI_API_KEY: "sk-sim-openai",
      ANTHROPIC_API_KEY: "sk-ant-sim",
      OPENAI_BASE_URL: `${simUrl}/openai/v1`,
      ANTHROPIC_BASE_URL: `${simUrl}/anthropic`,
    },
    handleRuntimeStdio: (out: Readable, err: Readable) => {
      // The Worker logs one JSON line per problem; keep the benchmark's own output readable.
      out.resume();
      err.resume();
    },
  });
}

/** Starts the simulator and the Worker and applies the migrations; `label` names the temp folder. */
export async function startLocalWorker(label: string): Promise<LocalWorker> {
  const tmp = mkdtempSync(join(tmpdir(), `auterity-bench-${label}-`));
  const sim = await startSim({ port: 0 });
  const masterKey = randomBytes(32).toString("hex");
  let mf: Miniflare | null = null;
  const cleanUp = async () => {
    await mf?.dispose();
    await sim.close();
    rmSync(tmp, { recursive: true, force: true });
  };
  try {
    mf = miniflareFor(await bundle(tmp), sim.url, masterKey);
    const base = (await mf.ready).toString().replace(/\/$/, "");
    const d1 = await mf.getD1Database("DB");
    await applyMigrations(d1, join(ROOT, "d1/migrations"));
    return { sim, mf, d1, base, masterKey, dispose: cleanUp };
  } catch (err) {
    await cleanUp();
    throw err;
  }
}

/** A response's status and body (JSON when it parses, else the text). */
export async function readReply(res: Response): Promise<Reply> {
  const text = await res.text();
  try {
    return { status: res.status, body: text ? JSON.parse(text) : null };
  } catch {
    return { status: res.status, body: text };
  }
}
