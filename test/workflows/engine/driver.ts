/**
 * Drives the workflow engine by hand: the workflows queue, its dead-letter queue and the
 * events queue record what is sent to them, and the consumer runs on what is due at a
 * clock the test moves. Nothing here reaches the real local queues, so no delivery
 * happens unless the test asks for it, and hours or days pass without waiting.
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { z } from "zod";
import type { RunTrigger } from "../../../d1/schema";
import { makeDb } from "../../../workers/db";
import { platformEventSchema, type PlatformEvent } from "../../../workers/events/publish";
import { workflowConsumer } from "../../../workers/queues/workflows";
import { runJobs } from "../../../workers/workflows/engine/jobs";
import { type Job, StepMessageSchema, type StepMessage } from "../../../workers/workflows/engine/messages";
import { loadRun, loadStep, type RunRow, type StepRow, stepsOfRun } from "../../../workers/workflows/engine/rows";
import { startRun } from "../../../workers/workflows/engine/start";
import { runWorkflowCron } from "../../../workers/workflows/scheduled";
import type { StepDeps } from "../../../workers/workflows/steps/types";
import { RecordingQueue } from "../../webhooks/helpers";

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

type Scheduled = { body: StepMessage; at: number };

export const FailedRecord = z.object({
  type: z.literal("failed"),
  runId: z.string(),
  tenantId: z.string(),
  stepId: z.string().nullable(),
  error: z.object({ code: z.string(), message: z.string(), retryable: z.boolean() }),
});

let seq = 0;

export class Engine {
  now: number;
  readonly queue = new RecordingQueue();
  readonly dlq = new RecordingQueue();
  readonly events = new RecordingQueue();
  readonly env: Env;
  /** Step messages sent and not yet handed to the consumer, with when they become visible. */
  pending: Scheduled[] = [];
  private background: Promise<unknown>[] = [];

  constructor(start = Date.now()) {
    this.now = start;
    this.env = { ...env, WORKFLOW_QUEUE: this.queue, WORKFLOW_DLQ: this.dlq, EVENTS_QUEUE: this.events };
  }

  /** Engine dependencies on this clock and these queues. */
  deps(clock: () => number = () => this.now): StepDeps {
    return { env: this.env, db: makeDb(env.DB), now: clock, waitUntil: (p) => void this.background.push(p.catch(() => undefined)) };
  }

  /** Moves whatever was sent to the workflows queue (at `sentAt`) into `pending`. */
  collect(sentAt = this.now): void {
    for (const s of this.queue.take()) this.pending.push({ body: StepMessageSchema.parse(s.body), at: sentAt + s.delaySeconds * 1000 });
  }

  /** Starts a run the way the API does; its first jobs go to the recorded queue. */
  async start(tenantId: string, workflow: string, input: unknown, extra: { triggerKey?: string; trigger?: RunTrigger } = {}): Promise<RunRow> {
    const started = await startRun(this.deps(), tenantId, { workflow, input, trigger: extra.trigger ?? { type: "api" }, triggerKey: extra.triggerKey ?? null });
    await this.send(started.jobs);
    return started.run;
  }

  /** Sends engine jobs (as an API route would). */
  async send(jobs: Job[]): Promise<void> {
    await runJobs(this.deps(), jobs, { inline: false });
    this.collect();
  }

  /** Runs the workflows consumer on these message bodies (all in one batch), at `at`. */
  async deliver(bodies: StepMessage[], at = this.now): Promise<void> {
    const batch = createMessageBatch("auterity-workflows", bodies.map((body) => ({ id: `wm-${++seq}`, timestamp: new Date(this.now), attempts: 1, body })));
    const ctx = createExecutionContext();
    await workflowConsumer(() => at)(batch, this.env, ctx);
    await getQueueResult(batch, ctx);
    this.collect(at);
    await this.settle();
  }

  /** Hands every message visible by now to the consumer (once); false when none was due. */
  async deliverDue(): Promise<boolean> {
    const due = this.pending.filter((p) => p.at <= this.now);
    if (due.length === 0) return false;
    this.pending = this.pending.filter((p) => p.at > this.now);
    await this.deliver(due.map((d) => d.body));
    return true;
  }

  /** Delivers until nothing is due at the current time. */
  async drain(): Promise<void> {
    for (let i = 0; i < 200 && (await this.deliverDue()); i++);
  }

  /** Moves the clock by `ms` and delivers what is due. */
  async advance(ms: number): Promise<void> {
    this.now += ms;
    await this.drain();
  }

  /** The every-minute cron (cron triggers and the stuck-step sweep) at the current time. */
  async cron(): Promise<void> {
    await runWorkflowCron(this.env, (p) => void this.background.push(p.catch(() => undefined)), () => this.now);
    this.collect();
    await this.settle();
  }

  /** Removes and returns the pending messages of one run (a test delivers them itself). */
  take(runId: string): StepMessage[] {
    const mine = this.pendingFor(runId).map((p) => p.body);
    this.pending = this.pending.filter((p) => p.body.runId !== runId);
    return mine;
  }

  /** Pending messages for one run. */
  pendingFor(runId: string): Scheduled[] {
    return this.pending.filter((p) => p.body.runId === runId);
  }

  /** Events published to the events queue so far. */
  publishedEvents(): PlatformEvent[] {
    return this.events.sent.map((s) => platformEventSchema.parse(s.body));
  }

  async settle(): Promise<void> {
    while (this.background.length > 0) await Promise.all(this.background.splice(0));
  }
}

export async function runRow(tenantId: string, runId: string): Promise<RunRow> {
  const run = await loadRun(makeDb(env.DB), tenantId, runId);
  if (!run) throw new Error(`no run ${runId}`);
  return run;
}

export async function stepRow(runId: string, stepId: string, iteration = 0): Promise<StepRow> {
  const row = await loadStep(makeDb(env.DB), runId, stepId, iteration);
  if (!row) throw new Error(`no step run ${runId}/${stepId}#${iteration}`);
  return row;
}

export function stepRows(runId: string): Promise<StepRow[]> {
  return stepsOfRun(makeDb(env.DB), runId);
}

/** The "run this step" message a step run's first attempt travels in. */
export function stepMessage(run: RunRow, stepId: string, iteration = 0, attempt = 1): StepMessage {
  return { type: "step", v: 1, tenantId: run.tenantId, runId: run.id, stepId, iteration, attempt };
}

/** Sets a tenant's time zone (before anything of the tenant is read: the engine caches it for a minute). */
export async function setTimezone(tenantId: string, timezone: string): Promise<void> {
  await env.DB.prepare("update tenants set timezone = ? where id = ?").bind(timezone, tenantId).run();
}
