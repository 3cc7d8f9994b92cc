/**
 * What the gateway tests share: the official SDKs pointed at the Worker, the simulator's
 * control API, and a bounded wait for usage rows the queue consumer writes.
 */
import Anthropic from "@anthropic-ai/sdk";
import { env, exports } from "cloudflare:workers";
import OpenAI from "openai";
import { z } from "zod";
import { modelAliases, providerCredentials, type ProviderKind } from "../../d1/schema";
import { makeDb } from "../../workers/db";
import { newId, randomString } from "../../workers/lib/ids";
import { sealSecret } from "../../workers/lib/secret-box";

export const BASE = "http://auterity.test";

export const workerFetch = (url: string | URL | Request, init?: RequestInit): Promise<Response> => exports.default.fetch(url, init);

/** The openai SDK, unchanged but for its base URL and key. */
export function openaiClient(apiKey: string): OpenAI {
  return new OpenAI({ apiKey, baseURL: `${BASE}/v1`, fetch: workerFetch, maxRetries: 0 });
}

/** The Anthropic SDK, unchanged but for its base URL and key. */
export function anthropicClient(apiKey: string): Anthropic {
  return new Anthropic({ apiKey, baseURL: BASE, fetch: workerFetch, maxRetries: 0 });
}

/** A request id of our choosing, so a test can find its own usage row and upstream request. */
export function requestId(): string {
  return `test-${randomString(16)}`;
}

/** A word no other test sends: scenarios match on it, so concurrent test files cannot collide. */
export function marker(): string {
  return `mark${randomString(12)}`;
}

/** A fault or pacing scenario in the simulator (see sim/faults.ts). */
export async function addScenario(scenario: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${env.SIM_URL}/_sim/scenarios`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(scenario),
  });
  if (res.status !== 201) throw new Error(`scenario refused: ${res.status} ${await res.text()}`);
}

const recorded = z.object({
  data: z.array(z.object({ path: z.string(), provider: z.string(), headers: z.record(z.string(), z.unknown()), body: z.unknown() })),
});
export type RecordedRequest = z.infer<typeof recorded>["data"][number];

/** What the simulator received whose body contains `text`, oldest first. */
export async function upstreamRequests(text: string): Promise<RecordedRequest[]> {
  const res = await fetch(`${env.SIM_URL}/_sim/requests?limit=100&contains=${encodeURIComponent(text)}`);
  return recorded.parse(await res.json()).data;
}

const usageRow = z.object({
  id: z.string(),
  request_id: z.string().nullable(),
  attempts: z.number(),
  cache_hit: z.number(),
  tenant_id: z.string(),
  api_key_id: z.string().nullable(),
  endpoint: z.string(),
  model_requested: z.string(),
  model_served: z.string().nullable(),
  provider: z.string().nullable(),
  input_tokens: z.number(),
  output_tokens: z.number(),
  cached_tokens: z.number(),
  cost_nano_usd: z.number(),
  latency_ms: z.number(),
  ttft_ms: z.number().nullable(),
  status: z.number(),
  stream: z.number(),
  error_code: z.string().nullable(),
  tags: z.string(),
});
export type UsageRow = z.infer<typeof usageRow>;

/** The usage row of a request (by its x-request-id), once the queue consumer has written it (bounded wait). */
export async function waitForUsage(requestId: string, attempts = 100): Promise<UsageRow> {
  for (let i = 0; i < attempts; i++) {
    const row = await env.DB.prepare("select * from usage_events where request_id = ?").bind(requestId).first();
    if (row) return usageRow.parse(row);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no usage row for ${requestId} after ${attempts} polls`);
}

/** Adds one of the tenant's own providers (a BYOK key or an OpenAI-compatible host). */
export async function addProvider(
  tenantId: string,
  p: { name: string; kind: ProviderKind; baseUrl?: string | null; apiKey?: string | null; models?: string[] },
): Promise<void> {
  const apiKeyEnc = p.apiKey ? await sealSecret(env.MASTER_KEY, p.apiKey) : null;
  await makeDb(env.DB).insert(providerCredentials).values({
    id: newId("prv"),
    tenantId,
    name: p.name,
    kind: p.kind,
    baseUrl: p.baseUrl ?? null,
    apiKeyEnc,
    models: p.models ?? [],
    createdAt: Date.now(),
  });
}

