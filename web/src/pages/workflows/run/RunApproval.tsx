/**
 * A run held at an approval step: the same card as on the Approvals page, so the decision
 * can be made where the run is being watched.
 */
import type { Schemas } from "../../../api/client";
import { ApprovalCard } from "../ApprovalCard";
import type { RunDetail } from "./use-live-run";

export function RunApproval({ run, workflow, canDecide, onDecided }: { run: RunDetail; workflow: Schemas["Workflow"] | null; canDecide: boolean; onDecided: () => void }) {
  const step = run.steps.find((s) => s.status === "waiting" && s.waitingFor === "approval");
  if (!step) return null;
  const approval: Schemas["PendingApproval"] = {
    runId: run.id,
    workflowId: run.workflowId,
    workflowKey: workflow?.key ?? run.workflowId,
    stepId: step.stepId,
    iteration: step.iteration,
    request: step.input,
    since: step.startedAt ?? run.updatedAt,
    expiresAt: step.wakeAt,
  };
  return (
    <div className="wf-run-approval">
      <ApprovalCard key={`${step.stepId}#${step.iteration}`} approval={approval} workflowName={workflow?.name ?? approval.workflowKey} canDecide={canDecide} onDecided={onDecided} linkToRun={false} />
    </div>
  );
}
