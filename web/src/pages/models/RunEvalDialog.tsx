/**
 * Running an eval: a version and an eval set (JSON: [{messages, expected?}]). Left empty,
 * the model's stored set (the last one used) runs again.
 */
import { useId, useState } from "react";
import { ApiError, api, unwrap } from "../../api/client";
import { Button } from "../../components/Button";
import { Dialog } from "../../components/Dialog";
import { SelectField, TextArea } from "../../components/Field";
import { FormError, useSubmit } from "../../components/useSubmit";
import { num } from "../../lib/format";
import type { EvalBody, ModelDetail } from "./types";

const EXAMPLE = JSON.stringify(
  [
    { messages: [{ role: "user", content: "Is the 2022 Civic still available?" }], expected: "Yes, the Civic is available for a test drive." },
    { messages: [{ role: "user", content: "Can I book an oil change for Saturday?" }], expected: "Saturday works; we can book your oil change." },
  ],
  null,
  2,
);

type EvalSet = NonNullable<EvalBody["evalSet"]>;

/** The eval set typed in, or an error message saying what is wrong with it. */
function parseEvalSet(text: string): { set?: EvalSet; error?: string } {
  if (!text.trim()) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { error: `Not valid JSON: ${(e as Error).message}` };
  }
  if (!Array.isArray(value) || value.length === 0) return { error: "The eval set is a non-empty JSON array of {messages, expected?}" };
  const ok = value.every((ex: unknown) => typeof ex === "object" && ex !== null && Array.isArray((ex as { messages?: unknown }).messages));
  if (!ok) return { error: "Every example needs a messages array" };
  // The API checks roles and lengths and answers which example is wrong.
  return { set: value as EvalSet };
}

export function RunEvalDialog({ model, open, onClose, onDone }: { model: ModelDetail; open: boolean; onClose: () => void; onDone: () => void }) {
  const formId = useId();
  const candidates = model.versions.filter((v) => v.status === "active");
  const [versionId, setVersionId] = useState(model.aliases.challenger ?? candidates[0]?.id ?? "");
  const [text, setText] = useState("");

  const form = useSubmit(async () => {
    const parsed = parseEvalSet(text);
    // Shown next to the eval set, like the API's own validation errors.
    if (parsed.error) throw new ApiError(400, "validation_failed", parsed.error, undefined, [{ path: "evalSet", message: parsed.error }]);
    const r = await unwrap(api.POST("/models/{id}/evals", { params: { path: { id: model.id } }, body: { versionId, ...(parsed.set ? { evalSet: parsed.set } : {}) } }));
    onDone();
    return `Eval done: ${num(r.candidate.meanScore, 1)}${r.champion ? ` vs champion ${num(r.champion.meanScore, 1)}` : ""}`;
  }, ["versionId", "evalSet"]);

  return (
    <Dialog
      open={open}
      title="Run an eval"
      onClose={onClose}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>Cancel</Button>
          <Button type="submit" form={formId} busy={form.busy} disabled={!versionId}>Run eval</Button>
        </>
      }
    >
      <form id={formId} onSubmit={form.onSubmit}>
        <SelectField label="Version" value={versionId} onChange={(e) => setVersionId(e.target.value)} error={form.errors.versionId}
          options={candidates.map((v) => ({ value: v.id, label: `v${v.version}${model.aliases.champion === v.id ? " (champion)" : model.aliases.challenger === v.id ? " (challenger)" : ""}` }))} />
        <TextArea label="Eval set (JSON)" value={text} rows={10} onChange={(e) => setText(e.target.value)} error={form.errors.evalSet} placeholder={EXAMPLE}
          hint="Leave empty to run the model's stored eval set again. Each example is asked of this version and of the champion through the gateway." />
        <Button variant="ghost" onClick={() => setText(EXAMPLE)}>Use the example set</Button>
        <FormError form={form} />
      </form>
    </Dialog>
  );
}
