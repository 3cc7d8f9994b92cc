/**
 * The assistants benchmark's result shape and its Markdown report: TTFT per variant and
 * phase, and the differences that answer the question (what the pipeline adds, what
 * retrieval costs, what the other steps cost) against the 50 ms target.
 */
import type { Percentiles } from "./assistants-measure.ts";
import type { Machine } from "./lib/machine.ts";

/** The pipeline may add at most this to TTFT at p50 over a plain gateway call. */
export const TARGET_ADDED_MS = 50;

export const VARIANTS = ["plain", "full", "noRetrieval"] as const;
export type Variant = (typeof VARIANTS)[number];

const LABELS: Record<Variant, string> = {
  plain: "(a) plain gateway call",
  full: "(b) assistant, full pipeline",
  noRetrieval: "(c) assistant without retrieval",
};

export type PhaseResult = {
  ttftMs: Record<Variant, Percentiles>;
  totalMs: Record<Variant, Percentiles>;
  otherCpuPct: number;
  /** Sequential only: (b) - (a) for the same question in the same iteration. */
  pairedAddedMs?: Percentiles;
};

export type Results = {
  at: string;
  machine: Machine;
  stack: string;
  modelTtftMs: number;
  embedLatencyMs: number;
  knowledgeBase: { chunks: number; documents: number; ingestMs: number; store: string };
  pipelines: { full: string[]; noRetrieval: string[] };
  targetAddedMs: number;
  firstTurnTtftMs: Record<Variant, number>;
  sequential: PhaseResult & { requestsPerVariant: number };
  concurrent: PhaseResult & { concurrency: number; rounds: number };
  runSeconds: number;
};

const ms = (n: number) => `${n.toFixed(1)} ms`;
const diff = (p: PhaseResult, x: Variant, y: Variant, at: "p50" | "p95") => p.ttftMs[x][at] - p.ttftMs[y][at];
const pair = (p: PhaseResult, x: Variant, y: Variant) => `${ms(diff(p, x, y, "p50"))} / ${ms(diff(p, x, y, "p95"))}`;

/** Whether the pipeline stayed under the target at p50 in the sequential phase. */
export function passes(r: Results): boolean {
  return diff(r.sequential, "full", "plain", "p50") < r.targetAddedMs;
}

function ttftRows(name: string, p: PhaseResult): string[] {
  return (["plain", "full", "noRetrieval"] as const).map((v) => {
    const t = p.ttftMs[v];
    return `| ${name} | ${LABELS[v]} | ${t.count} | ${ms(t.p50)} | ${ms(t.p95)} | ${ms(t.p99)} | ${ms(t.max)} | ${ms(p.totalMs[v].p50)} |`;
  });
}

function verdict(r: Results): string {
  const added = diff(r.sequential, "full", "plain", "p50");
  const margin = Math.abs(r.targetAddedMs - added).toFixed(1);
  return passes(r) ? `pass, ${margin} ms to spare` : `miss, over by ${margin} ms`;
}

/** The report printed at the end of a run and written to assistants-latest.md. */
export function markdown(r: Results): string {
  const { sequential: s, concurrent: c } = r;
  const paired = s.pairedAddedMs;
  const embed = r.embedLatencyMs > 0 ? `the embedding call held ${r.embedLatencyMs} ms` : "the embedding call answered at loopback speed";
  return [
    "# Assistants benchmark: time to first token",
    "",
    `${r.at}, ${r.machine.cores} cores, ${r.machine.cpuModel}, Node ${r.machine.node}; ${r.stack}. Run took ${r.runSeconds} s.`,
    "",
    `Simulated model TTFT ${r.modelTtftMs} ms; ${embed}. Knowledge base: ${r.knowledgeBase.chunks} chunks (CSV inventory rows) in ${r.knowledgeBase.documents} documents, vectors in ${r.knowledgeBase.store}, ingested in ${(r.knowledgeBase.ingestMs / 1000).toFixed(1)} s.`,
    "TTFT is measured by the client: request sent to the first content delta (a) or the first `delta` event (b, c). Each turn is read to its end before the next starts.",
    "",
    "| phase | variant | n | TTFT p50 | p95 | p99 | max | whole turn p50 |",
    "|---|---|---:|---:|---:|---:|---:|---:|",
    ...ttftRows(`sequential`, s),
    ...ttftRows(`${c.concurrency} concurrent`, c),
    "",
    `| measure (TTFT difference, p50 / p95) | sequential | ${c.concurrency} concurrent | target |`,
    "|---|---:|---:|---|",
    `| pipeline adds, (b) - (a) | ${pair(s, "full", "plain")} | ${pair(c, "full", "plain")} | < ${r.targetAddedMs} ms at p50: ${verdict(r)} |`,
    `| of which retrieval, (b) - (c) | ${pair(s, "full", "noRetrieval")} | ${pair(c, "full", "noRetrieval")} | |`,
    `| of which the other steps, (c) - (a) | ${pair(s, "noRetrieval", "plain")} | ${pair(c, "noRetrieval", "plain")} | |`,
    ...(paired ? [`| (b) - (a) per question pair, p50 / p95 | ${ms(paired.p50)} / ${ms(paired.p95)} | | |`] : []),
    `| first turn after seeding, (a) / (b) / (c) | ${ms(r.firstTurnTtftMs.plain)} / ${ms(r.firstTurnTtftMs.full)} / ${ms(r.firstTurnTtftMs.noRetrieval)} | | (b) loads the base's vectors and lexical index |`,
    `| machine CPU used by other processes | ${s.otherCpuPct} % | ${c.otherCpuPct} % | |`,
    "",
    `Full pipeline: ${r.pipelines.full.join(" → ")}. Without retrieval: ${r.pipelines.noRetrieval.join(" → ")}.`,
    "",
  ].join("\n");
}
