/**
 * Assistants benchmark (`npm run bench:assistants`): what the assistant pipeline adds to time
 * to first token, on the local stack (workerd through Miniflare with local D1, R2, queues and
 * Durable Objects; the simulator as the LLM with a fixed TTFT and as the embedding provider).
 * One tenant, a knowledge base of CHUNKS inventory rows, and three ways to ask the same
 * question, measured side by side in one run (interleaved, so drift hits all three alike):
 *   (a) POST /v1/chat/completions, stream: true — the plain gateway call, to the first content delta;
 *   (b) POST /api/v1/assistants/{id}/chat with the full pipeline — to the first `delta` event;
 *   (c) the same assistant without the `retrieval` step — splits retrieval from the rest.
 * REQUESTS sequential turns of each, then ROUNDS bursts of CONCURRENCY at once of each.
 * Target: (b) - (a) under 50 ms at p50. Writes bench/results/assistants-latest.{json,md}.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cpuSnapshot, foreignCpuPct, machine } from "./lib/machine.ts";
import { isContentChunk, isDeltaEvent, percentiles, pool, timeStream, type Timed } from "./assistants-measure.ts";
import { QUESTIONS, seedAssistants, type Seeded } from "./assistants-seed.ts";
import { startAssistantStack, type AssistantStack } from "./assistants-stack.ts";
import { markdown, TARGET_ADDED_MS, VARIANTS, type PhaseResult, type Results, type Variant } from "./assistants-report.ts";

const CHUNKS = Number(process.env.BENCH_ASSISTANT_CHUNKS ?? 10_000);
const DOCUMENTS = Number(process.env.BENCH_ASSISTANT_DOCUMENTS ?? 4);
const REQUESTS = Number(process.env.BENCH_ASSISTANT_REQUESTS ?? 100);
const WARMUP = Number(process.env.BENCH_ASSISTANT_WARMUP ?? 5);
const CONCURRENCY = Number(process.env.BENCH_ASSISTANT_CONCURRENCY ?? 8);
const ROUNDS = Number(process.env.BENCH_ASSISTANT_ROUNDS ?? 5);
/** The simulated model's time to first token (a short gpt-4o-mini answer starts in a few hundred ms). */
const MODEL_TTFT_MS = Number(process.env.BENCH_MODEL_TTFT_MS ?? 300);
/** The simulated embedding call's latency; 0 keeps it at loopback speed (see the report's note). */
const EMBED_LATENCY_MS = Number(process.env.BENCH_EMBED_LATENCY_MS ?? 0);

type Samples = Record<Variant, number[]>;

function progress(msg: string): void {
  process.stderr.write(`[bench:assistants] ${msg}\n`);
}

const empty = (): Samples => ({ plain: [], full: [], noRetrieval: [] });

/** One turn of `variant` asking `content`, timed; checks the answer has the shape that variant promises. */
async function turn(stack: AssistantStack, seeded: Seeded, variant: Variant, content: string): Promise<Timed> {
  if (variant === "plain") {
    const body = { model: "gpt-4o-mini", messages: [{ role: "user", content }], stream: true, stream_options: { include_usage: true } };
    return timeStream(`${stack.base}/v1/chat/completions`, { method: "POST", headers: { authorization: `Bearer ${stack.gatewayKey}`, "content-type": "application/json" }, body: JSON.stringify(body) }, isContentChunk);
  }
  const id = variant === "full" ? seeded.full.id : seeded.noRetrieval.id;
  const init = { method: "POST", headers: { authorization: `Bearer ${stack.adminKey}`, "content-type": "application/json" }, body: JSON.stringify({ content }) };
  const timed = await timeStream(`${stack.base}/api/v1/assistants/${id}/chat`, init, isDeltaEvent);
  if (!timed.events.has("done")) throw new Error(`${variant}: the turn ended without 'done'`);
  if ((variant === "full") !== timed.events.has("citations")) throw new Error(`${variant}: citations ${timed.events.has("citations") ? "present" : "missing"}`);
  return timed;
}

/** The variants in an order that rotates with `i`, so none always goes first. */
const rotation = (i: number): Variant[] => VARIANTS.map((_, k) => VARIANTS[(i + k) % VARIANTS.length] ?? "plain");

function summarise(ttft: Samples, total: Samples, otherCpuPct: number): PhaseResult {
  const by = (s: Samples) => ({ plain: percentiles(s.plain), full: percentiles(s.full), noRetrieval: percentiles(s.noRetrieval) });
  return { ttftMs: by(ttft), totalMs: by(total), otherCpuPct };
}

