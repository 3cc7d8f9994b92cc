/**
 * Helpers for the template tests: a dealership tenant with a template installed, a partner
 * endpoint that hears the events a template emits, and a driver that runs workflow queue
 * messages by hand at a clock the test moves (timers of minutes or hours, quiet hours).
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { expect, vi } from "vitest";
import { z } from "zod";
import { workflowConsumer } from "../../../workers/queues/workflows";
import { runWorkflowCron } from "../../../workers/workflows/scheduled";
import { call, expectOk } from "../../api/helpers";
import { createTestKey } from "../../helpers/fixtures";
import { createEndpoint, partnerName, received, RecordingQueue } from "../../webhooks/helpers";
import { harness, type Harness, RunBody, StepBody, WorkflowBody } from "../helpers";

export type Dealer = Harness & { workflowId: string; partner: string; leadsKey: string };

const HOUR = 3_600_000;

/**
 * A fixed-offset zone in which the local hour at `at` is `hour`. Tests that run through
 * the real queue read the real clock, so this is how they place "now" in or out of the
 * templates' quiet hours (21:00-08:00) whatever time of day the suite runs.
 */
export function zoneWhereHourIs(hour: number, at = Date.now()): string {
  const utcHour = new Date(at).getUTCHours();
  let offset = (((hour - utcHour) % 24) + 24) % 24;
  if (offset > 12) offset -= 24;
  // POSIX-style names: Etc/GMT-5 is five hours ahead of UTC.
  return offset === 0 ? "Etc/UTC" : `Etc/GMT${offset > 0 ? "-" : "+"}${Math.abs(offset)}`;
}

/** A tenant in `timezone` with template `name` installed and a partner listening for `events`. */
export async function dealer(name: string, timezone: string, events: string[]): Promise<Dealer> {
  const h = await harness("Sunrise Toyota");
  expectOk(await call("PATCH", "/tenant", { token: h.token, body: { timezone } }), 200, z.object({ timezone: z.literal(timezone) }));
  const wf = expectOk(await call("POST", `/workflows/templates/${name}/install`, { token: h.token, body: {} }), 201, WorkflowBody);
  const partner = partnerName(name);
  await createEndpoint(h.token, partner, { eventTypes: events });
  const leadsKey = (await createTestKey(h.tenantId, ["leads"])).key;
  return { ...h, workflowId: wf.id, partner, leadsKey };
}

const Body = z.object({ type: z.string(), timestamp: z.string(), data: z.record(z.string(), z.unknown()) });
export type Delivered = z.infer<typeof Body> & { webhookId: string | null; verified: boolean | null };

/** The events of `type` the partner has received (Standard Webhooks bodies), oldest first. */
export async function eventsOf(partner: string, type: string): Promise<Delivered[]> {
  const all = await received(partner);
  return all.filter((r) => r.type === type).map((r) => ({ ...Body.parse(JSON.parse(r.body)), webhookId: r.webhookId, verified: r.verified }));
}

/** Waits until the partner has received `count` events of `type`; answers them. */
export async function waitForEvents(partner: string, type: string, count: number): Promise<Delivered[]> {
  let got: Delivered[] = [];
  await vi.waitFor(
    async () => {
      got = await eventsOf(partner, type);
      expect(got.length, `${type} events received`).toBeGreaterThanOrEqual(count);
    },
    { timeout: 20_000, interval: 100 },
  );
  return got;
}

/** Every run of a workflow (id or key; default the installed one), newest first. */
export async function runsOf(d: Dealer, workflow = d.workflowId): Promise<z.infer<typeof RunBody>[]> {
  return expectOk(await call("GET", `/runs?workflowId=${workflow}`, { token: d.token }), 200, z.object({ data: z.array(RunBody) })).data;
}

/** Waits for the first run of a workflow (started by an event or a parent run) and answers its id. */
export async function firstRunOf(d: Dealer, workflow = d.workflowId): Promise<string> {
  let id = "";
  await vi.waitFor(
    async () => {
      const [run] = await runsOf(d, workflow);
      expect(run, `a run of ${workflow}`).toBeDefined();
      id = run?.id ?? "";
    },
    { timeout: 20_000, interval: 100 },
  );
  return id;
}

