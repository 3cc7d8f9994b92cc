/**
 * A run kept current while the page is open: loaded once, then patched from the live
 * socket (run.updated, step.updated, approval.requested on `run:<id>`), with a quiet
 * reload after each burst for what messages do not carry (outputs, timings). Reloads once
 * when the socket opens, so nothing that happened before it is missed.
 */
import { useEffect } from "react";
import { api, type Schemas, unwrap } from "../../../api/client";
import { type LiveStatus, useLive } from "../../../api/live";
import { type ApiState, useApi } from "../../../api/use-api";
import { approvalRequest, runUpdate, type StepUpdate, stepUpdate } from "../live-messages";
import { useDebounced } from "../use-debounced";

export type RunDetail = Schemas["WorkflowRunDetail"];
type StepRun = Schemas["WorkflowStepRun"];

function patchStep(run: RunDetail, s: StepUpdate, at: number): RunDetail {
  const i = run.steps.findIndex((x) => x.stepId === s.stepId && x.iteration === s.iteration);
  const error = s.error ? { ...s.error, retryable: false } : null;
  if (i >= 0) {
    const steps = [...run.steps];
    const cur = steps[i] as StepRun;
    steps[i] = { ...cur, status: s.status, attempts: s.attempts, error: error ?? (s.status === "failed" ? cur.error : null) };
    return { ...run, steps };
  }
  const stub: StepRun = { stepId: s.stepId, iteration: s.iteration, type: "", status: s.status, attempts: s.attempts, error, costNanoUsd: 0, waitingFor: null, wakeAt: null, startedAt: at, finishedAt: null, durationMs: null };
  return { ...run, steps: [...run.steps, stub] };
}

export function useLiveRun(id: string): { run: ApiState<RunDetail>; live: LiveStatus } {
  const run = useApi(() => unwrap(api.GET("/runs/{id}", { params: { path: { id } } })), [id]);
  const refresh = useDebounced(() => void run.reload(), 350);

  const live = useLive([`run:${id}`], (msg) => {
    const r = runUpdate(msg);
    if (r?.runId === id) run.setData((cur) => cur && { ...cur, status: r.status, costNanoUsd: r.costNanoUsd, updatedAt: r.updatedAt });
    const s = stepUpdate(msg);
    if (s?.runId === id) run.setData((cur) => cur && patchStep(cur, s, msg.at));
    // An approval request carries no step detail: the reload brings what the approver sees.
    const a = approvalRequest(msg);
    if (r?.runId === id || s?.runId === id || a?.runId === id) refresh();
  });

  useEffect(() => {
    if (live === "open") refresh();
  }, [live, refresh]);

  return { run, live };
}
