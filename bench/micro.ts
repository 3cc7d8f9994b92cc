/**
 * Micro-benchmarks of the steps of one gateway call, importing the gateway's own modules
 * (in Node: same V8 as workerd, but Node's fetch and crypto). Explains where the added
 * latency of the end-to-end run goes without any switch in product code. Prints one JSON line.
 *
 *   node --import tsx bench/micro.ts
 */
import { Hono } from "hono";
import OpenAI from "openai";
import { bodyLimit } from "hono/body-limit";
import { startSim } from "../sim/server.ts";
import { chatCompletionsBody } from "../workers/gateway/schemas.ts";
import { translateRequest, translateResponse, translateStream, usageOf } from "../workers/gateway/translate/index.ts";
import { sha256Hex } from "../workers/lib/crypto.ts";
import { newId } from "../workers/lib/ids.ts";
import { requestId } from "../workers/lib/request-id.ts";
import { CHAT_BODY, STREAM_BODY } from "./config.ts";

type Row = { name: string; nsPerOp: number; opsPerSec: number; note: string };
const rows: Row[] = [];

function record(name: string, totalMs: number, n: number, note: string): void {
  const ns = (totalMs * 1e6) / n;
  rows.push({ name, nsPerOp: Math.round(ns), opsPerSec: Math.round(1e9 / ns), note });
}

/** Times `fn` over `n` iterations after `n / 10` warm-up iterations. */
async function bench(name: string, n: number, note: string, fn: () => unknown): Promise<void> {
  for (let i = 0; i < Math.ceil(n / 10); i++) await fn();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await fn();
  record(name, performance.now() - t0, n, note);
}

async function cpuSteps(answerText: string, sseText: string): Promise<void> {
  const key = `sk-aut-${"a".repeat(44)}`;
  const parsedBody = chatCompletionsBody.parse(JSON.parse(CHAT_BODY));
  await bench("request body: JSON.parse + zod (chatCompletionsBody)", 20_000, "every call", () => chatCompletionsBody.safeParse(JSON.parse(CHAT_BODY)));
  // crypto.subtle.timingSafeEqual exists only in workerd; the hash is the part that costs.
  await bench("API key: sha256 of the presented key (cache hit)", 10_000, "every call; the D1 read is cached 30 s", () => sha256Hex(key));
  await bench("ids: newId('req')", 20_000, "request id and usage event id", () => newId("req"));
  await bench("translateRequest chat -> chat", 20_000, "every call", () => translateRequest("openai-chat", "openai-chat", { ...parsedBody, model: "gpt-4o-mini" }));
  await bench("answer: JSON.parse + translateResponse + usageOf + JSON.stringify", 20_000, "non-streamed calls", () => {
    const answer: unknown = JSON.parse(answerText);
    const out = translateResponse("openai-chat", "openai-chat", answer, parsedBody);
    usageOf("openai-chat", answer);
    return JSON.stringify(out);
  });
  // The shape of a usage event, for the cost of serialising one; its exact fields do not matter here.
  const event = { id: newId("req"), requestId: newId("req"), cacheHit: false, tenantId: "ten_x", apiKeyId: "key_x", userId: null, endpoint: "/v1/chat/completions", modelRequested: "gpt-4o-mini", modelServed: "gpt-4o-mini", provider: "openai", inputTokens: 13, outputTokens: 32, cachedTokens: 0, costNanoUsd: 46050, latencyMs: 2, ttftMs: null, status: 200, attempts: 1, stream: false, errorCode: null, tags: [], createdAt: Date.now() };
  await bench("usage event: structured clone (what queue.send serialises)", 20_000, "every call, after the response (waitUntil)", () => structuredClone(event));
  const bytes = new TextEncoder().encode(sseText);
  const clientRequest = chatCompletionsBody.parse(JSON.parse(STREAM_BODY));
  await bench("translateStream chat -> chat, one 48-token answer", 1_500, `${sseText.split("\n\n").length - 1} SSE events per stream`, async () => {
    const upstream = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(bytes);
        c.close();
      },
    });
    const reader = translateStream(upstream, "openai-chat", "openai-chat", clientRequest, {}).getReader();
    while (!(await reader.read()).done);
  });
}

async function frameworkStep(): Promise<void> {
  const bare = new Hono();
  bare.post("/v1/chat/completions", async (c) => c.json(JSON.parse(await c.req.text())));
  const withMiddleware = new Hono();
  withMiddleware.use("*", requestId);
  withMiddleware.post("/v1/chat/completions", bodyLimit({ maxSize: 8 * 1024 * 1024 }), async (c) => c.json(JSON.parse(await c.req.text())));
  const req = (): Request => new Request("http://bench.test/v1/chat/completions", { method: "POST", headers: { "content-type": "application/json", "content-length": String(CHAT_BODY.length) }, body: CHAT_BODY });
  await bench("Hono: route + read JSON body + c.json", 20_000, "baseline for the row below", () => bare.fetch(req()));
  // The request-id middleware also opens the log context and writes the JSON access line; the
  // line is built as in production, and its console output discarded (the Workers runtime
  // ships console output to its log pipeline; a terminal would measure the terminal).
  const print = console.log;
  console.log = () => undefined;
  try {
    await bench("Hono: + requestId (log context, JSON access line) + bodyLimit middleware", 20_000, "every call", () => withMiddleware.fetch(req()));
  } finally {
    console.log = print;
  }
}

async function upstreamStep(answerText: string): Promise<void> {
  // A stubbed fetch isolates what the SDK adds per call (URL, headers, abort and timeout
  // plumbing, response wrapping) from the network, which the end-to-end run measures.
  const stub = async (): Promise<Response> => new Response(answerText, { headers: { "content-type": "application/json" } });
  const sdk = new OpenAI({ apiKey: "sk-sim", baseURL: "http://sim.test/openai/v1", maxRetries: 0, fetch: stub });
  const body = { model: "gpt-4o-mini", max_tokens: 32, messages: [{ role: "user" as const, content: "Say hello to the dealership." }] };
  await bench("upstream: bare fetch call + read body (fetch stubbed)", 20_000, "baseline for the row below", async () => (await stub()).text());
  await bench("upstream: OpenAI SDK .asResponse() + read body (fetch stubbed)", 20_000, "what the OpenAI adapter adds per call", async () => {
    const res = await sdk.chat.completions.create(body, { maxRetries: 0, timeout: 300_000 }).asResponse();
    return res.text();
  });
}

async function main(): Promise<void> {
  const sim = await startSim({ port: 0 });
  try {
    const headers = { authorization: "Bearer sk-sim", "content-type": "application/json" };
    const answerText = await (await fetch(`${sim.url}/openai/v1/chat/completions`, { method: "POST", headers, body: CHAT_BODY })).text();
    const sseText = await (await fetch(`${sim.url}/openai/v1/chat/completions`, { method: "POST", headers, body: STREAM_BODY })).text();
    await cpuSteps(answerText, sseText);
    await frameworkStep();
    await upstreamStep(answerText);
  } finally {
    await sim.close();
  }
  process.stdout.write(`${JSON.stringify(rows)}\n`);
}

await main();
