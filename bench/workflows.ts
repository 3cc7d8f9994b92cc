/**
 * Workflow benchmark (`npm run bench:workflows`): on the local stack (workerd through
 * Miniflare, real local queues and D1, the simulator as the LLM with a fixed latency),
 *   1. RUNS concurrent runs of a representative workflow (transform, parallel scoring, an
 *      ai step, a quality check, an emit) started at once through the API: runs per second
 *      to completion, step latency and run duration p50 / p95, and the proof that nothing
 *      was lost (every run complete) or done twice (no step twice, one AI call per run);
 *   2. LEADS ADF leads posted to /hooks/leads/adf with speed-to-lead installed: time from
 *      the POST to the drafted reply (the `draft` step finished) and to lead.replied (the
 *      `reply` step finished), p50 / p95 (target: p95 under 60 s).
 * Writes bench/results/workflows-latest.json and .md and prints the table.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import { cpuSnapshot, foreignCpuPct, machine } from "./lib/machine.ts";
import { durationsOf, integrity, pct, retried, runsOf, statusCounts, stepGaps, stepsOf, until } from "./workflows-measure.ts";
import { startWorkflowStack, type WorkflowStack } from "./workflows-stack.ts";

const RUNS = Number(process.env.BENCH_WORKFLOW_RUNS ?? 1000);
const LEADS = Number(process.env.BENCH_LEADS ?? 200);
const LEADS_PER_SECOND = Number(process.env.BENCH_LEADS_PER_SECOND ?? 20);
/** What the simulated model takes to answer (a short gpt-4o-mini reply is a few hundred ms). */
const MODEL_LATENCY_MS = Number(process.env.BENCH_MODEL_LATENCY_MS ?? 300);
/** Requests in flight while starting runs: "at once", within what one client's sockets carry. */
const START_CONCURRENCY = 100;
const TARGET_LEAD_P95_MS = 60_000;

const Id = z.object({ id: z.string() });

/** Progress on stderr, so a long run shows where it is. */
function progress(msg: string): void {
  process.stderr.write(`[bench:workflows] ${msg}\n`);
}
const LeadReply = z.object({ leadId: z.string(), status: z.string() });

/** The representative workflow: what a dealership's lead flow does, minus the waits. */
const REPRESENTATIVE = {
  name: "Bench lead reply",
  input: { type: "object", required: ["leadId", "name"], properties: { leadId: { type: "string" }, name: { type: "string" }, vehicle: { type: "object" }, comments: { type: "string" } } },
  steps: [
    { id: "normalize", type: "transform", output: { customer: { name: "{{ input.name }}" }, vehicles: ["{{ input.vehicle }}"], comments: "{{ input.comments }}" } },
    {
      id: "signals",
      type: "parallel",
      branches: {
        sentiment: [{ id: "sentiment", type: "sentiment", text: "{{ input.comments }}" }],
        intent: [{ id: "intent", type: "intent", text: "{{ input.comments }}" }],
      },
    },
    { id: "score", type: "lead_score", lead: "{{ steps.normalize }}", sentiment: "{{ steps.sentiment }}", intent: "{{ steps.intent }}" },
    { id: "draft", type: "ai", model: "gpt-4o-mini", system: "You answer car-buying leads for {{ tenant.name }}.", prompt: "Customer: {{ input.name }}\nVehicle: {{ input.vehicle.year }} {{ input.vehicle.make }} {{ input.vehicle.model }}\nThey wrote: {{ input.comments }}\nGrade: {{ steps.score.grade }}" },
    { id: "quality", type: "quality_score", text: "{{ steps.draft.text }}" },
    { id: "notify", type: "emit", event: "lead.replied", data: { leadId: "{{ input.leadId }}", channel: "email", messageId: "{{ run.id }}", reply: "{{ steps.draft.text }}", by: "ai", runId: "{{ run.id }}" } },
  ],
};

