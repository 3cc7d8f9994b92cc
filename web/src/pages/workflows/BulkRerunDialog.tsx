/**
 * Rerunning a workflow's failed runs at once: each errored run in the chosen window goes
 * again from the step that failed. Asks first, then says how many moved.
 */
import { type FormEvent, useState } from "react";
import { api, type Schemas, unwrap } from "../../api/client";
import { Button } from "../../components/Button";
import { Dialog } from "../../components/Dialog";
import { SelectField } from "../../components/Field";
import { ErrorState } from "../../components/States";
import { toast } from "../../components/Toast";

const WINDOWS = [
  { value: "3600000", label: "Last hour" },
  { value: "86400000", label: "Last 24 hours" },
  { value: "604800000", label: "Last 7 days" },
  { value: "2592000000", label: "Last 30 days" },
];

export function BulkRerunDialog({ open, onClose, workflow, onDone }: { open: boolean; onClose: () => void; workflow: Schemas["Workflow"]; onDone: () => void }) {
  const [span, setSpan] = useState("86400000");
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Error | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setFailure(null);
    try {
      const to = Date.now();
      const { rerun } = await unwrap(api.POST("/runs/rerun", { body: { status: "errored", workflowId: workflow.id, from: to - Number(span), to, limit: 500 } }));
      toast(rerun.length ? `${rerun.length} failed ${rerun.length === 1 ? "run" : "runs"} rerun from the failed step` : "No failed runs in that window");
      onDone();
      onClose();
    } catch (err) {
      setFailure(err as Error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open={open} title="Rerun failed runs" onClose={onClose}>
      <form onSubmit={(e) => void submit(e)} className="stack">
        <p>Every errored run of <strong>{workflow.name}</strong> started in the window runs again from the step that failed; the steps before it keep their output.</p>
        <SelectField label="Runs started in" value={span} onChange={(e) => setSpan(e.target.value)} options={WINDOWS} />
        {failure ? <ErrorState error={failure} /> : null}
        <div className="row">
          <Button type="submit" busy={busy}>Rerun failed runs</Button>
          <Button variant="ghost" onClick={onClose}>Cancel</Button>
        </div>
      </form>
    </Dialog>
  );
}
