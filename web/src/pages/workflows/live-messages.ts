/**
 * The live messages the workflow pages act on, read from the socket's loosely typed frames
 * (the shapes are declared in workers/live/messages.ts); anything else reads as null.
 */
import type { Schemas } from "../../api/client";
import type { LiveMessage } from "../../api/live";

type RunStatus = Schemas["WorkflowRun"]["status"];
type StepStatus = Schemas["WorkflowStepRun"]["status"];

const RUN_STATUSES: readonly string[] = ["queued", "running", "waiting", "paused", "errored", "terminated", "complete"];
const STEP_STATUSES: readonly string[] = ["pending", "running", "waiting", "succeeded", "failed", "skipped", "cancelled"];

export type RunUpdate = { runId: string; workflowId: string; status: RunStatus; costNanoUsd: number; updatedAt: number };
export type StepUpdate = { runId: string; stepId: string; iteration: number; status: StepStatus; attempts: number; error: { code: string; message: string } | null };
export type ApprovalRequest = { runId: string; stepId: string; title: string };

const str = (v: unknown): v is string => typeof v === "string";
const int = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

export function runUpdate(msg: LiveMessage): RunUpdate | null {
  const d = msg.data;
  if (msg.type !== "run.updated" || !str(d.runId) || !str(d.workflowId) || !str(d.status) || !RUN_STATUSES.includes(d.status)) return null;
  return { runId: d.runId, workflowId: d.workflowId, status: d.status as RunStatus, costNanoUsd: int(d.costNanoUsd) ? d.costNanoUsd : 0, updatedAt: int(d.updatedAt) ? d.updatedAt : msg.at };
}

export function stepUpdate(msg: LiveMessage): StepUpdate | null {
  const d = msg.data;
  if (msg.type !== "step.updated" || !str(d.runId) || !str(d.stepId) || !str(d.status) || !STEP_STATUSES.includes(d.status)) return null;
  const e = typeof d.error === "object" && d.error !== null ? (d.error as Record<string, unknown>) : null;
  return {
    runId: d.runId,
    stepId: d.stepId,
    iteration: int(d.iteration) ? d.iteration : 0,
    status: d.status as StepStatus,
    attempts: int(d.attempts) ? d.attempts : 0,
    error: e && str(e.code) && str(e.message) ? { code: e.code, message: e.message } : null,
  };
}

export function approvalRequest(msg: LiveMessage): ApprovalRequest | null {
  const d = msg.data;
  if (msg.type !== "approval.requested" || !str(d.runId) || !str(d.stepId)) return null;
  return { runId: d.runId, stepId: d.stepId, title: str(d.title) ? d.title : d.stepId };
}
