/**
 * What the assistants benchmark talks to: a knowledge base of an inventory export (CSV, one
 * chunk a row) uploaded in a few documents through the API, and two assistants on it that
 * differ only in their pipeline (every step, and every step but retrieval).
 */
import { performance } from "node:perf_hooks";
import { z } from "zod";
import type { AssistantStack, Reply } from "./assistants-stack.ts";

const Id = z.object({ id: z.string() });
const Doc = z.object({ status: z.string(), chunkCount: z.number(), error: z.string().nullable() });
const Assistant = z.object({ id: z.string(), pipeline: z.array(z.string()) });

const MAKES: [string, string[]][] = [
  ["Honda", ["CR-V", "Civic", "Accord", "Pilot", "HR-V"]],
  ["Toyota", ["RAV4", "Camry", "Corolla", "Tacoma", "Highlander"]],
  ["Ford", ["F-150", "Escape", "Explorer", "Bronco", "Mustang"]],
  ["Chevrolet", ["Equinox", "Silverado", "Malibu", "Tahoe", "Traverse"]],
];
const COLORS = ["Red", "Blue", "White", "Black", "Silver", "Gray", "Green"];
const TRIMS = ["LX", "EX", "XLE", "LT", "Sport"];

/** What visitors ask (no contact details, so no turn becomes a lead and starts more work). */
export const QUESTIONS = [
  "Do you have a red Honda CR-V under $30k?",
  "Any white Toyota Tacoma with low miles?",
  "Is there a black Chevrolet Silverado in stock?",
  "Looking for a blue Honda Civic, 2021 or newer.",
  "What does a Ford F-150 XLT cost?",
  "Do you have a green Ford Bronco?",
];

export const INSTRUCTIONS = "You answer website visitors for the dealership. Be brief and quote stock numbers.";

function expectStatus(reply: Reply, status: number, what: string): unknown {
  if (reply.status !== status) throw new Error(`${what}: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body;
}

/** Inventory rows `from`..`to` as a dealer management system exports them; deterministic so runs compare. */
export function inventoryCsv(from: number, to: number): string {
  const lines = ["Year,Make,Model,Trim,Color,Mileage,Price,Stock"];
  for (let i = from; i < to; i++) {
    const [make, models] = MAKES[i % MAKES.length] ?? ["Honda", ["CR-V"]];
    const model = models[Math.floor(i / MAKES.length) % models.length] ?? "CR-V";
    const price = `$${15 + ((i * 13) % 40)},${(i * 7) % 10}00`;
    lines.push(`${2015 + (i % 10)},${make},${model},${TRIMS[i % TRIMS.length]},${COLORS[i % COLORS.length]},"${(5 + ((i * 37) % 120)) * 1000}","${price}",S${String(i).padStart(5, "0")}`);
  }
  return lines.join("\n");
}

export type Seeded = { kbId: string; chunks: number; documents: number; ingestMs: number; full: { id: string; pipeline: string[] }; noRetrieval: { id: string; pipeline: string[] } };

/** A knowledge base of `chunks` inventory rows in `documents` uploads, and the two assistants. */
export async function seedAssistants(stack: AssistantStack, chunks: number, documents: number, progress: (msg: string) => void): Promise<Seeded> {
  const kbId = Id.parse(expectStatus(await stack.api("POST", "/knowledge-bases", { name: "Used and new inventory" }), 201, "create knowledge base")).id;
  const perDoc = Math.ceil(chunks / documents);
  const started = performance.now();
  for (let from = 0; from < chunks; from += perDoc) {
    const to = Math.min(chunks, from + perDoc);
    const body = { name: `inventory-${from / perDoc + 1}.csv`, content: inventoryCsv(from, to), contentType: "text/csv" };
    const doc = Doc.parse(expectStatus(await stack.api("POST", `/knowledge-bases/${kbId}/documents`, body), 201, "upload inventory"));
    if (doc.status !== "ready" || doc.chunkCount !== to - from) throw new Error(`inventory rows ${from}..${to}: ${doc.status}, ${doc.chunkCount} chunks, ${doc.error}`);
    progress(`${to} / ${chunks} chunks indexed`);
  }
  const ingestMs = Math.round(performance.now() - started);
  const common = { model: "gpt-4o-mini", instructions: INSTRUCTIONS, knowledgeBaseIds: [kbId], department: "sales", leadThreshold: 100 };
  const full = Assistant.parse(expectStatus(await stack.api("POST", "/assistants", { name: "Sales desk", ...common }), 201, "create assistant"));
  const pipeline = full.pipeline.filter((s) => s !== "retrieval");
  const noRetrieval = Assistant.parse(expectStatus(await stack.api("POST", "/assistants", { name: "Sales desk (no retrieval)", ...common, pipeline }), 201, "create assistant without retrieval"));
  if (!full.pipeline.includes("retrieval") || noRetrieval.pipeline.includes("retrieval")) throw new Error(`unexpected pipelines: ${full.pipeline} / ${noRetrieval.pipeline}`);
  return { kbId, chunks, documents, ingestMs, full, noRetrieval };
}
