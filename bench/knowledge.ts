/**
 * Knowledge-base retrieval benchmark (`npm run bench:knowledge`): on the local stack
 * (workerd through Miniflare, local D1 and R2, the simulator as the embedding provider),
 * one knowledge base is filled with CHUNKS inventory rows (CSV uploads of 1,000 rows, one
 * chunk a row), then QUERIES searches go through POST /knowledge-bases/{id}/search one at
 * a time: the first (cold: vectors decoded and the lexical index built) is reported
 * alone, the rest as p50 / p95 / p99 of the whole HTTP round trip, query embedding
 * through the gateway included. Writes bench/results/knowledge-latest.{json,md}.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { z } from "zod";
import { machine } from "./lib/machine.ts";
import { startWorkflowStack, type Reply, type WorkflowStack } from "./workflows-stack.ts";

const CHUNKS = Number(process.env.BENCH_KNOWLEDGE_CHUNKS ?? 10_000);
const QUERIES = Number(process.env.BENCH_KNOWLEDGE_QUERIES ?? 300);
const ROWS_PER_UPLOAD = 1000;

const Id = z.object({ id: z.string() });
const Doc = z.object({ status: z.string(), chunkCount: z.number(), error: z.string().nullable() });
const Hits = z.object({ data: z.array(z.object({ text: z.string(), score: z.number() })) });

const MAKES: [string, string[]][] = [
  ["Honda", ["CR-V", "Civic", "Accord", "Pilot", "HR-V"]],
  ["Toyota", ["RAV4", "Camry", "Corolla", "Tacoma", "Highlander"]],
  ["Ford", ["F-150", "Escape", "Explorer", "Bronco", "Mustang"]],
  ["Chevrolet", ["Equinox", "Silverado", "Malibu", "Tahoe", "Traverse"]],
];
const COLORS = ["Red", "Blue", "White", "Black", "Silver", "Gray", "Green"];
const QUESTIONS = ["do you have a red CR-V under 30k?", "white Tacoma with low miles", "any black Silverado in stock", "blue Civic 2021", "F-150 XLT price", "green Bronco"];

function progress(msg: string): void {
  process.stderr.write(`[bench:knowledge] ${msg}\n`);
}

function expectStatus(reply: Reply, status: number, what: string): unknown {
  if (reply.status !== status) throw new Error(`${what}: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body;
}

/** Inventory rows `from`..`to` as a CSV export, deterministic so runs compare. */
function inventoryCsv(from: number, to: number): string {
  const lines = ["Year,Make,Model,Trim,Color,Mileage,Price,Stock"];
  for (let i = from; i < to; i++) {
    const [make, models] = MAKES[i % MAKES.length] ?? ["Honda", ["CR-V"]];
    const model = models[Math.floor(i / MAKES.length) % models.length] ?? "CR-V";
    const color = COLORS[i % COLORS.length] ?? "Red";
    lines.push(`${2015 + (i % 10)},${make},${model},${["LX", "EX", "XLE", "LT", "Sport"][i % 5]},${color},"${(5 + ((i * 37) % 120)) * 1000}","$${15 + ((i * 13) % 40)},${(i * 7) % 10}00",S${String(i).padStart(5, "0")}`);
  }
  return lines.join("\n");
}

function percentile(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return Math.round((sorted[i] ?? Number.NaN) * 100) / 100;
}

async function fill(stack: WorkflowStack): Promise<{ kbId: string; ingestMs: number }> {
  const kbId = Id.parse(expectStatus(await stack.api("POST", "/knowledge-bases", { name: "Bench inventory" }), 201, "create knowledge base")).id;
  const started = performance.now();
  for (let from = 0; from < CHUNKS; from += ROWS_PER_UPLOAD) {
    const to = Math.min(CHUNKS, from + ROWS_PER_UPLOAD);
    const body = { name: `inventory-${from}.csv`, content: inventoryCsv(from, to), contentType: "text/csv" };
    const doc = Doc.parse(expectStatus(await stack.api("POST", `/knowledge-bases/${kbId}/documents`, body), 201, "upload"));
    if (doc.status !== "ready" || doc.chunkCount !== to - from) throw new Error(`upload ${from}: ${doc.status} ${doc.error}`);
    progress(`${to} / ${CHUNKS} chunks indexed`);
  }
  return { kbId, ingestMs: Math.round(performance.now() - started) };
}

async function searchOnce(stack: WorkflowStack, kbId: string, query: string): Promise<number> {
  const started = performance.now();
  const reply = await stack.api("POST", `/knowledge-bases/${kbId}/search`, { query, topK: 5 });
  const ms = performance.now() - started;
  if (Hits.parse(expectStatus(reply, 200, "search")).data.length === 0) throw new Error(`no hits for ${query}`);
  return ms;
}

async function measure(stack: WorkflowStack) {
  const { kbId, ingestMs } = await fill(stack);
  const coldMs = Math.round((await searchOnce(stack, kbId, QUESTIONS[0] ?? "red CR-V")) * 100) / 100;
  const warm: number[] = [];
  for (let i = 0; i < QUERIES; i++) warm.push(await searchOnce(stack, kbId, `${QUESTIONS[i % QUESTIONS.length]} ${i}`));
  warm.sort((a, b) => a - b);
  return { chunks: CHUNKS, dimensions: 512, ingestMs, coldMs, queries: QUERIES, p50Ms: percentile(warm, 50), p95Ms: percentile(warm, 95), p99Ms: percentile(warm, 99) };
}

async function main(): Promise<void> {
  progress("starting the local stack");
  const stack = await startWorkflowStack();
  try {
    const r = await measure(stack);
    const out = { at: new Date().toISOString(), machine: machine(), stack: "workerd via Miniflare (wrangler deploy --dry-run bundle), local D1 and R2, sim as the embedding provider, loopback", store: "d1", ...r };
    const md = [
      "# Knowledge retrieval benchmark",
      "",
      `${out.at}, ${out.machine.cores} cores, ${out.machine.cpuModel}, Node ${out.machine.node}`,
      "",
      "POST /api/v1/knowledge-bases/{id}/search, one at a time, topK 5, hybrid (cosine over D1 vectors + BM25); the query is embedded through the gateway each time.",
      "",
      "| chunks | dims | ingest | cold search | queries | p50 | p95 | p99 |",
      "|---:|---:|---:|---:|---:|---:|---:|---:|",
      `| ${r.chunks} | ${r.dimensions} | ${(r.ingestMs / 1000).toFixed(1)} s | ${r.coldMs} ms | ${r.queries} | ${r.p50Ms} ms | ${r.p95Ms} ms | ${r.p99Ms} ms |`,
      "",
    ].join("\n");
    const dir = join(import.meta.dirname, "results");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "knowledge-latest.json"), `${JSON.stringify(out, null, 2)}\n`);
    writeFileSync(join(dir, "knowledge-latest.md"), md);
    console.log(md);
  } finally {
    await stack.close();
  }
}

await main();
