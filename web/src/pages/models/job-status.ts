/**
 * The training lifecycle as the dashboard needs it: which states are still moving, and their
 * forward order (a late answer never moves a job back on screen).
 */
import type { TrainingJob } from "./types";

export type JobStatus = TrainingJob["status"];

const RANK: Record<JobStatus, number> = {
  pending: 0, validating: 1, queued: 2, running: 3,
  succeeded: 4, failed: 4, cancelled: 4, timed_out: 4,
  registering: 5, registered: 6, registration_failed: 6,
};

export function isJobStatus(s: unknown): s is JobStatus {
  return typeof s === "string" && Object.hasOwn(RANK, s);
}

/** The provider is still working: progress, cost and ETA move, and it can be cancelled. */
export function isActive(s: JobStatus): boolean {
  return RANK[s] < RANK.succeeded;
}

/** `next` replaces `current` only if it is not behind it. */
export function newer(current: TrainingJob, next: TrainingJob): boolean {
  return RANK[next.status] > RANK[current.status] || (RANK[next.status] === RANK[current.status] && next.updatedAt >= current.updatedAt);
}
