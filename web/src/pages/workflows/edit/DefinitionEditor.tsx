/**
 * Writing a workflow definition in YAML or JSON: validate it (problems listed with their
 * line, step and path; a click selects the line), see it drawn, and save it — as a new
 * workflow, or as a new version of an existing one.
 */
import { type FormEvent, type KeyboardEvent, useState } from "react";
import { ApiError, api, type Schemas, unwrap } from "../../../api/client";
import { Button } from "../../../components/Button";
import { SelectField, TextArea, TextField } from "../../../components/Field";
import { Panel } from "../../../components/Page";
import { Empty, ErrorState } from "../../../components/States";
import { toast } from "../../../components/Toast";
import { type DefinitionProblem, definitionProblems, fieldErrors } from "../api-errors";
import { WorkflowGraph } from "../graph/WorkflowGraph";
import { ProblemList } from "./ProblemList";
import { convert, type Format, lineRange, STARTER, toText } from "./source";

type Workflow = Schemas["Workflow"];
export type EditTarget = { kind: "create" } | { kind: "edit"; workflow: Workflow; definition: unknown };

const FORMATS = [
  { value: "yaml", label: "YAML" },
  { value: "json", label: "JSON" },
];

async function save(target: EditTarget, key: string, text: string): Promise<{ workflow: Workflow; created: boolean }> {
  if (target.kind === "create") return { workflow: await unwrap(api.POST("/workflows", { body: { key, yaml: text } })), created: true };
  const call = api.PUT("/workflows/{id}", { params: { path: { id: target.workflow.id } }, body: { yaml: text } });
  const workflow = await unwrap(call);
  return { workflow, created: (await call).response.status === 201 };
}

export function DefinitionEditor({ target, onSaved, onCancel }: { target: EditTarget; onSaved: (wf: Workflow, created: boolean) => void; onCancel: () => void }) {
  const [format, setFormat] = useState<Format>("yaml");
  const [text, setText] = useState(() => (target.kind === "edit" ? toText(target.definition, "yaml") : STARTER));
  const [key, setKey] = useState("");
  const [busy, setBusy] = useState<"validate" | "save" | null>(null);
  const [problems, setProblems] = useState<DefinitionProblem[]>([]);
  const [keyError, setKeyError] = useState<string | null>(null);
  const [formatError, setFormatError] = useState<string | null>(null);
  const [failure, setFailure] = useState<Error | null>(null);
  const [preview, setPreview] = useState<unknown>(target.kind === "edit" ? target.definition : undefined);
  const [validNote, setValidNote] = useState<string | null>(null);
  const textId = `definition-${target.kind}`;

  const clear = () => {
    setProblems([]);
    setKeyError(null);
    setFailure(null);
    setValidNote(null);
  };
  const fail = (e: unknown) => {
    const taken = target.kind === "create" && e instanceof ApiError && e.code === "conflict" ? e.message : null;
    const keyMessage = fieldErrors(e).key ?? taken;
    const found = definitionProblems(e).filter((p) => p.path !== "key");
    setKeyError(keyMessage);
    setProblems(found);
    if (!keyMessage && !found.length) setFailure(e instanceof Error ? e : new Error(String(e)));
  };

  const validate = async () => {
    clear();
    setBusy("validate");
    try {
      const result = await unwrap(api.POST("/workflows/validate", { body: { yaml: text } }));
      setPreview(result.definition);
      setValidNote("The definition is valid.");
    } catch (e) {
      fail(e);
    } finally {
      setBusy(null);
    }
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    clear();
    setBusy("save");
    try {
      const { workflow, created } = await save(target, key.trim(), text);
      toast(target.kind === "create" ? `Workflow ${workflow.name} created` : created ? `Saved as version ${workflow.latestVersion}` : `No changes: still version ${workflow.latestVersion}`);
      onSaved(workflow, created);
    } catch (err) {
      fail(err);
    } finally {
      setBusy(null);
    }
  };

  const switchFormat = (to: Format) => {
    const next = convert(text, to);
    setFormatError(next.ok ? null : next.message);
    if (!next.ok) return;
    setText(next.text);
    setFormat(to);
    setProblems([]);
  };

  const pickLine = (line: number) => {
    const el = document.getElementById(textId);
    if (!(el instanceof HTMLTextAreaElement)) return;
    const [start, end] = lineRange(text, line);
    el.focus();
    el.setSelectionRange(start, end);
    // Scroll the line into view: a line is about 1.45em of the textarea's font.
    el.scrollTop = Math.max(0, (line - 4) * parseFloat(getComputedStyle(el).lineHeight || "20"));
  };

  const submitOnCtrlEnter = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      e.currentTarget.form?.requestSubmit();
    }
  };

  return (
    <div className="wf-editor">
      <Panel title={target.kind === "create" ? "New workflow" : `Edit ${target.workflow.name} (saves version ${target.workflow.latestVersion + 1})`}>
        <form onSubmit={(e) => void submit(e)} noValidate>
          <div className="row wf-editor-fields">
            {target.kind === "create" ? (
              <TextField label="Key" value={key} onChange={(e) => setKey(e.target.value)} required placeholder="review-sentiment-alert" hint="Lower-case letters, digits and dashes; used in links and by subworkflow steps." error={keyError} autoComplete="off" />
            ) : null}
            <SelectField label="Format" value={format} options={FORMATS} onChange={(e) => switchFormat(e.target.value as Format)} error={formatError} />
          </div>
          <TextArea
            id={textId}
            label="Definition"
            value={text}
            onChange={(e) => setText(e.target.value)}
            rows={24}
            spellCheck={false}
            className="wf-source"
            onKeyDown={submitOnCtrlEnter}
            hint="Steps run top to bottom; branch and parallel steps hold nested steps. Ctrl+Enter saves."
            error={problems.length ? `${problems.length === 1 ? "1 problem" : `${problems.length} problems`}, listed below` : null}
          />
          <ProblemList problems={problems} onPick={pickLine} />
          {validNote ? <div className="banner banner-info" role="status">{validNote}</div> : null}
          {failure ? <ErrorState error={failure} /> : null}
          <div className="row">
            <Button type="submit" busy={busy === "save"} disabled={busy !== null}>{target.kind === "create" ? "Create workflow" : "Save new version"}</Button>
            <Button variant="secondary" busy={busy === "validate"} disabled={busy !== null} onClick={() => void validate()}>Validate</Button>
            <Button variant="ghost" onClick={onCancel}>Cancel</Button>
          </div>
        </form>
      </Panel>
      <Panel title="Preview" className="wf-editor-preview">
        {preview === undefined ? <Empty title="Nothing drawn yet">Validate the definition to see its steps as a graph.</Empty> : <WorkflowGraph definition={preview} label="Preview of the definition" />}
      </Panel>
    </div>
  );
}
