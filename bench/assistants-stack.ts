/**
 * The local stack the assistants benchmark runs against (bench/lib/local-worker.ts). The
 * tenant is seeded as the gateway benchmark's (a gateway key, a hard budget, per-key and
 * per-tenant rate limits, all too large to refuse anything), plus an admin key for the
 * platform API. Streams are read by the caller, so the Worker's base URL and both keys are
 * handed out.
 */
import type { RunningSim } from "../sim/server.ts";
import { createApiKey } from "../workers/auth/api-keys.ts";
import { makeDb } from "../workers/db.ts";
import { readReply, type Reply, startLocalWorker } from "./lib/local-worker.ts";
import { seedTenant } from "./targets/seed.ts";

export type { Reply };

export type AssistantStack = {
  sim: RunningSim;
  /** The Worker, e.g. http://127.0.0.1:40123 (no trailing slash). */
  base: string;
  tenantId: string;
  gatewayKey: string;
  adminKey: string;
  /** Calls /api/v1`path` with the admin key and reads the whole answer. */
  api: (method: string, path: string, body?: unknown) => Promise<Reply>;
  close: () => Promise<void>;
};

/** Starts the simulator and the Worker, applies migrations and seeds one fully enforced tenant. */
export async function startAssistantStack(): Promise<AssistantStack> {
  const w = await startLocalWorker("assistants");
  try {
    const { tenantId, gatewayKey } = await seedTenant(w.d1);
    const adminKey = (await createApiKey({ db: makeDb(w.d1), tenantId }, { name: "bench admin", scopes: ["admin"] })).key;
    return {
      sim: w.sim,
      base: w.base,
      tenantId,
      gatewayKey,
      adminKey,
      api: async (method, path, body) => {
        const headers: Record<string, string> = { authorization: `Bearer ${adminKey}` };
        if (body !== undefined) headers["content-type"] = "application/json";
        return readReply(await fetch(`${w.base}/api/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }));
      },
      close: w.dispose,
    };
  } catch (err) {
    await w.dispose();
    throw err;
  }
}
