/**
 * The local stack the workflow benchmark runs against: the simulator (the LLM provider) in
 * this process, and the Auterity Worker bundled by `wrangler deploy --dry-run` running in
 * workerd through Miniflare with the bindings wrangler.toml declares (D1 with migrations,
 * the workflows, events, usage and webhook queues with their consumers, Durable Objects).
 * Work enters through the Worker's HTTP API, as a dealership's systems would send it.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { Readable } from "node:stream";
import { Miniflare } from "miniflare";
import { unstable_getMiniflareWorkerOptions } from "wrangler";
import { tenants } from "../d1/schema.ts";
import { startSim, type RunningSim } from "../sim/server.ts";
import { createApiKey } from "../workers/auth/api-keys.ts";
import { makeDb } from "../workers/db.ts";
import { newId } from "../workers/lib/ids.ts";
import { runToCompletion } from "./lib/procs.ts";
import { applyMigrations } from "./targets/seed.ts";

const ROOT = join(import.meta.dirname, "..");
const QUIET = { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_HIDE_BANNER: "true", NO_COLOR: "1" };

export type Reply = { status: number; body: unknown };

export type WorkflowStack = {
  sim: RunningSim;
  d1: D1Database;
  tenantId: string;
  /** The tenant's zone: one where it is mid-morning now, so quiet hours hold nothing back. */
  timezone: string;
  /** Calls /api/v1`path` with the tenant's admin key. */
  api: (method: string, path: string, body?: unknown) => Promise<Reply>;
  /** Posts an ADF document to /hooks/leads/adf with the tenant's leads key. */
  postLead: (xml: string) => Promise<Reply>;
  close: () => Promise<void>;
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

function miniflareFor(script: string, simUrl: string): Miniflare {
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
      MASTER_KEY: randomBytes(32).toString("hex"),
      JWT_SECRET: randomBytes(32).toString("hex"),
      OPENAI_API_KEY: "sk-sim-openai",
      ANTHROPIC_API_KEY: "sk-ant-sim",
      OPENAI_BASE_URL: `${simUrl}/openai/v1`,
      ANTHROPIC_BASE_URL: `${simUrl}/anthropic`,
    },
    handleRuntimeStdio: (out: Readable, err: Readable) => {
      // Keep the benchmark's own output readable.
      out.resume();
      err.resume();
    },
  });
}

/** A fixed-offset zone in which the local hour is `hour` right now (Etc/GMT-5 is UTC+5). */
export function zoneWhereHourIs(hour: number, at = Date.now()): string {
  let offset = (((hour - new Date(at).getUTCHours()) % 24) + 24) % 24;
  if (offset > 12) offset -= 24;
  return offset === 0 ? "Etc/UTC" : `Etc/GMT${offset > 0 ? "-" : "+"}${Math.abs(offset)}`;
}

async function readReply(res: Response): Promise<Reply> {
  const text = await res.text();
  try {
    return { status: res.status, body: text ? JSON.parse(text) : null };
  } catch {
    return { status: res.status, body: text };
  }
}

async function seed(mf: Miniflare, sim: RunningSim, tmp: string): Promise<WorkflowStack> {
  const d1 = await mf.getD1Database("DB");
  await applyMigrations(d1, join(ROOT, "d1/migrations"));
  const db = makeDb(d1);
  const tenantId = newId("ten");
  const timezone = zoneWhereHourIs(10);
  await db.insert(tenants).values({ id: tenantId, name: "Bench Toyota", slug: `bench-toyota-${tenantId.slice(-6).toLowerCase()}`, timezone, createdAt: Date.now() });
  const scope = { db, tenantId };
  const admin = (await createApiKey(scope, { name: "bench admin", scopes: ["admin"] })).key;
  const leads = (await createApiKey(scope, { name: "bench leads", scopes: ["leads"] })).key;
  const base = (await mf.ready).toString().replace(/\/$/, "");
  return {
    sim,
    d1,
    tenantId,
    timezone,
    api: async (method, path, body) => {
      const headers: Record<string, string> = { authorization: `Bearer ${admin}` };
      if (body !== undefined) headers["content-type"] = "application/json";
      return readReply(await fetch(`${base}/api/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }));
    },
    postLead: async (xml) => readReply(await fetch(`${base}/hooks/leads/adf`, { method: "POST", headers: { authorization: `Bearer ${leads}`, "content-type": "application/xml" }, body: xml })),
    close: async () => {
      await mf.dispose();
      await sim.close();
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}

/** Starts the simulator and the Worker, applies migrations and seeds one tenant with an admin and a leads key. */
export async function startWorkflowStack(): Promise<WorkflowStack> {
  const tmp = mkdtempSync(join(tmpdir(), "auterity-bench-workflows-"));
  const sim = await startSim({ port: 0 });
  let mf: Miniflare | null = null;
  try {
    mf = miniflareFor(await bundle(tmp), sim.url);
    await mf.ready;
    return await seed(mf, sim, tmp);
  } catch (err) {
    await mf?.dispose();
    await sim.close();
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
}
