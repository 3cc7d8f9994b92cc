/**
 * Starting a run by hand: the input as JSON (pre-filled from the workflow's input schema),
 * the version to run, and an optional idempotency key. Problems with the input show at the
 * input; a started run opens.
 */
import { type FormEvent, useState } from "react";
import { ApiError, api, type Schemas, unwrap } from "../../api/client";
import { navigate } from "../../app/router";
import { Button } from "../../components/Button";
import { Dialog } from "../../components/Dialog";
import { SelectField, TextArea, TextField } from "../../components/Field";
import { ErrorState } from "../../components/States";
import { toast } from "../../components/Toast";
import { fieldErrors } from "./api-errors";
import { inputSkeleton } from "./definition-info";
import { prettyJson } from "./JsonView";

type Props = { open: boolean; onClose: () => void; workflow: Schemas["Workflow"]; definition: unknown; versions: number[] };

function StartForm({ workflow, definition, versions }: Omit<Props, "open" | "onClose">) {
  const [input, setInput] = useState(() => prettyJson(inputSkeleton(definition)));
  const [version, setVersion] = useState("");
  const [idempotencyKey, setIdempotencyKey] = useState("");
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<Error | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setErrors({});
    setFailure(null);
    let parsed: unknown;
    try {
      parsed = JSON.parse(input);
    } catch (err) {
      setErrors({ input: `Not valid JSON: ${(err as Error).message}` });
      return;
    }
    setBusy(true);
    try {
      const body = { input: parsed, ...(version ? { version: Number(version) } : {}), ...(idempotencyKey.trim() ? { idempotencyKey: idempotencyKey.trim() } : {}) };
      const run = await unwrap(api.POST("/workflows/{id}/runs", { params: { path: { id: workflow.id } }, body }));
      toast(`Run ${run.id} started`);
      navigate(`/runs/${run.id}`);
    } catch (err) {
      const fields = fieldErrors(err);
      if (err instanceof ApiError && err.code === "validation_failed") setErrors({ input: err.message, ...(fields.idempotencyKey ? { idempotencyKey: fields.idempotencyKey } : {}) });
      else setFailure(err as Error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)}>
      <TextArea label="Input (JSON)" value={input} onChange={(e) => setInput(e.target.value)} rows={12} spellCheck={false} error={errors.input} hint="Checked against the workflow's input schema." />
      <div className="row wf-form-row">
        <SelectField label="Version" value={version} onChange={(e) => setVersion(e.target.value)} options={[{ value: "", label: `Latest (v${workflow.latestVersion})` }, ...versions.map((v) => ({ value: String(v), label: `v${v}` }))]} />
        <TextField label="Idempotency key (optional)" value={idempotencyKey} onChange={(e) => setIdempotencyKey(e.target.value)} error={errors.idempotencyKey} hint="A second start with the same key opens the first run." />
      </div>
      {failure ? <ErrorState error={failure} /> : null}
      <Button type="submit" busy={busy}>Start run</Button>
    </form>
  );
}

export function StartRunDialog({ open, onClose, ...rest }: Props) {
  return (
    <Dialog open={open} title={`Start a run of ${rest.workflow.name}`} onClose={onClose}>
      <StartForm {...rest} />
    </Dialog>
  );
}
