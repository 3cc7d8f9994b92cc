/**
 * Helpers for training tests: datasets, jobs through the API, and the simulated GPU
 * provider's control API (its held callbacks are relayed to the Worker by the test, which
 * is how "late", "twice" and "out of order" are staged).
 */
import { env, exports } from "cloudflare:workers";
import { z } from "zod";
import { call, expectOk } from "../../api/helpers";
import { createTestTenant } from "../../helpers/fixtures";

export const Dataset = z.object({
  id: z.string(), name: z.string(), source: z.string(), bytes: z.number(), sha256: z.string(), examples: z.number(), tokens: z.number(),
  scrubbed: z.boolean(), redactions: z.number(), estimates: z.array(z.object({ provider: z.string(), epochs: z.number(), costNanoUsd: z.number() })),
});

export const Job = z.object({
  id: z.string(), status: z.string(), provider: z.string(), providerJobId: z.string().nullable(), providerStatus: z.string().nullable(), progress: z.number(),
  trainedTokens: z.number(), costNanoUsd: z.number(), etaSeconds: z.number().nullable(), fineTunedModel: z.string().nullable(), servingBaseUrl: z.string().nullable(),
  metrics: z.record(z.string(), z.number()).nullable(), error: z.object({ code: z.string(), message: z.string() }).nullable(),
  modelId: z.string().nullable(), modelVersionId: z.string().nullable(), modelVersion: z.number().nullable(), datasetSha256: z.string(),
});
export type Job = z.infer<typeof Job>;

export const SimCallback = z.object({ seq: z.number(), status: z.string(), headers: z.record(z.string(), z.string()), body: z.string(), deliveries: z.array(z.unknown()) });
export type SimCallback = z.infer<typeof SimCallback>;
const SimJob = z.object({ id: z.string(), status: z.string(), delivery: z.string(), callbacks: z.array(SimCallback), training_file: z.string() });

export function example(user: string, answer: string, system?: string): string {
  const messages = [...(system ? [{ role: "system", content: system }] : []), { role: "user", content: user }, { role: "assistant", content: answer }];
  return JSON.stringify({ messages });
}

export const GOOD_JSONL = [
  example("Is the 2022 Civic still available?", "Yes! It is on the lot today. Want to book a test drive?", "You are a dealership assistant."),
  example("When is my next oil change due?", "Your 2020 Camry is due at 35,000 miles, about next month."),
  example("Do you take trade-ins?", "We do. Tell me the year, make, model and mileage and I will get you an estimate."),
].join("\n");

export async function tenant(): Promise<string> {
  return (await createTestTenant("Training Motors")).adminKey;
}

export async function uploadDataset(token: string, jsonl = GOOD_JSONL, query = "?name=leads") {
  return expectOk(await call("POST", `/datasets${query}`, { token, raw: jsonl, contentType: "application/jsonl" }), 201, Dataset);
}

export async function createJob(token: string, datasetId: string, extra: Record<string, unknown> = {}): Promise<Job> {
  const body = { datasetId, baseModel: "llama-3.1-8b", provider: "generic", hyperparameters: { epochs: 2 }, modelKey: "lead-reply", suffix: "leads", ...extra };
  return expectOk(await call("POST", "/training-jobs", { token, body }), 201, Job);
}

export async function getJob(token: string, id: string): Promise<Job> {
  return expectOk(await call("GET", `/training-jobs/${id}`, { token }), 200, Job);
}

async function gpu(method: string, path: string, body?: unknown) {
  const res = await fetch(`${env.SIM_URL}/gpu/_control${path}`, { method, headers: { "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!res.ok) throw new Error(`sim ${method} ${path}: ${res.status} ${await res.text()}`);
  return SimJob.parse(await res.json());
}

/** Moves the simulated job on; returns the callbacks it holds (all of them, oldest first). */
export async function advance(providerJobId: string, opts: { steps?: number; to?: string } = {}): Promise<SimCallback[]> {
  return (await gpu("POST", `/jobs/${providerJobId}/advance`, opts)).callbacks;
}

export async function failSim(providerJobId: string, message: string): Promise<SimCallback[]> {
  return (await gpu("POST", `/jobs/${providerJobId}/fail`, { message })).callbacks;
}

export async function setDelivery(providerJobId: string, delivery: "push" | "hold" | "drop") {
  return gpu("PUT", `/jobs/${providerJobId}`, { delivery });
}

export async function simJob(providerJobId: string) {
  return gpu("GET", `/jobs/${providerJobId}`);
}

/** Delivers a callback to the Worker as the provider would. */
export async function relay(jobId: string, cb: { headers: Record<string, string>; body: string }): Promise<{ status: number; body: unknown }> {
  const res = await exports.default.fetch(`http://auterity.test/hooks/training/${jobId}`, { method: "POST", headers: cb.headers, body: cb.body });
  return { status: res.status, body: await res.json() };
}

export const CallbackAnswer = z.object({ accepted: z.literal(true), applied: z.boolean(), reason: z.string().nullable(), status: z.string() });

/** Signs `body` as the job's provider would, with the job's own secret (or `secret`). */
export async function signedAs(jobId: string, body: unknown, opts: { secret?: string; id?: string; at?: number } = {}) {
  const { findJobById } = await import("../../../workers/models/training/jobs");
  const { openSecret } = await import("../../../workers/lib/secret-box");
  const { webhookHeaders } = await import("../../../workers/webhooks/signing");
  const row = await findJobById((await import("../../../workers/db")).makeDb(env.DB), jobId);
  const secret = opts.secret ?? (row ? await openSecret(env.MASTER_KEY, row.callbackSecretEnc) : "whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
  const text = JSON.stringify(body);
  const headers = await webhookHeaders([secret], opts.id ?? `msg_${crypto.randomUUID()}`, Math.floor((opts.at ?? Date.now()) / 1000), text);
  return { headers: { ...headers, "content-type": "application/json" }, body: text };
}
