/**
 * What happens when we learn the provider's state of a job, whichever way we learned it
 * (callback, poll, create, cancel): the forward-only rules decide, a callback's terminal
 * claim is checked by re-fetching the job, and success hands over to registration.
 */
import { deterministicEventId, publishEvent } from "../../events/publish";
import { publishLive } from "../../live/publish";
import { decideTransition, isProviderTerminal, type TrainingStatus } from "./lifecycle";
import { findJobById, type JobRow, statusOf, type TrainingDeps, updateJobIf } from "./jobs";
import { providerFor, type ProviderSnapshot } from "./providers";
import { registerJob } from "./register";

/** Where an observation came from; only callbacks are hints that need re-fetching. */
export type ObserveSource = "callback" | "poll" | "create" | "cancel";

export type ObserveResult = { job: JobRow; applied: boolean; reason: string | null };

function patchOf(job: JobRow, snap: ProviderSnapshot, next: TrainingStatus, now: number): Partial<JobRow> {
  const terminal = isProviderTerminal(next);
  return {
    status: next,
    providerJobId: job.providerJobId ?? snap.providerJobId,
    providerStatus: snap.providerStatus,
    progress: next === "succeeded" ? 1 : Math.max(job.progress, snap.progress ?? job.progress),
    trainedTokens: snap.trainedTokens ?? job.trainedTokens,
    costNanoUsd: snap.costNanoUsd ?? job.costNanoUsd,
    etaSeconds: terminal ? null : (snap.etaSeconds ?? job.etaSeconds),
    fineTunedModel: snap.fineTunedModel ?? job.fineTunedModel,
    servingBaseUrl: snap.servingBaseUrl ?? job.servingBaseUrl,
    metrics: snap.metrics ?? job.metrics,
    error: next === "failed" || next === "cancelled" ? (snap.error ?? { code: next, message: `The provider reported the job ${next}` }) : job.error,
    lastProgressAt: now,
    finishedAt: terminal ? now : job.finishedAt,
  };
}

/** Tells the dashboard and, for an unsuccessful end, the tenant's webhooks. */
export async function announce(deps: TrainingDeps, job: JobRow): Promise<void> {
  const status = statusOf(job);
  await publishLive(deps.env, job.tenantId, { type: "training.updated", data: { jobId: job.id, status, progress: job.progress } });
  if (status === "failed" || status === "cancelled" || status === "timed_out") {
    await publishEvent(deps.env, {
      tenantId: job.tenantId,
      type: "training.job.failed",
      id: await deterministicEventId(`training:${job.id}:failed`),
      data: { jobId: job.id, provider: job.provider, error: job.error ?? { code: status, message: `The job ended ${status}` } },
    });
  }
}

async function refetch(deps: TrainingDeps, job: JobRow, snap: ProviderSnapshot): Promise<ProviderSnapshot> {
  const { provider, cfg } = providerFor(deps.env, job.provider);
  return provider.get(cfg, job.providerJobId ?? snap.providerJobId);
}

/**
 * Applies what the provider says about `job`. A callback claiming a terminal state is a hint:
 * the job is fetched from the provider and that answer is what gets applied.
 */
export async function observe(deps: TrainingDeps, job: JobRow, snap: ProviderSnapshot, source: ObserveSource, retried = false): Promise<ObserveResult> {
  const decision = decideTransition({ status: statusOf(job), progress: job.progress }, snap);
  if (!decision.apply) return { job, applied: false, reason: decision.reason };
  if (source === "callback" && isProviderTerminal(decision.next)) {
    return observe(deps, job, await refetch(deps, job, snap), "poll", retried);
  }
  const now = deps.now();
  const written = await updateJobIf(deps.db, job, patchOf(job, snap, decision.next, now), now);
  if (!written) {
    const fresh = await findJobById(deps.db, job.id);
    if (!fresh || retried) return { job: fresh ?? job, applied: false, reason: "superseded by a concurrent update" };
    return observe(deps, fresh, snap, source, true);
  }
  await announce(deps, written);
  const final = decision.next === "succeeded" ? await registerJob(deps, written) : written;
  return { job: final, applied: true, reason: null };
}
