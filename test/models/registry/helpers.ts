/**
 * What the registry tests share: models and versions made through the API, versions served
 * by the simulator's OpenAI-compatible endpoint, gateway calls and audit rows.
 */
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { z } from "zod";
import { call, expectOk } from "../../api/helpers";
import { randomString } from "../../../workers/lib/ids";
import { BASE, workerFetch } from "../../gateway/helpers";

export const ModelBody = z.object({
  id: z.string(),
  key: z.string(),
  canaryPercent: z.number(),
  aliases: z.object({ champion: z.string().nullable(), challenger: z.string().nullable() }),
});
export const VersionBody = z.object({
  id: z.string(),
  version: z.number(),
  name: z.string(),
  lineage: z.object({ baseModel: z.string(), datasetId: z.string().nullable(), datasetSha256: z.string().nullable(), hyperparameters: z.record(z.string(), z.unknown()), provider: z.string(), providerJobId: z.string().nullable(), jobId: z.string().nullable() }),
  metrics: z.record(z.string(), z.number()),
  servingEndpoint: z.object({ baseUrl: z.string(), model: z.string(), hasApiKey: z.boolean() }),
});

/** A model key no other test uses. */
export function modelKey(label = "m"): string {
  return `${label}-${randomString(8).toLowerCase()}`;
}

/** A served-model name the simulator answers (it serves any `sim-…` model). */
export function simModel(label = "v"): string {
  return `sim-${label}-${randomString(10).toLowerCase()}`;
}

export async function createModel(token: string, key = modelKey()): Promise<z.infer<typeof ModelBody>> {
  return expectOk(await call("POST", "/models", { token, body: { key, baseModel: "llama-3.1-8b-instruct" } }), 201, ModelBody);
}

/** Registers a version served by the simulator's OpenAI-compatible API under `servedAs`. */
export async function addVersion(token: string, modelId: string, servedAs = simModel()): Promise<z.infer<typeof VersionBody>> {
  const body = { provider: "sim", metrics: { trainLoss: 0.4 }, servingEndpoint: { baseUrl: `${env.SIM_URL}/openai/v1`, model: servedAs } };
  return expectOk(await call("POST", `/models/${modelId}/versions`, { token, body }), 201, VersionBody);
}

export async function promote(token: string, modelId: string, versionId: string, alias: "champion" | "challenger", force?: boolean) {
  return call("POST", `/models/${modelId}/promote`, { token, body: { versionId, alias, ...(force === undefined ? {} : { force }) } });
}

export async function expectPromoted(token: string, modelId: string, versionId: string, alias: "champion" | "challenger"): Promise<void> {
  const r = await promote(token, modelId, versionId, alias, alias === "champion" ? true : undefined);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
}

/** POST /v1/chat/completions as `key` with a request id of our choosing. */
export async function chat(key: string, model: string, requestId: string, extra: { headers?: Record<string, string>; content?: string } = {}): Promise<Response> {
  return workerFetch(`${BASE}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json", "x-request-id": requestId, ...extra.headers },
    body: JSON.stringify({ model, messages: [{ role: "user", content: extra.content ?? "Is the 2024 RAV4 still available?" }] }),
  });
}

const AuditRow = z.object({ action: z.string(), actor_type: z.string(), actor_id: z.string().nullable(), before: z.string().nullable(), after: z.string().nullable() });

/** The audit rows about `resourceId`, oldest first. */
export async function auditOf(tenantId: string, resourceId: string): Promise<z.infer<typeof AuditRow>[]> {
  const rows = await env.DB.prepare("select action, actor_type, actor_id, before, after from audit_log where tenant_id = ? and resource_id = ? order by id").bind(tenantId, resourceId).all();
  return rows.results.map((r) => AuditRow.parse(r));
}
