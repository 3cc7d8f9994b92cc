/**
 * Starting a job's watcher: the TrainingJob Durable Object (one per job) whose alarm polls
 * the provider while the job is active.
 */
import type { JobRow } from "./jobs";
import { isActive } from "./lifecycle";
import { isTrainingStatus } from "./lifecycle";

/** First poll of a job whose provider calls back: only a fallback, so it can wait. */
export const CALLBACK_FALLBACK_MS = 5 * 60_000;
/** First poll of a job whose provider never calls back. */
export const POLL_BASE_MS = 15_000;
export const POLL_MAX_MS = 10 * 60_000;

/** The delay before the next poll: doubling while nothing changes, capped. */
export function nextPollDelay(callbacks: boolean, quietPolls: number): number {
  const base = callbacks ? CALLBACK_FALLBACK_MS : POLL_BASE_MS;
  return Math.min(POLL_MAX_MS, base * 2 ** Math.min(quietPolls, 10));
}

export function trainingJobStub(env: Env, jobId: string) {
  return env.TRAINING_JOB.get(env.TRAINING_JOB.idFromName(jobId));
}

/** Arms the job's alarm if the provider is still working on it. */
export async function watchJob(env: Env, job: JobRow, callbacks: boolean): Promise<void> {
  if (!isTrainingStatus(job.status) || !isActive(job.status)) return;
  await trainingJobStub(env, job.id).watch(job.id, nextPollDelay(callbacks, 0));
}
