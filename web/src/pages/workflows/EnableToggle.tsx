/** Enabling a workflow, or disabling it after a confirmation (no trigger starts a run while disabled). */
import { useState } from "react";
import { api, type Schemas, unwrap } from "../../api/client";
import { Button } from "../../components/Button";
import { Dialog } from "../../components/Dialog";
import { ErrorState } from "../../components/States";
import { toast } from "../../components/Toast";

type Workflow = Schemas["Workflow"];

export function EnableToggle({ workflow, onChanged }: { workflow: Workflow; onChanged: (wf: Workflow) => void }) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Error | null>(null);

  const set = async (enabled: boolean) => {
    setBusy(true);
    setFailure(null);
    try {
      const wf = await unwrap(api.PATCH("/workflows/{id}", { params: { path: { id: workflow.id } }, body: { enabled } }));
      toast(enabled ? `${wf.name} enabled` : `${wf.name} disabled`);
      setConfirming(false);
      onChanged(wf);
    } catch (e) {
      setFailure(e as Error);
      if (enabled) toast((e as Error).message, "danger");
    } finally {
      setBusy(false);
    }
  };

  if (!workflow.enabled) return <Button variant="secondary" busy={busy} onClick={() => void set(true)}>Enable</Button>;
  return (
    <>
      <Button variant="secondary" onClick={() => setConfirming(true)}>Disable</Button>
      <Dialog
        open={confirming}
        title={`Disable ${workflow.name}?`}
        onClose={() => setConfirming(false)}
        footer={
          <>
            <Button variant="ghost" onClick={() => setConfirming(false)}>Cancel</Button>
            <Button variant="danger" busy={busy} onClick={() => void set(false)}>Disable</Button>
          </>
        }
      >
        <p>No trigger will start a run of this workflow until it is enabled again. Runs already under way carry on.</p>
        {failure ? <ErrorState error={failure} /> : null}
      </Dialog>
    </>
  );
}
