/**
 * The local stack the webhooks benchmark runs against (bench/lib/local-worker.ts), with the
 * simulator's partner receiver. Events enter through the EVENTS_QUEUE producer, exactly as
 * publishEvent sends them.
 */
import { randomBytes } from "node:crypto";
import type { Miniflare } from "miniflare";
import { z } from "zod";
import { tenants } from "../d1/schema.ts";
import type { RunningSim } from "../sim/server.ts";
import { makeDb } from "../workers/db.ts";
import { buildEvent, type PlatformEvent } from "../workers/events/publish.ts";
import { newId } from "../workers/lib/ids.ts";
import { createEndpoint } from "../workers/webhooks/endpoints.ts";
import { LOCAL_POLICY } from "../workers/webhooks/url-policy.ts";
import { type LocalWorker, startLocalWorker } from "./lib/local-worker.ts";

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

async function seed(w: LocalWorker): Promise<Stack> {
  const { mf, sim, d1, masterKey } = w;
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
    close: w.dispose,
  };
}

/** Starts the simulator and the Worker, applies migrations and seeds one tenant. */
export async function startStack(): Promise<Stack> {
  const w = await startLocalWorker("webhooks");
  try {
    return await seed(w);
  } catch (err) {
    await w.dispose();
    throw err;
  }
}
