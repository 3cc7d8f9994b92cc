/**
 * The simulated GPU provider's jobs: a manual clock moves each job one stage per tick
 * (or a timer does, when configured), and every change of a generic-protocol job yields a
 * Standard-Webhooks-signed callback that is POSTed to its callback URL, held for a test to
 * fetch and deliver itself (late, twice, out of order), or dropped.
 */
import { Webhook } from "standardwebhooks";
import { randomId } from "./http.ts";

export type Protocol = "generic" | "openai";
export type Delivery = "push" | "hold" | "drop";
export type GpuStatus = "validating_files" | "queued" | "running" | "succeeded" | "failed" | "cancelled";

/** One callback as it was (or would have been) sent. */
export interface Callback {
  seq: number;
  status: GpuStatus;
  headers: Record<string, string>;
  body: string;
  /** What the receiver answered to each send (HTTP status, or an error message). */
  deliveries: Array<number | string>;
}

export interface GpuJob {
  id: string;
  protocol: Protocol;
  status: GpuStatus;
  tick: number;
  baseModel: string;
  suffix: string | null;
  epochs: number;
  trainingFile: string;
  callbackUrl: string | null;
  callbackSecret: string | null;
  delivery: Delivery;
  fineTunedModel: string | null;
  servingBaseUrl: string;
  error: { code: string; message: string } | null;
  createdAt: number;
  callbacks: Callback[];
}

const TOKENS_PER_EPOCH = 10_000;
const USD_PER_1K = 0.0004;
const SECONDS_PER_TICK = 60;
// Generic jobs: queued, then running at 25/50/75 %, then succeeded.
const GENERIC_STAGES: GpuStatus[] = ["queued", "running", "running", "running", "succeeded"];
const OPENAI_STAGES: GpuStatus[] = ["validating_files", "queued", "running", "succeeded"];

function stagesOf(job: GpuJob): GpuStatus[] {
  return job.protocol === "generic" ? GENERIC_STAGES : OPENAI_STAGES;
}

export function isDone(job: GpuJob): boolean {
  return job.status === "succeeded" || job.status === "failed" || job.status === "cancelled";
}

/** Progress 0..1 as the stages go. */
export function progressOf(job: GpuJob): number {
  if (job.status === "succeeded") return 1;
  const running = stagesOf(job).indexOf("running");
  return job.status === "running" ? Math.min(0.99, (job.tick - running + 1) / (stagesOf(job).length - running)) : 0;
}

/** The generic protocol's view of a job (GET /jobs/{id} and a callback's `data`). */
export function genericView(job: GpuJob): Record<string, unknown> {
  const progress = progressOf(job);
  const trained = Math.round(TOKENS_PER_EPOCH * job.epochs * progress);
  const remaining = isDone(job) ? 0 : stagesOf(job).length - 1 - job.tick;
  return {
    id: job.id,
    status: job.status,
    progress,
    trained_tokens: trained,
    cost_usd: Math.round((trained / 1000) * USD_PER_1K * 1e6) / 1e6,
    eta_seconds: isDone(job) ? null : remaining * SECONDS_PER_TICK,
    fine_tuned_model: job.fineTunedModel,
    serving_base_url: job.fineTunedModel ? job.servingBaseUrl : null,
    metrics: job.status === "succeeded" ? { trainLoss: 0.42, validLoss: 0.47 } : null,
    error: job.error,
  };
}

function loopback(url: string): boolean {
  try {
    const host = new URL(url).hostname;
    return host === "localhost" || host === "[::1]" || host.startsWith("127.");
  } catch {
    return false;
  }
}

/** State of one simulated GPU provider. */
export class GpuJobs {
  readonly jobs = new Map<string, GpuJob>();
  readonly files = new Map<string, { bytes: number; filename: string }>();
  private seq = 0;
  private timer: ReturnType<typeof setInterval> | null = null;

  create(input: Omit<GpuJob, "id" | "status" | "tick" | "delivery" | "fineTunedModel" | "error" | "createdAt" | "callbacks">): GpuJob {
    const id = input.protocol === "generic" ? randomId("gpujob-") : randomId("ftjob-");
    // Tests' Workers are not reachable over HTTP: callbacks to such hosts are held for them.
    const delivery: Delivery = input.callbackUrl && loopback(input.callbackUrl) ? "push" : "hold";
    const job: GpuJob = { ...input, id, status: input.protocol === "generic" ? "queued" : "validating_files", tick: 0, delivery, fineTunedModel: null, error: null, createdAt: Date.now(), callbacks: [] };
    this.jobs.set(id, job);
    return job;
  }

  /** Moves a job `steps` stages on (or until `to`); answers the callbacks that produced. */
  async advance(job: GpuJob, steps: number, to?: GpuStatus): Promise<Callback[]> {
    const made: Callback[] = [];
    for (let i = 0; i < steps && !isDone(job); i++) {
      job.tick += 1;
      job.status = stagesOf(job)[job.tick] ?? "succeeded";
      if (job.status === "succeeded") job.fineTunedModel = `ft:${job.baseModel}:${job.suffix ?? "auterity"}:${job.id}`;
      const cb = await this.changed(job);
      if (cb) made.push(cb);
      if (to && job.status === to) break;
    }
    return made;
  }

  async fail(job: GpuJob, message: string): Promise<Callback | null> {
    if (isDone(job)) return null;
    job.status = "failed";
    job.error = { code: "training_error", message };
    return this.changed(job);
  }

  async cancel(job: GpuJob): Promise<Callback | null> {
    if (isDone(job)) return null;
    job.status = "cancelled";
    return this.changed(job);
  }

  private async changed(job: GpuJob): Promise<Callback | null> {
    if (job.protocol !== "generic" || !job.callbackSecret || !job.callbackUrl || job.delivery === "drop") return null;
    const body = JSON.stringify({ type: "job.updated", data: genericView(job) });
    const id = randomId("msg_");
    const when = new Date();
    const signature = new Webhook(job.callbackSecret).sign(id, when, body);
    const headers = { "content-type": "application/json", "webhook-id": id, "webhook-timestamp": String(Math.floor(when.getTime() / 1000)), "webhook-signature": signature };
    const cb: Callback = { seq: ++this.seq, status: job.status, headers, body, deliveries: [] };
    job.callbacks.push(cb);
    if (job.delivery === "push") await this.send(job, cb);
    return cb;
  }

  /** POSTs a callback to the job's URL (again, if it was sent before). */
  async send(job: GpuJob, cb: Callback): Promise<number | string> {
    if (!job.callbackUrl) return "no callback url";
    const answer = await fetch(job.callbackUrl, { method: "POST", headers: cb.headers, body: cb.body, signal: AbortSignal.timeout(10_000) })
      .then((r) => r.status)
      .catch((err: unknown) => (err instanceof Error ? err.message : String(err)));
    cb.deliveries.push(answer);
    return answer;
  }

  /** Advances every unfinished job one stage each `ms` (0 stops the clock). */
  setClock(ms: number): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (ms <= 0) return;
    this.timer = setInterval(() => {
      for (const job of this.jobs.values()) if (!isDone(job)) void this.advance(job, 1);
    }, ms);
    this.timer.unref();
  }

  stop(): void {
    this.setClock(0);
  }
}

/** One job store per simulator instance, shared by its /gpu and /openai mounts. */
const stores = new WeakMap<object, GpuJobs>();
export function gpuJobsFor(ctx: object): GpuJobs {
  let s = stores.get(ctx);
  if (!s) stores.set(ctx, (s = new GpuJobs()));
  return s;
}
