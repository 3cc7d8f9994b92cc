/**
 * Webhooks benchmark (`npm run bench:webhooks`): on the local stack (workerd through
 * Miniflare + the simulator's partner receiver), measures
 *   - event -> first delivery attempt, p50 / p95, under a steady trickle and under a burst;
 *   - deliveries per second for a burst of events;
 *   - messages lost across a receiver outage (must be 0), and that ids stay the same.
 * Writes bench/results/webhooks-latest.json and .md and prints the table.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import { machine } from "./lib/machine.ts";
import { summarize } from "./lib/stats.ts";
import { type Received, type Stack, startStack } from "./webhooks-stack.ts";

const TRICKLE = { events: 200, perSecond: 20 };
const BURST = 2000;
const OUTAGE_EVENTS = 300;
const TARGET_P50_MS = 2000;

const Body = z.object({ timestamp: z.string() });

type Latency = { p50: number; p95: number; max: number; count: number };

/** First arrival of each webhook-id, with the time from its event to that arrival. */
function firstArrivals(rows: Received[]): Map<string, { at: number; latencyMs: number }> {
  const first = new Map<string, { at: number; latencyMs: number }>();
  for (const r of rows) {
    if (first.has(r.webhookId)) continue;
    first.set(r.webhookId, { at: r.at, latencyMs: r.at - Date.parse(Body.parse(JSON.parse(r.body)).timestamp) });
  }
  return first;
}

function latency(rows: Received[]): Latency {
  const values = Float64Array.from([...firstArrivals(rows).values()].map((v) => v.latencyMs));
  const sorted = values.slice().sort();
  const p95 = sorted[Math.max(0, Math.ceil(0.95 * sorted.length) - 1)] ?? Number.NaN;
  const s = summarize(values);
  return { p50: s.p50, p95, max: s.max, count: s.count };
}

const delivered = (rows: Received[]) => new Set(rows.filter((r) => r.answered === 200).map((r) => r.webhookId));

/**
 * Waits until `count` messages of the endpoint are delivered (or the deadline passes), then
 * reads what the receiver saw. Polls D1, not the receiver: the receiver shares this
 * process, and reading its whole log repeatedly would slow the deliveries being measured.
 */
async function waitForDelivered(stack: Stack, name: string, endpointId: string, count: number, deadlineMs: number): Promise<Received[]> {
  const deadline = Date.now() + deadlineMs;
  const done = async () => {
    const row = await stack.d1.prepare("select count(*) as n from webhook_messages where endpoint_id = ? and status = 'delivered'").bind(endpointId).first<{ n: number }>();
    return (row?.n ?? 0) >= count;
  };
  while (!(await done()) && Date.now() < deadline) await sleep(500);
  return stack.received(name);
}

async function trickle(stack: Stack) {
  const { name, endpointId } = await stack.addReceiver("trickle");
  for (let i = 0; i < TRICKLE.events; i++) {
    await stack.publish(1, `t${i}`);
    await sleep(1000 / TRICKLE.perSecond);
  }
  const rows = await waitForDelivered(stack, name, endpointId, TRICKLE.events, 60_000);
  return { events: TRICKLE.events, delivered: delivered(rows).size, latencyMs: latency(rows) };
}

async function burst(stack: Stack) {
  const { name, endpointId } = await stack.addReceiver("burst");
  const started = Date.now();
  await stack.publish(BURST, "b");
  const rows = await waitForDelivered(stack, name, endpointId, BURST, 180_000);
  const arrivals = [...firstArrivals(rows).values()].map((v) => v.at);
  const elapsedMs = Math.max(...arrivals) - started;
  return { events: BURST, delivered: delivered(rows).size, elapsedMs, deliveriesPerSecond: Math.round((delivered(rows).size / elapsedMs) * 1000 * 10) / 10, latencyMs: latency(rows) };
}

