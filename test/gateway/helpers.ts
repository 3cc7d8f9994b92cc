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

/** The usage row of a request, once the queue consumer has written it (bounded wait). */
export async function waitForUsage(id: string, attempts = 100): Promise<UsageRow> {
  for (let i = 0; i < attempts; i++) {
    const row = await env.DB.prepare("select * from usage_events where id = ?").bind(id).first();
    if (row) return usageRow.parse(row);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no usage row for ${id} after ${attempts} polls`);
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
