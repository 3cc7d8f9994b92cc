/**
 * The local stack the workflow benchmark runs against (bench/lib/local-worker.ts), seeded
 * with one tenant, an admin key and a leads key. Work enters through the Worker's HTTP API,
 * as a dealership's systems would send it.
 */
import { tenants } from "../d1/schema.ts";
import type { RunningSim } from "../sim/server.ts";
import { createApiKey } from "../workers/auth/api-keys.ts";
import { makeDb } from "../workers/db.ts";
import { newId } from "../workers/lib/ids.ts";
import { type LocalWorker, readReply, type Reply, startLocalWorker } from "./lib/local-worker.ts";

export type { Reply };

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

/** A fixed-offset zone in which the local hour is `hour` right now (Etc/GMT-5 is UTC+5). */
export function zoneWhereHourIs(hour: number, at = Date.now()): string {
  let offset = (((hour - new Date(at).getUTCHours()) % 24) + 24) % 24;
  if (offset > 12) offset -= 24;
  return offset === 0 ? "Etc/UTC" : `Etc/GMT${offset > 0 ? "-" : "+"}${Math.abs(offset)}`;
}

async function seed(w: LocalWorker): Promise<WorkflowStack> {
  const { sim, d1, base } = w;
  const db = makeDb(d1);
  const tenantId = newId("ten");
  const timezone = zoneWhereHourIs(10);
  await db.insert(tenants).values({ id: tenantId, name: "Bench Toyota", slug: `bench-toyota-${tenantId.slice(-6).toLowerCase()}`, timezone, createdAt: Date.now() });
  const scope = { db, tenantId };
  const admin = (await createApiKey(scope, { name: "bench admin", scopes: ["admin"] })).key;
  const leads = (await createApiKey(scope, { name: "bench leads", scopes: ["leads"] })).key;
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
    close: w.dispose,
  };
}

/** Starts the simulator and the Worker, applies migrations and seeds one tenant with an admin and a leads key. */
export async function startWorkflowStack(): Promise<WorkflowStack> {
  const w = await startLocalWorker("workflows");
  try {
    return await seed(w);
  } catch (err) {
    await w.dispose();
    throw err;
  }
}
