/**
 * The canonical training-job lifecycle as pure functions: which states exist, their
 * forward-only rank order, and what an observation of the provider's state does to a job.
 */
import { TRAINING_STATUSES } from "../../live/messages";

export { TRAINING_STATUSES };
export type TrainingStatus = (typeof TRAINING_STATUSES)[number];

/** What a provider can report; our own states (pending, registering, …) never come from it. */
export const PROVIDER_STATES = ["validating", "queued", "running", "succeeded", "failed", "cancelled", "timed_out"] as const;
export type ProviderState = (typeof PROVIDER_STATES)[number];

// Terminal provider outcomes share a rank: once one is written no other may replace it.
const RANK: Record<TrainingStatus, number> = {
  pending: 0,
  validating: 1,
  queued: 2,
  running: 3,
  succeeded: 4,
  failed: 4,
  cancelled: 4,
  timed_out: 4,
  registering: 5,
  registered: 6,
  registration_failed: 6,
};

const FINAL: ReadonlySet<TrainingStatus> = new Set(["failed", "cancelled", "timed_out", "registered", "registration_failed"]);
const PROVIDER_TERMINAL: ReadonlySet<TrainingStatus> = new Set(["succeeded", "failed", "cancelled", "timed_out"]);

/** Nothing more will happen to a job in this state. */
export function isFinal(status: TrainingStatus): boolean {
  return FINAL.has(status);
}

/** The provider's part is over (the job may still be registering). */
export function isProviderTerminal(status: TrainingStatus): boolean {
  return PROVIDER_TERMINAL.has(status) || RANK[status] > RANK.succeeded;
}

/** A state the provider is still working in: the job should be watched. */
export function isActive(status: TrainingStatus): boolean {
  return RANK[status] < RANK.succeeded;
}

export function isTrainingStatus(s: string): s is TrainingStatus {
  return (TRAINING_STATUSES as readonly string[]).includes(s);
}

/** An observed provider state with the progress that came with it. */
export type Observation = { status: ProviderState; progress?: number | null };

export type Decision = { apply: true; next: TrainingStatus; progressed: boolean } | { apply: false; reason: string };

/**
 * Whether an observation moves a job forward. Equal ranks apply only as progress inside
 * `running`; anything behind the job's current state is late or out of order and dropped.
 */
export function decideTransition(current: { status: TrainingStatus; progress: number }, seen: Observation): Decision {
  if (isFinal(current.status)) return { apply: false, reason: `job is already ${current.status}` };
  if (isProviderTerminal(current.status)) return { apply: false, reason: `job already finished training (${current.status})` };
  const from = RANK[current.status];
  const to = RANK[seen.status];
  if (to < from) return { apply: false, reason: `out of order: reported ${seen.status} after ${current.status}` };
  if (to === from) {
    const progress = seen.progress ?? 0;
    if (seen.status !== "running") return { apply: false, reason: `duplicate: job is already ${current.status}` };
    if (progress > current.progress) return { apply: true, next: "running", progressed: true };
    return { apply: false, reason: `stale progress: ${progress} is not past ${current.progress}` };
  }
  return { apply: true, next: seen.status, progressed: true };
}

/** Registration follows success and nothing else. */
export function canRegister(status: TrainingStatus): boolean {
  return status === "succeeded";
}

/** Cancelling makes sense only while the provider is still working. */
export function canCancel(status: TrainingStatus): boolean {
  return isActive(status);
}
