/**
 * One poll of a job, as the TrainingJob alarm runs it: time the job out if it stopped
 * moving, otherwise fetch it from the provider and apply what it says.
 */
import { log, setLogTenant, withLogContext } from "../../lib/log";
import { decideTransition, isActive } from "./lifecycle";
import { findJobById, type JobRow, statusOf, type TrainingDeps, updateJobIf } from "./jobs";
import { announce, observe } from "./observe";
import { providerFor } from "./providers";
import { registerJob } from "./register";

export type PollOutcome = {
  /** Keep polling (the job is still active). */
  again: boolean;
  /** The poll moved the job (resets the backoff). */
  changed: boolean;
  /** The provider sends callbacks (sets the backoff's base). */
  callbacks: boolean;
  status: string | null;
};

async function timeOut(deps: TrainingDeps, job: JobRow): Promise<JobRow> {
  const { provider, cfg } = providerFor(deps.env, job.provider);
  if (job.providerJobId) await provider.cancel(cfg, job.providerJobId).catch(() => null);
  const decision = decideTransition({ status: statusOf(job), progress: job.progress }, { status: "timed_out" });
  if (!decision.apply) return job;
  const hours = Math.round((job.timeoutMs / 3_600_000) * 100) / 100;
  const patch = { status: "timed_out", finishedAt: deps.now(), etaSeconds: null, error: { code: "timed_out", message: `No progress for ${hours} h` } };
  const written = await updateJobIf(deps.db, job, patch, deps.now());
  if (written) await announce(deps, written);
  return written ?? job;
}

/**
 * Polls job `jobId` once; never throws for a provider that is down (the next poll retries).
 * Its log lines carry `poll:<jobId>:<time>` as their request id, and the job's tenant.
 */
export function pollJob(deps: TrainingDeps, jobId: string): Promise<PollOutcome> {
  return withLogContext({ requestId: `poll:${jobId}:${new Date(deps.now()).toISOString()}` }, () => pollOnce(deps, jobId));
}

async function pollOnce(deps: TrainingDeps, jobId: string): Promise<PollOutcome> {
  const job = await findJobById(deps.db, jobId);
  if (!job) return { again: false, changed: false, callbacks: false, status: null };
  setLogTenant(job.tenantId);
  const { provider, cfg } = providerFor(deps.env, job.provider);
  const done = (j: JobRow, changed: boolean): PollOutcome => ({ again: isActive(statusOf(j)), changed, callbacks: provider.callbacks, status: j.status });
  const status = statusOf(job);
  if (status === "succeeded") return done(await registerJob(deps, job), true);
  if (!isActive(status)) return done(job, false);
  if (deps.now() - job.lastProgressAt > job.timeoutMs) return done(await timeOut(deps, job), true);
  if (!job.providerJobId) return done(job, false);
  const snap = await provider.get(cfg, job.providerJobId).catch((err: unknown) => {
    log.warn("training poll failed", { jobId, provider: job.provider, err });
    return null;
  });
  if (!snap) return done(job, false);
  const result = await observe(deps, job, snap, "poll");
  return done(result.job, result.applied);
}