function expectStatus(reply: { status: number; body: unknown }, status: number, what: string): unknown {
  if (reply.status !== status) throw new Error(`${what}: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body;
}

/** Runs `task(i)` for i < n with at most `limit` in flight. */
async function pool(n: number, limit: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, n) }, async () => {
    while (next < n) await task(next++);
  }));
}

async function aiCallsOf(stack: WorkflowStack, workflowId: string): Promise<number> {
  const row = await retried(() => stack.d1.prepare("select count(*) as n from usage_events where tenant_id = ? and tags like ?").bind(stack.tenantId, `%"workflow:${workflowId}"%`).first<{ n: number }>());
  return row?.n ?? 0;
}

async function concurrentRuns(stack: WorkflowStack) {
  const wf = Id.parse(expectStatus(await stack.api("POST", "/workflows", { key: "bench-lead-reply", definition: REPRESENTATIVE }), 201, "create workflow"));
  progress(`starting ${RUNS} runs`);
  const started = Date.now();
  await pool(RUNS, START_CONCURRENCY, async (i) => {
    const input = { leadId: `lead_bench_${i}`, name: `Customer ${i}`, vehicle: { year: 2024, make: "Toyota", model: "RAV4" }, comments: "Is it still available? I'd like a test drive Saturday." };
    // The idempotency key makes a start that is retried after a dropped connection return the same run.
    const reply = await retried(() => stack.api("POST", "/workflows/bench-lead-reply/runs", { input, idempotencyKey: `bench-${i}` }));
    if (reply.status !== 200) expectStatus(reply, 202, "start run");
  });
  const allStartedMs = Date.now() - started;
  progress(`all started in ${allStartedMs} ms; waiting for them to finish`);
  const finished = await until(async () => {
    const counts = await statusCounts(stack.d1, wf.id);
    return (counts.complete ?? 0) + (counts.errored ?? 0) >= RUNS;
  }, 180_000);
  const runs = await runsOf(stack.d1, wf.id);
  const steps = await stepsOf(stack.d1, wf.id);
  const lastFinish = Math.max(...runs.map((r) => r.finished_at ?? 0));
  const firstCreated = Math.min(...runs.map((r) => r.created_at));
  await until(async () => (await aiCallsOf(stack, wf.id)) >= RUNS, 30_000);
  const aiCalls = await aiCallsOf(stack, wf.id);
  return {
    runs: RUNS,
    allFinished: finished,
    startRequestsMs: allStartedMs,
    elapsedMs: lastFinish - firstCreated,
    runsPerSecond: Math.round((runs.filter((r) => r.status === "complete").length / ((lastFinish - firstCreated) / 1000)) * 10) / 10,
    stepLatencyMs: pct(stepGaps(runs, steps)),
    aiStepMs: pct(durationsOf(steps, "ai")),
    runDurationMs: pct(runs.flatMap((r) => (r.finished_at === null ? [] : [r.finished_at - r.created_at]))),
    statuses: await statusCounts(stack.d1, wf.id),
    integrity: integrity(RUNS, runs, steps),
    aiCalls,
    duplicatedAiCalls: Math.max(0, aiCalls - RUNS),
  };
}

/** The sample lead with its own provider id, customer and request time, so each is a new lead. */
function leadXml(template: string, i: number): string {
  return template
    .replace("AT-2024-0517-88412", `BENCH-${i}`)
    .replace("<name part=\"first\">Dana</name>", `<name part="first">Dana${i}</name>`);
}

async function adfLeads(stack: WorkflowStack) {
  const wf = Id.parse(expectStatus(await stack.api("POST", "/workflows/templates/speed-to-lead/install", {}), 201, "install speed-to-lead"));
  const sample = readFileSync(join(import.meta.dirname, "../samples/adf/new-lead.xml"), "utf8");
  const posted = new Map<string, number>();
  progress(`posting ${LEADS} ADF leads at ${LEADS_PER_SECOND}/s`);
  const started = Date.now();
  await pool(LEADS, 20, async (i) => {
    // Paced: lead i goes out at its slot, however long earlier posts took.
    const slot = started + (i * 1000) / LEADS_PER_SECOND;
    if (slot > Date.now()) await sleep(slot - Date.now());
    const at = Date.now();
    // A lead posted again after a dropped connection is recognised by its id (200, duplicate).
    const xml = leadXml(sample, i);
    const answer = await retried(() => stack.postLead(xml));
    const reply = LeadReply.parse(answer.status === 200 ? answer.body : expectStatus(answer, 201, "post lead"));
    posted.set(reply.leadId, at);
  });
  const sql = "select count(*) as n from workflow_step_runs s join workflow_runs r on r.id = s.run_id where r.workflow_id = ? and s.step_id = 'reply' and s.status = 'succeeded'";
  const replied = async () => (await retried(() => stack.d1.prepare(sql).bind(wf.id).first<{ n: number }>()))?.n ?? 0;
  const finished = await until(async () => (await replied()) >= LEADS, 180_000);
  const runs = await runsOf(stack.d1, wf.id);
  const steps = await stepsOf(stack.d1, wf.id);
  const leadOf = new Map(runs.map((r) => [r.id, z.object({ leadId: z.string() }).parse(JSON.parse(r.input)).leadId]));
  const since = (stepId: string) =>
    steps.flatMap((s) => {
      const at = posted.get(leadOf.get(s.run_id) ?? "");
      return s.step_id === stepId && s.finished_at !== null && at !== undefined ? [s.finished_at - at] : [];
    });
  const toDraft = pct(since("draft"));
  return {
    leads: LEADS,
    perSecond: LEADS_PER_SECOND,
    allReplied: finished,
    runsStarted: runs.length,
    toDraftMs: toDraft,
    toReplyMs: pct(since("reply")),
    targetP95Ms: TARGET_LEAD_P95_MS,
    pass: finished && toDraft.count === LEADS && toDraft.p95 < TARGET_LEAD_P95_MS,
  };
}

/** Runs a scenario and notes how much of the machine other processes used meanwhile. */
async function measured<T extends object>(scenario: () => Promise<T>): Promise<T & { otherCpuPct: number }> {
  const before = cpuSnapshot(null);
  const result = await scenario();
  return { ...result, otherCpuPct: foreignCpuPct(before, cpuSnapshot(null)) };
}

type Results = { runs: Awaited<ReturnType<typeof concurrentRuns>> & { otherCpuPct: number }; leads: Awaited<ReturnType<typeof adfLeads>> & { otherCpuPct: number } };

const ms = (n: number) => (n >= 10_000 ? `${(n / 1000).toFixed(1)} s` : `${Math.round(n)} ms`);

function table(r: Results): string {
  const { runs: a, leads: b } = r;
  const proof = a.integrity.lost === 0 && a.integrity.duplicatedSteps === 0 && a.integrity.unexplainedReattempts === 0 && a.duplicatedAiCalls === 0;
  return [
    "| measure | value | target |",
    "|---|---|---|",
    `| ${a.runs} concurrent runs (8 step runs each, AI via the sim at ${MODEL_LATENCY_MS} ms): runs per second to completion | ${a.runsPerSecond} (all done in ${ms(a.elapsedMs)}; starts sent in ${ms(a.startRequestsMs)}) | |`,
    `| step latency (start - previous step's finish), p50 / p95 | ${ms(a.stepLatencyMs.p50)} / ${ms(a.stepLatencyMs.p95)} (${a.stepLatencyMs.count} steps) | |`,
    `| ai step duration, p50 / p95 | ${ms(a.aiStepMs.p50)} / ${ms(a.aiStepMs.p95)} | |`,
    `| run duration (created - finished), p50 / p95 | ${ms(a.runDurationMs.p50)} / ${ms(a.runDurationMs.p95)} | |`,
    `| runs complete / lost; steps succeeded twice; re-attempts without a logged retry; AI calls (duplicates) | ${a.integrity.complete} / ${a.integrity.lost}; ${a.integrity.duplicatedSteps}; ${a.integrity.unexplainedReattempts}; ${a.aiCalls} (${a.duplicatedAiCalls}) | 0 lost, 0 duplicated: ${proof ? "pass" : "miss"} |`,
    `| ${b.leads} ADF leads at ${b.perSecond}/s: POST -> reply drafted, p50 / p95 | ${ms(b.toDraftMs.p50)} / ${ms(b.toDraftMs.p95)} | p95 < ${ms(b.targetP95Ms)}: ${b.pass ? "pass" : "miss"} |`,
    `| POST -> lead.replied emitted, p50 / p95 | ${ms(b.toReplyMs.p50)} / ${ms(b.toReplyMs.p95)} | |`,
    `| machine CPU used by other processes during runs / leads | ${a.otherCpuPct} % / ${b.otherCpuPct} % | |`,
  ].join("\n");
}

async function main(): Promise<void> {
  const stack = await startWorkflowStack();
  const stop = () => void stack.close().finally(() => process.exit(130));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  try {
    const scenario = await fetch(`${stack.sim.url}/_sim/scenarios`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ match: { provider: "openai" }, latencyMs: MODEL_LATENCY_MS }) });
    if (scenario.status !== 201) throw new Error(`the simulator refused the latency scenario: ${await scenario.text()}`);
    const results: Results = { runs: await measured(() => concurrentRuns(stack)), leads: await measured(() => adfLeads(stack)) };
    const out = { at: new Date().toISOString(), machine: machine(), stack: "workerd via Miniflare (wrangler deploy --dry-run bundle), local queues and D1, sim as the LLM, loopback", modelLatencyMs: MODEL_LATENCY_MS, ...results };
    const md = `# Workflows benchmark\n\n${out.at}, ${out.machine.cores} cores, ${out.machine.cpuModel}, Node ${out.machine.node}\n\n${table(results)}\n`;
    const dir = join(import.meta.dirname, "results");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "workflows-latest.json"), `${JSON.stringify(out, null, 2)}\n`);
    writeFileSync(join(dir, "workflows-latest.md"), md);
    console.log(md);
    if (results.runs.integrity.lost > 0 || results.runs.duplicatedAiCalls > 0 || !results.leads.pass) process.exitCode = 1;
  } finally {
    await stack.close();
  }
}

await main();