export async function addAlias(tenantId: string, alias: string, target: string): Promise<void> {
  await makeDb(env.DB).insert(modelAliases).values({ tenantId, alias, target, createdAt: Date.now() });
}

/** The simulator's OpenAI base URL, as a tenant would configure an OpenAI-compatible host. */
export function simOpenAIBaseUrl(): string {
  return `${env.SIM_URL}/openai/v1`;
}

/** Calls the platform API (/api/v1) as `key`, with a JSON body when one is given. */
export function api(key: string, method: string, path: string, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = { authorization: `Bearer ${key}` };
  if (body !== undefined) headers["content-type"] = "application/json";
  return workerFetch(`${BASE}/api/v1${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
}

/** Saves the tenant's routing rules through the API; throws with the answer when they are refused. */
export async function putRouting(adminKey: string, yaml: string): Promise<void> {
  const res = await api(adminKey, "PUT", "/gateway/routing", { yaml });
  if (res.status !== 200) throw new Error(`routing rules refused: ${res.status} ${await res.text()}`);
}

/**
 * Gives a tenant its own OpenAI and Anthropic keys (the simulator still answers). Its
 * circuits are then keyed to the tenant, so a test that breaks them breaks no one else's.
 */
export async function ownProviderKeys(tenantId: string): Promise<void> {
  await addProvider(tenantId, { name: "openai", kind: "openai", apiKey: `sk-own-${randomString(8)}` });
  await addProvider(tenantId, { name: "anthropic", kind: "anthropic", apiKey: `sk-ant-own-${randomString(8)}` });
}

/** Reads until `done` holds, at most `attempts` times, 100 ms apart; answers the value that held. */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, attempts = 100): Promise<T> {
  let last: T | undefined;
  for (let i = 0; i < attempts; i++) {
    last = await read();
    if (done(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what}: not reached after ${attempts} polls (last: ${JSON.stringify(last)})`);
}

/** A tenant's usage rows, once the queue consumer has written `count` of them (bounded wait). */
export async function waitForTenantUsage(tenantId: string, count: number): Promise<UsageRow[]> {
  const read = async () => (await env.DB.prepare("select * from usage_events where tenant_id = ?").bind(tenantId).all()).results.map((r) => usageRow.parse(r));
  return eventually(read, (rows) => rows.length >= count, `${count} usage rows for ${tenantId}`, 200);
}

/** List prices in nano-USD per token (USD per million tokens x 1000), as the catalog seeds them. */
const NANO_PER_TOKEN: Record<string, { input: number; cached: number; output: number }> = {
  "gpt-4o": { input: 2_500, cached: 1_250, output: 10_000 },
  "gpt-4o-mini": { input: 150, cached: 75, output: 600 },
  "claude-3-5-haiku-latest": { input: 800, cached: 80, output: 4_000 },
  "text-embedding-3-small": { input: 20, cached: 20, output: 0 },
};

/** What a usage row should cost: its tokens at the served model's list price. */
export function listCost(row: Pick<UsageRow, "model_served" | "input_tokens" | "cached_tokens" | "output_tokens">): number {
  const price = NANO_PER_TOKEN[row.model_served ?? ""];
  if (!price) throw new Error(`no list price in the tests for ${row.model_served}`);
  return (row.input_tokens - row.cached_tokens) * price.input + row.cached_tokens * price.cached + row.output_tokens * price.output;
}

const spendList = z.object({
  data: z.array(z.object({ budgetId: z.string(), limitNanoUsd: z.number(), spentNanoUsd: z.number(), reservedNanoUsd: z.number(), remainingNanoUsd: z.number() })),
});
export type SpendRow = z.infer<typeof spendList>["data"][number];

/** GET /api/v1/spend: every budget's current window. */
export async function spendOf(adminKey: string): Promise<SpendRow[]> {
  const res = await api(adminKey, "GET", "/spend");
  if (res.status !== 200) throw new Error(`spend: ${res.status} ${await res.text()}`);
  return spendList.parse(await res.json()).data;
}

/** POST /api/v1/budgets; answers the budget's id. */
export async function createBudget(adminKey: string, budget: Record<string, unknown>): Promise<string> {
  const res = await api(adminKey, "POST", "/budgets", budget);
  if (res.status !== 201) throw new Error(`budget refused: ${res.status} ${await res.text()}`);
  return z.object({ id: z.string() }).parse(await res.json()).id;
}