/** Waits until every message of the endpoint has been attempted at least once. */
async function waitForAttempted(stack: Stack, endpointId: string, count: number, deadlineMs: number): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  const attempted = async () => (await stack.d1.prepare("select count(*) as n from webhook_messages where endpoint_id = ? and attempts > 0").bind(endpointId).first<{ n: number }>())?.n ?? 0;
  while ((await attempted()) < count && Date.now() < deadline) await sleep(250);
}

/** The receiver answers 503 until every message has failed at least once, then comes back. */
async function outage(stack: Stack) {
  const { name, endpointId } = await stack.addReceiver("outage");
  await stack.configure(name, { mode: "fail", status: 503 });
  const down = Date.now();
  const events = await stack.publish(OUTAGE_EVENTS, "o");
  await waitForAttempted(stack, endpointId, OUTAGE_EVENTS, 120_000);
  await stack.configure(name, { mode: "ok" });
  const downMs = Date.now() - down;
  const rows = await waitForDelivered(stack, name, endpointId, OUTAGE_EVENTS, 120_000);
  const ok = delivered(rows);
  const failedIds = new Set(rows.filter((r) => r.answered !== 200).map((r) => r.webhookId));
  const { results } = await stack.d1.prepare("select status, count(*) as n from webhook_messages where endpoint_id = ? group by status").bind(endpointId).all<{ status: string; n: number }>();
  return {
    events: events.length,
    downMs,
    messagesThatFailed: failedIds.size,
    delivered: ok.size,
    lost: events.length - ok.size,
    idsUnchanged: [...failedIds].every((id) => ok.has(id)) && new Set(rows.map((r) => r.webhookId)).size === events.length,
    signaturesValid: rows.every((r) => r.signatureValid === true),
    messageStatuses: Object.fromEntries(results.map((r) => [r.status, r.n])),
  };
}

function table(r: Awaited<ReturnType<typeof run>>): string {
  const t = r.trickle.latencyMs;
  const b = r.burst.latencyMs;
  return [
    "| measure | value | target |",
    "|---|---|---|",
    `| event -> first attempt, trickle ${TRICKLE.perSecond}/s, p50 / p95 | ${t.p50} / ${t.p95} ms | p50 < ${TARGET_P50_MS} ms: ${t.p50 < TARGET_P50_MS ? "pass" : "miss"} |`,
    `| event -> first attempt, burst of ${BURST}, p50 / p95 | ${b.p50} / ${b.p95} ms | |`,
    `| deliveries per second (burst of ${BURST}) | ${r.burst.deliveriesPerSecond} | |`,
    `| receiver down ${(r.outage.downMs / 1000).toFixed(1)} s (until every message failed once): messages / that failed / delivered / lost | ${r.outage.events} / ${r.outage.messagesThatFailed} / ${r.outage.delivered} / ${r.outage.lost} | 0 lost: ${r.outage.lost === 0 ? "pass" : "miss"} |`,
    `| ids unchanged across retries; signatures valid | ${r.outage.idsUnchanged}; ${r.outage.signaturesValid} | |`,
  ].join("\n");
}

async function run(stack: Stack) {
  const warm = await stack.addReceiver("warm");
  await stack.publish(20, "w");
  await waitForDelivered(stack, warm.name, warm.endpointId, 20, 30_000);
  return { trickle: await trickle(stack), burst: await burst(stack), outage: await outage(stack) };
}

async function main(): Promise<void> {
  const stack = await startStack();
  const stop = () => void stack.close().finally(() => process.exit(130));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  try {
    const results = await run(stack);
    const out = { at: new Date().toISOString(), machine: machine(), stack: "workerd via Miniflare (wrangler deploy --dry-run bundle) + sim/partner, loopback", ...results };
    const md = `# Webhooks benchmark\n\n${out.at}, ${out.machine.cores} cores, ${out.machine.cpuModel}, Node ${out.machine.node}\n\n${table(results)}\n`;
    const dir = join(import.meta.dirname, "results");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "webhooks-latest.json"), `${JSON.stringify(out, null, 2)}\n`);
    writeFileSync(join(dir, "webhooks-latest.md"), md);
    console.log(md);
    if (results.outage.lost > 0) process.exitCode = 1;
  } finally {
    await stack.close();
  }
}

await main();
