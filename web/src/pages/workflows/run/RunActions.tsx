/**
 * What can be done to a run in its state: cancel (after a confirmation), pause, resume,
 * or rerun an errored run from the step that failed.
 */
import { useState } from "react";
import { api, type Schemas, unwrap } from "../../../api/client";
import { Button } from "../../../components/Button";
import { Dialog } from "../../../components/Dialog";
import { toast } from "../../../components/Toast";

type Run = Schemas["WorkflowRun"];
type Action = "cancel" | "pause" | "resume" | "rerun";

const TERMINAL = new Set<Run["status"]>(["complete", "errored", "terminated"]);
const DONE: Record<Action, string> = { cancel: "Run cancelled", pause: "Run paused", resume: "Run resumed", rerun: "Run restarted from the failed step" };

function call(action: Action, id: string): Promise<Run> {
  const params = { path: { id } };
  switch (action) {
    case "cancel":
      return unwrap(api.POST("/runs/{id}/cancel", { params }));
    case "pause":
      return unwrap(api.POST("/runs/{id}/pause", { params }));
    case "resume":
      return unwrap(api.POST("/runs/{id}/resume", { params }));
    case "rerun":
      return unwrap(api.POST("/runs/{id}/rerun", { params }));
  }
}

export function RunActions({ run, onChanged }: { run: Run; onChanged: (run: Run) => void }) {
  const [busy, setBusy] = useState<Action | null>(null);
  const [confirmCancel, setConfirmCancel] = useState(false);

  const act = async (action: Action) => {
    setBusy(action);
    try {
      const next = await call(action, run.id);
      toast(DONE[action]);
      if (action === "cancel") setConfirmCancel(false);
      onChanged(next);
    } catch (e) {
      toast((e as Error).message, "danger");
    } finally {
      setBusy(null);
    }
  };

  const active = !TERMINAL.has(run.status);
  return (
    <>
      {run.status === "errored" ? <Button busy={busy === "rerun"} onClick={() => void act("rerun")}>Rerun from failed step</Button> : null}
      {run.status === "paused" ? <Button busy={busy === "resume"} onClick={() => void act("resume")}>Resume</Button> : null}
      {active && run.status !== "paused" ? <Button variant="secondary" busy={busy === "pause"} onClick={() => void act("pause")}>Pause</Button> : null}
      {active ? <Button variant="danger" onClick={() => setConfirmCancel(true)}>Cancel run</Button> : null}
      <Dialog
        open={confirmCancel}
        title="Cancel this run?"
        onClose={() => setConfirmCancel(false)}
        footer={
          <>
            <Button variant="ghost" onClick={() => setConfirmCancel(false)}>Keep running</Button>
            <Button variant="danger" busy={busy === "cancel"} onClick={() => void act("cancel")}>Cancel run</Button>
          </>
        }
      >
        <p>The run and any runs it started stop; steps not yet finished are cancelled. A cancelled run cannot be resumed.</p>
      </Dialog>
    </>
  );
}
