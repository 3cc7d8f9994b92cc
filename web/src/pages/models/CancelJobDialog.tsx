/** Confirming a cancel: the provider is asked to stop, and what was spent stays spent. */
import { api, unwrap } from "../../api/client";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { usd } from "../../lib/format";
import type { TrainingJob } from "./types";

export function CancelJobDialog({ job, onClose, onCancelled }: { job: TrainingJob; onClose: () => void; onCancelled: (job: TrainingJob) => void }) {
  return (
    <ConfirmDialog
      title="Cancel this training job?"
      confirmLabel="Cancel job"
      onClose={onClose}
      onConfirm={async () => {
        const after = await unwrap(api.POST("/training-jobs/{id}/cancel", { params: { path: { id: job.id } } }));
        onCancelled(after);
        return `Training job ${after.status === "cancelled" ? "cancelled" : after.status}`;
      }}
    >
      The provider stops training <code>{job.modelKey}</code> on <code>{job.baseModel}</code>. Nothing is registered, and the {usd(job.costNanoUsd)} spent so far is not refunded.
    </ConfirmDialog>
  );
}
