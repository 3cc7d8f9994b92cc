/**
 * The local stack the webhooks benchmark runs against: the simulator (with its partner
 * receiver) in this process, and the Auterity Worker bundled by `wrangler deploy --dry-run`
 * running in workerd through Miniflare, with the bindings wrangler.toml declares (D1 with
 * migrations, queues and their consumers, ...). Events enter through the EVENTS_QUEUE
 * producer, exactly as publishEvent sends them.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { Readable } from "node:stream";
import { Miniflare } from "miniflare";
import { unstable_getMiniflareWorkerOptions } from "wrangler";
import { z } from "zod";
import { tenants } from "../d1/schema.ts";
import { startSim, type RunningSim } from "../sim/server.ts";
import { makeDb } from "../workers/db.ts";
import { buildEvent, type PlatformEvent } from "../workers/events/publish.ts";
import { newId } from "../workers/lib/ids.ts";
import { createEndpoint } from "../workers/webhooks/endpoints.ts";
import { LOCAL_POLICY } from "../workers/webhooks/url-policy.ts";
import { runToCompletion } from "./lib/procs.ts";
import { applyMigrations } from "./targets/seed.ts";

const ROOT = join(import.meta.dirname, "..");
const QUIET = { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_HIDE_BANNER: "true", NO_COLOR: "1" };

export type Received = { webhookId: string; at: number; body: string; answered: number | "stalled"; signatureValid: boolean | null };
const ReceivedList = z.object({ data: z.array(z.object({ webhookId: z.string(), at: z.number(), body: z.string(), answered: z.union([z.number(), z.literal("stalled")]), signatureValid: z.boolean().nullable() })) });

export type Stack = {
  sim: RunningSim;
  mf: Miniflare;
  d1: D1Database;
  tenantId: string;
  /** Sends events for the tenant to the events queue, stamped now. */
  publish: (count: number, label: string) => Promise<PlatformEvent[]>;
  /** A new endpoint pointing at a fresh partner receiver; returns the receiver's name. */
  addReceiver: (label: string) => Promise<{ name: string; endpointId: string }>;
  configure: (name: string, config: Record<string, unknown>) => Promise<void>;
  received: (name: string) => Promise<Received[]>;
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

function miniflareFor(script: string, simUrl: string, masterKey: string): Miniflare {
  const { workerOptions } = unstable_getMiniflareWorkerOptions(join(ROOT, "wrangler.toml"));
  const { assets: _assets, ...rest } = workerOptions;
  return new Miniflare({
    ...rest,
    host: "127.0.0.1",
    port: 0,
    modules: [{ type: "ESModule", path: script }],
    modulesRoot: dirname(script),
    bindings: { ...rest.bindings, MASTER_KEY: masterKey, JWT_SECRET: randomBytes(32).toString("hex"), OPENAI_BASE_URL: `${simUrl}/openai/v1`, ANTHROPIC_BASE_URL: `${simUrl}/anthropic` },
    handleRuntimeStdio: (out: Readable, err: Readable) => {
      // The Worker logs one JSON line per problem; keep the benchmark's own output readable.
      out.resume();
      err.resume();
    },
  });
}

async function seed(mf: Miniflare, sim: RunningSim, masterKey: string, tmp: string): Promise<Stack> {
  const d1 = await mf.getD1Database("DB");
  await applyMigrations(d1, join(ROOT, "d1/migrations"));
  const db = makeDb(d1);
  const tenantId = newId("ten");
  await db.insert(tenants).values({ id: tenantId, name: "Bench Webhooks", slug: `bench-webhooks-${tenantId.slice(-6).toLowerCase()}`, createdAt: Date.now() });
  const events = await mf.getQueueProducer<PlatformEvent>("EVENTS_QUEUE");
  const configure = async (name: string, config: Record<string, unknown>) => {
    const res = await fetch(`${sim.url}/partner/${name}/_config`, { method: "PUT", body: JSON.stringify(config) });
    if (res.status !== 200) throw new Error(`partner config failed: ${await res.text()}`);
  };
  return {
    sim,
    mf,
    d1,
    tenantId,
    configure,
    publish: async (count, label) => {
      const batch = Array.from({ length: count }, (_, i) => buildEvent({ tenantId, type: "lead.created", data: { leadId: `lead_${label}_${i}`, source: "bench" } }, Date.now()));
      for (let i = 0; i < batch.length; i += 100) await events.sendBatch(batch.slice(i, i + 100).map((body) => ({ body })));
      return batch;
    },
    addReceiver: async (label) => {
      const name = `bench-${label}-${randomBytes(4).toString("hex")}`;
      const { row, secret } = await createEndpoint({ db, tenantId, masterKey, policy: LOCAL_POLICY, now: Date.now() }, { url: `${sim.url}/partner/${name}` });
      await configure(name, { secrets: [secret] });
      return { name, endpointId: row.id };
    },
    received: async (name) => ReceivedList.parse(await (await fetch(`${sim.url}/partner/${name}/_received`)).json()).data,
    close: async () => {
      await mf.dispose();
      await sim.close();
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}

/** Starts the simulator and the Worker, applies migrations and seeds one tenant. */
export async function startStack(): Promise<Stack> {
  const tmp = mkdtempSync(join(tmpdir(), "auterity-bench-webhooks-"));
  const sim = await startSim({ port: 0 });
  const masterKey = randomBytes(32).toString("hex");
  let mf: Miniflare | null = null;
  try {
    mf = miniflareFor(await bundle(tmp), sim.url, masterKey);
    await mf.ready;
    return await seed(mf, sim, masterKey, tmp);
  } catch (err) {
    await mf?.dispose();
    await sim.close();
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
}
