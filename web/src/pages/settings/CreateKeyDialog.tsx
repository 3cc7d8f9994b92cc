/** The form that creates an API key: name, scopes, tags and expiry. The secret goes back to the page. */
import { useId, useState } from "react";
import { ApiError, api, type Schemas, unwrap } from "../../api/client";
import { Button } from "../../components/Button";
import { Dialog } from "../../components/Dialog";
import { Checkbox, SelectField, TextField } from "../../components/Field";
import { FormError, useSubmit } from "../../components/useSubmit";
import { splitList } from "./lists";

type Scope = Schemas["ApiKey"]["scopes"][number];

export const SCOPES: { id: Scope; label: string; help: string }[] = [
  { id: "gateway", label: "Gateway", help: "Call AI models through /v1 (OpenAI- and Anthropic-compatible)" },
  { id: "workflows", label: "Workflows", help: "Start and drive workflow runs through the platform API" },
  { id: "leads", label: "Leads", help: "Post ADF leads to /hooks/leads" },
  { id: "admin", label: "Admin", help: "Everything in the platform API, as an administrator" },
];

const DAY = 86_400_000;
const EXPIRIES = [
  { value: "never", label: "Never" },
  { value: "30", label: "In 30 days" },
  { value: "90", label: "In 90 days" },
  { value: "365", label: "In 1 year" },
  { value: "date", label: "On a date…" },
];

function expiryOf(choice: string, date: string): number | null {
  if (choice === "never") return null;
  if (choice === "date") {
    if (!date) throw new ApiError(400, "validation_failed", "Pick the expiry date", undefined, [{ path: "expiresAt", message: "pick a date" }]);
    return new Date(`${date}T23:59:59`).getTime();
  }
  return Date.now() + Number(choice) * DAY;
}

export function CreateKeyDialog({ onCreated, onClose }: { onCreated: (key: Schemas["ApiKeyCreated"]) => void; onClose: () => void }) {
  const formId = useId();
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<Scope[]>(["gateway"]);
  const [tags, setTags] = useState("");
  const [expiry, setExpiry] = useState("never");
  const [date, setDate] = useState("");

  const form = useSubmit(async () => {
    const created = await unwrap(
      api.POST("/keys", { body: { name, scopes, tags: splitList(tags), expiresAt: expiryOf(expiry, date) } }),
    );
    onCreated(created);
    return `Key "${created.name}" created`;
  }, ["name", "scopes", "tags", "expiresAt"]);

  const toggle = (id: Scope, on: boolean) => setScopes((s) => (on ? [...s, id] : s.filter((x) => x !== id)));

  return (
    <Dialog
      open
      title="Create API key"
      onClose={onClose}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>Cancel</Button>
          <Button type="submit" form={formId} busy={form.busy}>Create key</Button>
        </>
      }
    >
      <form id={formId} onSubmit={form.onSubmit} noValidate>
        <TextField label="Name" required autoFocus value={name} onChange={(e) => setName(e.target.value)} error={form.errors.name} hint="Say where it is used, e.g. “DMS lead import”." />
        <fieldset className="choice-set" aria-describedby={form.errors.scopes ? `${formId}-scopes` : undefined}>
          <legend>Scopes</legend>
          {SCOPES.map((s) => (
            <Checkbox key={s.id} checked={scopes.includes(s.id)} onChange={(e) => toggle(s.id, e.target.checked)} label={<><strong>{s.label}</strong> <span className="muted small">— {s.help}</span></>} />
          ))}
          {form.errors.scopes ? <div id={`${formId}-scopes`} className="field-error" role="alert">{form.errors.scopes}</div> : null}
        </fieldset>
        <TextField label="Tags" value={tags} onChange={(e) => setTags(e.target.value)} error={form.errors.tags} hint="Comma-separated; budgets and usage reports can group by tag." placeholder="crm, downtown" />
        <div className="row">
          <SelectField label="Expires" value={expiry} onChange={(e) => setExpiry(e.target.value)} options={EXPIRIES} error={expiry === "date" ? undefined : form.errors.expiresAt} />
          {expiry === "date" ? <TextField label="Expiry date" type="date" value={date} onChange={(e) => setDate(e.target.value)} error={form.errors.expiresAt} /> : null}
        </div>
        <FormError form={form} />
      </form>
    </Dialog>
  );
}
