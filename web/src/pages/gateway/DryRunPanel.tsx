/**
 * The dry run: describe a request (model, key tags, x-auterity-* metadata, prompt) and see
 * which target it would get and why, against the saved rules or the draft in the editor.
 */
import { useState } from "react";
import { api, type Schemas, unwrap } from "../../api/client";
import { Button } from "../../components/Button";
import { Checkbox, SelectField, TextArea, TextField } from "../../components/Field";
import { Panel } from "../../components/Page";
import { FormError, useSubmit } from "../../components/useSubmit";
import { type DryRunForm, dryRunBody, EMPTY_FORM } from "./dry-run-input";
import { DryRunResult } from "./DryRunResult";
import { problemsOf, type RoutingProblem } from "./routing-problems";

const FIELDS = ["model", "tags", "metadata", "messages", "maxTokens", "at"];

export function DryRunPanel({ draft, dirty, savedVersion, onDraftProblems }: {
  draft: string;
  dirty: boolean;
  savedVersion: number;
  /** Problems of the draft, when the dry run ran against it. */
  onDraftProblems: (p: RoutingProblem[]) => void;
}) {
  const [f, setF] = useState<DryRunForm>(EMPTY_FORM);
  // Until the user picks, plan with the draft whenever it differs from what is saved.
  const [picked, setPicked] = useState<"saved" | "draft" | null>(null);
  const [result, setResult] = useState<Schemas["RoutingDryRun"] | null>(null);
  const against = picked ?? (dirty ? "draft" : "saved");
  const useDraft = against === "draft";
  const set = <K extends keyof DryRunForm>(k: K, v: DryRunForm[K]) => setF((x) => ({ ...x, [k]: v }));

  const run = useSubmit(async () => {
    setResult(null);
    try {
      setResult(await unwrap(api.POST("/gateway/routing/dry-run", { body: dryRunBody(f, useDraft ? draft : undefined) })));
      if (useDraft) onDraftProblems([]);
    } catch (e) {
      const problems = problemsOf(e);
      if (useDraft && problems.length) onDraftProblems(problems);
      throw e;
    }
  }, FIELDS);

  return (
    <Panel title="Dry run">
      <form onSubmit={run.onSubmit} className="dry-run-form">
        <div className="dry-run-fields">
          <TextField label="Model asked for" value={f.model} onChange={(e) => set("model", e.target.value)} required error={run.errors.model} />
          <TextField label="API key tags" value={f.tags} onChange={(e) => set("tags", e.target.value)} placeholder="sales, downtown" hint="Comma-separated" error={run.errors.tags} />
          <TextArea label="Metadata" value={f.metadata} onChange={(e) => set("metadata", e.target.value)} rows={3} placeholder={"task: lead-reply\nrooftop: north"} hint="x-auterity-* headers, one key: value a line" error={run.errors.metadata} />
          <TextArea label="Prompt (optional)" value={f.prompt} onChange={(e) => set("prompt", e.target.value)} rows={3} placeholder="Reply to this lead…" hint="Sizes the request for token-based rules" error={run.errors.messages} />
          <TextField label="Max output tokens" type="number" min="1" value={f.maxTokens} onChange={(e) => set("maxTokens", e.target.value)} error={run.errors.maxTokens} />
          <TextField label="As if sent at" type="datetime-local" value={f.at} onChange={(e) => set("at", e.target.value)} hint="Empty = now" error={run.errors.at} />
        </div>
        <div className="row">
          <Checkbox label="Streaming" checked={f.stream} onChange={(e) => set("stream", e.target.checked)} />
          <Checkbox label="JSON response" checked={f.json} onChange={(e) => set("json", e.target.checked)} />
        </div>
        <div className="row dry-run-actions">
          <SelectField
            label="Rules to plan with"
            value={against}
            onChange={(e) => setPicked(e.target.value === "draft" ? "draft" : "saved")}
            options={[
              { value: "saved", label: savedVersion ? `Saved rules (version ${savedVersion})` : "Saved rules (none yet)" },
              { value: "draft", label: dirty ? "The draft in the editor (unsaved)" : "The draft in the editor" },
            ]}
          />
          <Button type="submit" busy={run.busy}>Run dry run</Button>
        </div>
        <FormError form={run} />
      </form>
      {result ? <DryRunResult result={result} /> : null}
    </Panel>
  );
}