async function sequential(stack: AssistantStack, seeded: Seeded): Promise<PhaseResult> {
  const ttft = empty();
  const total = empty();
  const before = cpuSnapshot(null);
  for (let i = 0; i < REQUESTS; i++) {
    const content = QUESTIONS[i % QUESTIONS.length] ?? "Do you have a red CR-V?";
    for (const v of rotation(i)) {
      const t = await turn(stack, seeded, v, content);
      ttft[v].push(t.ttftMs);
      total[v].push(t.totalMs);
    }
    if ((i + 1) % 25 === 0) progress(`sequential: ${i + 1} / ${REQUESTS}`);
  }
  const result = summarise(ttft, total, foreignCpuPct(before, cpuSnapshot(null)));
  // The same question asked both ways in the same iteration: the difference per pair.
  return { ...result, pairedAddedMs: percentiles(ttft.full.map((b, i) => b - (ttft.plain[i] ?? Number.NaN))) };
}

async function concurrent(stack: AssistantStack, seeded: Seeded): Promise<PhaseResult> {
  const ttft = empty();
  const total = empty();
  const before = cpuSnapshot(null);
  for (let round = 0; round < ROUNDS; round++) {
    for (const v of rotation(round)) {
      await pool(CONCURRENCY, CONCURRENCY, async (i) => {
        const t = await turn(stack, seeded, v, QUESTIONS[(round + i) % QUESTIONS.length] ?? "Do you have a red CR-V?");
        ttft[v].push(t.ttftMs);
        total[v].push(t.totalMs);
      });
    }
  }
  return summarise(ttft, total, foreignCpuPct(before, cpuSnapshot(null)));
}

/** The first turn of each variant after seeding (the full pipeline's first search loads the base's vectors and lexical index), then WARMUP more, discarded. */
async function warm(stack: AssistantStack, seeded: Seeded): Promise<Record<Variant, number>> {
  const first = { plain: 0, full: 0, noRetrieval: 0 };
  for (const v of VARIANTS) first[v] = Math.round((await turn(stack, seeded, v, QUESTIONS[0] ?? "")).ttftMs * 100) / 100;
  for (let i = 0; i < WARMUP; i++) for (const v of rotation(i)) await turn(stack, seeded, v, QUESTIONS[i % QUESTIONS.length] ?? "");
  return first;
}

async function addScenario(stack: AssistantStack, scenario: object): Promise<void> {
  const res = await fetch(`${stack.sim.url}/_sim/scenarios`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(scenario) });
  if (res.status !== 201) throw new Error(`the simulator refused ${JSON.stringify(scenario)}: ${await res.text()}`);
}

async function main(): Promise<void> {
  const startedAt = Date.now();
  progress("bundling the Worker and starting the local stack");
  const stack = await startAssistantStack();
  const stop = () => void stack.close().finally(() => process.exit(130));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  try {
    await addScenario(stack, { match: { path: "/chat/completions" }, ttftMs: MODEL_TTFT_MS });
    if (EMBED_LATENCY_MS > 0) await addScenario(stack, { match: { path: "/embeddings" }, latencyMs: EMBED_LATENCY_MS });
    const seeded = await seedAssistants(stack, CHUNKS, DOCUMENTS, progress);
    progress("first turns and warm-up");
    const firstTurnMs = await warm(stack, seeded);
    progress(`${REQUESTS} sequential turns of each variant`);
    const seq = await sequential(stack, seeded);
    progress(`${ROUNDS} rounds of ${CONCURRENCY} concurrent turns of each variant`);
    const conc = await concurrent(stack, seeded);
    const out: Results = {
      at: new Date().toISOString(),
      machine: machine(),
      stack: "workerd via Miniflare (wrangler deploy --dry-run bundle), local D1, R2, queues and Durable Objects, sim as the LLM and embedding provider, loopback",
      modelTtftMs: MODEL_TTFT_MS,
      embedLatencyMs: EMBED_LATENCY_MS,
      knowledgeBase: { chunks: seeded.chunks, documents: seeded.documents, ingestMs: seeded.ingestMs, store: "d1" },
      pipelines: { full: seeded.full.pipeline, noRetrieval: seeded.noRetrieval.pipeline },
      targetAddedMs: TARGET_ADDED_MS,
      firstTurnTtftMs: firstTurnMs,
      sequential: { requestsPerVariant: REQUESTS, ...seq },
      concurrent: { concurrency: CONCURRENCY, rounds: ROUNDS, ...conc },
      runSeconds: Math.round((Date.now() - startedAt) / 1000),
    };
    const md = markdown(out);
    const dir = join(import.meta.dirname, "results");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "assistants-latest.json"), `${JSON.stringify(out, null, 2)}\n`);
    writeFileSync(join(dir, "assistants-latest.md"), md);
    console.log(md);
  } finally {
    await stack.close();
  }
}

await main();