const TimedRun = RunBody.extend({ steps: z.array(StepBody.extend({ startedAt: z.number().nullable(), finishedAt: z.number().nullable() })) });
export type TimedRun = z.infer<typeof TimedRun>;

/** A run with its steps' start and finish times (the engine's clock: the test's, when it drives). */
export async function timedRun(d: Harness, runId: string): Promise<TimedRun> {
  return expectOk(await call("GET", `/runs/${runId}`, { token: d.token }), 200, TimedRun);
}

/** The newest iteration of `stepId` in `run`, with its times. */
export function timedStep(run: TimedRun, stepId: string): TimedRun["steps"][number] {
  const step = run.steps.filter((s) => s.stepId === stepId).sort((a, b) => b.iteration - a.iteration)[0];
  if (!step) throw new Error(`no step ${stepId} in ${JSON.stringify(run.steps.map((s) => s.stepId))}`);
  return step;
}

/** The local wall-clock time ("HH:MM") of `at` in `timeZone`. */
export function localTime(at: number, timeZone: string): string {
  return new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(at);
}

type Pending = { body: unknown; at: number };
let seq = 0;

/**
 * Runs the workflows consumer and the cron by hand at a clock the test sets. Whatever they
 * queue for the workflows queue waits here until the clock reaches its delay; everything
 * else (events, webhooks, usage) goes through the real queues.
 */
export class StepDriver {
  readonly queue = new RecordingQueue();
  readonly env: Env = { ...env, WORKFLOW_QUEUE: this.queue };
  pending: Pending[] = [];

  private collect(at: number): void {
    for (const s of this.queue.take()) this.pending.push({ body: s.body, at: at + s.delaySeconds * 1000 });
  }

  private async consume(bodies: unknown[], at: number): Promise<void> {
    const batch = createMessageBatch("auterity-workflows", bodies.map((body) => ({ id: `wf-${++seq}`, timestamp: new Date(at), attempts: 1, body })));
    const ctx = createExecutionContext();
    await workflowConsumer(() => at)(batch, this.env, ctx);
    const result = await getQueueResult(batch, ctx);
    expect(result.retryMessages, "no message should fail").toEqual([]);
    this.collect(at);
  }

  /** Delivers a wake message for a waiting step of `run` at `at`, then whatever comes due by then. */
  async wake(run: { id: string }, stepId: string, at: number): Promise<void> {
    const message = { type: "wake", v: 1, tenantId: await tenantOf(run.id), runId: run.id, stepId, iteration: 0, attempt: 1 };
    await this.consume([message], at);
    await this.drain(at);
  }

  /** Delivers a "run this step" message for `stepId` of `run` at `at`, then whatever comes due. */
  async step(run: { id: string }, stepId: string, at: number): Promise<void> {
    const message = { type: "step", v: 1, tenantId: await tenantOf(run.id), runId: run.id, stepId, iteration: 0, attempt: 1 };
    await this.consume([message], at);
    await this.drain(at);
  }

  /** Runs the every-minute cron (cron triggers and the stuck-step sweep) at `at`, then what it queued. */
  async cron(at: number): Promise<void> {
    const waits: Promise<unknown>[] = [];
    await runWorkflowCron(this.env, (p) => void waits.push(p), () => at);
    await Promise.all(waits);
    this.collect(at);
    await this.drain(at);
  }

  /** Hands every message visible by `at` to the consumer, until none is left. */
  async drain(at: number): Promise<void> {
    for (;;) {
      const due = this.pending.filter((p) => p.at <= at);
      if (due.length === 0) return;
      this.pending = this.pending.filter((p) => p.at > at);
      await this.consume(due.map((d) => d.body), at);
    }
  }

  /** When the next held message becomes visible. */
  next(): number {
    expect(this.pending.length, "a message should be waiting").toBeGreaterThan(0);
    return Math.min(...this.pending.map((p) => p.at));
  }

  /** Drops every held message, as if the queue had lost them. */
  lose(): void {
    this.pending = [];
  }
}

async function tenantOf(runId: string): Promise<string> {
  const row = await env.DB.prepare("select tenant_id from workflow_runs where id = ?").bind(runId).first<{ tenant_id: string }>();
  if (!row) throw new Error(`no run ${runId}`);
  return row.tenant_id;
}

export const MINUTE = 60_000;
export { HOUR };
