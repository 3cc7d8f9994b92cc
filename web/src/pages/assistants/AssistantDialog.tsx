/**
 * Creating or editing an assistant: its model, instructions, knowledge bases, pipeline and
 * the lead score at which a conversation becomes a lead.
 */
import { useId, useState } from "react";
import { api, unwrap } from "../../api/client";
import { useApi } from "../../api/use-api";
import { Button } from "../../components/Button";
import { Dialog } from "../../components/Dialog";
import { Checkbox, TextArea, TextField } from "../../components/Field";
import { FormError, useSubmit } from "../../components/useSubmit";
import { useModelSuggestions } from "./model-suggestions";
import { DEFAULT_PIPELINE } from "./pipeline-steps";
import { PipelineEditor } from "./PipelineEditor";
import type { Assistant, AssistantBody } from "./types";

export function AssistantDialog({ title, initial, submitLabel, onClose, onSave }: {
  title: string;
  initial?: Assistant;
  submitLabel: string;
  onClose: () => void;
  /** Saves and answers the toast to show. */
  onSave: (body: AssistantBody) => Promise<string>;
}) {
  const formId = useId();
  const listId = useId();
  const suggestions = useModelSuggestions();
  const bases = useApi(() => unwrap(api.GET("/knowledge-bases")).then((r) => r.data), []);
  const [name, setName] = useState(initial?.name ?? "");
  const [model, setModel] = useState(initial?.model ?? "gpt-4o-mini");
  const [instructions, setInstructions] = useState(initial?.instructions ?? "");
  const [kbIds, setKbIds] = useState<string[]>(initial?.knowledgeBaseIds ?? []);
  const [department, setDepartment] = useState(initial?.department ?? "");
  const [threshold, setThreshold] = useState(String(initial?.leadThreshold ?? 70));
  const [pipeline, setPipeline] = useState<string[]>(initial?.pipeline ?? DEFAULT_PIPELINE);

  const form = useSubmit(async () => {
    return onSave({
      name: name.trim(),
      model: model.trim(),
      instructions,
      knowledgeBaseIds: kbIds,
      department: department.trim() || null,
      leadThreshold: Number(threshold),
      pipeline,
    });
  }, ["name", "model", "instructions", "knowledgeBaseIds", "department", "leadThreshold", "pipeline"]);
  const toggle = (id: string, on: boolean) => setKbIds((cur) => (on ? [...cur, id] : cur.filter((x) => x !== id)));

  return (
    <Dialog
      open
      title={title}
      onClose={onClose}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>Cancel</Button>
          <Button type="submit" form={formId} busy={form.busy}>{submitLabel}</Button>
        </>
      }
    >
      <form id={formId} onSubmit={form.onSubmit}>
        <TextField label="Name" value={name} onChange={(e) => setName(e.target.value)} required autoFocus error={form.errors.name} placeholder="Sales desk" />
        <TextField label="Model" value={model} onChange={(e) => setModel(e.target.value)} required list={listId} error={form.errors.model} hint="A model or alias, routed like any gateway call." />
        <datalist id={listId}>
          {suggestions.map((m) => <option key={m} value={m} />)}
        </datalist>
        <TextArea label="Instructions" value={instructions} onChange={(e) => setInstructions(e.target.value)} rows={5} error={form.errors.instructions} placeholder="You answer for Demo Motors. Be brief and offer a test drive." />
        <fieldset className="field">
          <legend>Knowledge bases</legend>
          {bases.data?.length ? (
            bases.data.map((b) => <Checkbox key={b.id} label={b.name} checked={kbIds.includes(b.id)} onChange={(e) => toggle(b.id, e.target.checked)} />)
          ) : (
            <span className="muted small">{bases.loading ? "Loading…" : "None yet: create one under Knowledge bases."}</span>
          )}
          {form.errors.knowledgeBaseIds ? <div className="field-error" role="alert">{form.errors.knowledgeBaseIds}</div> : null}
        </fieldset>
        <div className="grid grid-tight">
          <TextField label="Department" value={department} onChange={(e) => setDepartment(e.target.value)} error={form.errors.department} placeholder="sales" />
          <TextField label="Lead threshold" type="number" min={0} max={100} value={threshold} onChange={(e) => setThreshold(e.target.value)} error={form.errors.leadThreshold} hint="Lead score (0–100) at which a chat becomes a lead." />
        </div>
        <PipelineEditor steps={pipeline} onChange={setPipeline} error={form.errors.pipeline} />
        <FormError form={form} />
      </form>
    </Dialog>
  );
}
