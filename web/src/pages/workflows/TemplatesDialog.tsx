/**
 * Installing a shipped template: pick one (what it does, its triggers and steps), choose
 * the key of the new workflow (a second copy needs a key of its own), install.
 */
import { type FormEvent, useState } from "react";
import { ApiError, api, type Schemas, unwrap } from "../../api/client";
import { useApi } from "../../api/use-api";
import { Badge } from "../../components/Badge";
import { Button } from "../../components/Button";
import { Dialog } from "../../components/Dialog";
import { SelectField, TextField } from "../../components/Field";
import { DataView, ErrorState } from "../../components/States";
import { toast } from "../../components/Toast";
import { fieldErrors } from "./api-errors";
import { triggersOf } from "./definition-info";
import { flattenSteps, stepsOf } from "./graph/steps";

type Template = { key: string; name: string; description: string; definition?: unknown };

function InstallForm({ templates, installed, onInstalled }: { templates: Template[]; installed: Set<string>; onInstalled: (wf: Schemas["Workflow"]) => void }) {
  const keyFor = (template: string) => (installed.has(template) ? `${template}-2` : template);
  const [name, setName] = useState(templates[0]?.key ?? "");
  const [key, setKey] = useState(() => keyFor(templates[0]?.key ?? ""));
  const [busy, setBusy] = useState(false);
  const [keyError, setKeyError] = useState<string | null>(null);
  const [failure, setFailure] = useState<Error | null>(null);
  const chosen = templates.find((t) => t.key === name);

  const choose = (next: string) => {
    setName(next);
    setKey(keyFor(next));
    setKeyError(null);
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setKeyError(null);
    setFailure(null);
    try {
      const wf = await unwrap(api.POST("/workflows/templates/{name}/install", { params: { path: { name } }, body: key.trim() ? { key: key.trim() } : {} }));
      toast(`Installed ${wf.name} as ${wf.key}`);
      onInstalled(wf);
    } catch (err) {
      const keyMessage = fieldErrors(err).key ?? (err instanceof ApiError && err.code === "conflict" ? err.message : null);
      if (keyMessage) setKeyError(keyMessage);
      else setFailure(err as Error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} id="install-template">
      <SelectField label="Template" value={name} onChange={(e) => choose(e.target.value)} options={templates.map((t) => ({ value: t.key, label: `${t.name}${installed.has(t.key) ? " (installed)" : ""}` }))} />
      {chosen ? (
        <div className="wf-template-about stack">
          <p>{chosen.description}</p>
          <div className="row">
            {triggersOf(chosen.definition).map((t) => (
              <Badge key={t} tone="info">{t}</Badge>
            ))}
            <span className="muted small">{flattenSteps(stepsOf(chosen.definition)).length} steps</span>
          </div>
        </div>
      ) : null}
      <TextField label="Key of the new workflow" value={key} onChange={(e) => setKey(e.target.value)} hint="Lower-case letters, digits and dashes." error={keyError} autoComplete="off" />
      {failure ? <ErrorState error={failure} /> : null}
      <Button type="submit" busy={busy}>Install</Button>
    </form>
  );
}

async function loadChoices() {
  const [templates, workflows] = await Promise.all([unwrap(api.GET("/workflows/templates")), unwrap(api.GET("/workflows"))]);
  return { templates: templates.data, installed: new Set(workflows.data.map((w) => w.key)) };
}

function Choices({ onInstalled }: { onInstalled: (wf: Schemas["Workflow"]) => void }) {
  const choices = useApi(loadChoices, []);
  return (
    <DataView state={choices} isEmpty={(c) => c.templates.length === 0}>
      {(c) => <InstallForm templates={c.templates} installed={c.installed} onInstalled={onInstalled} />}
    </DataView>
  );
}

export function TemplatesDialog({ open, onClose, onInstalled }: { open: boolean; onClose: () => void; onInstalled: (wf: Schemas["Workflow"]) => void }) {
  return (
    <Dialog open={open} title="Install a template" onClose={onClose}>
      <Choices onInstalled={onInstalled} />
    </Dialog>
  );
}
