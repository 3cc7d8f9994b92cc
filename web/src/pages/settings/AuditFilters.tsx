/** The audit log's filters (the ones the API supports): action, resource, actor and a time window. */
import { useId, useState } from "react";
import { Button } from "../../components/Button";
import { SelectField, TextField } from "../../components/Field";

export type AuditFilter = { action: string; resourceType: string; resourceId: string; actorId: string; from: string; to: string };
export const NO_FILTER: AuditFilter = { action: "", resourceType: "", resourceId: "", actorId: "", from: "", to: "" };

const ACTIONS = [
  "tenant.updated", "rooftop.created", "rooftop.updated", "rooftop.deleted", "user.created", "user.updated", "user.disabled",
  "user.provisioned", "user.sso_login", "auth.login", "auth.logout", "api_key.created", "api_key.revoked", "sso.configured",
  "sso.updated", "sso.deleted", "webhook_endpoint.created", "webhook_endpoint.updated", "webhook_endpoint.deleted",
  "webhook_endpoint.secret_rotated", "webhook_endpoint.recovered", "webhook_endpoint.disabled", "webhook_message.resent",
  "workflow.created", "workflow.updated", "workflow_run.started", "budget.created", "budget.updated", "model.created",
  "training_job.created",
];
const RESOURCES = [
  "tenant", "rooftop", "user", "session", "api_key", "sso_config", "webhook_endpoint", "webhook_message", "workflow", "workflow_run",
  "lead", "assistant", "knowledge_base", "widget", "budget", "rate_limit", "gateway_provider", "gateway_alias", "gateway_routing",
  "gateway_guard", "model", "dataset", "training_job",
];

export function AuditFilters({ value, actors, onApply }: { value: AuditFilter; actors: { value: string; label: string }[]; onApply: (f: AuditFilter) => void }) {
  const [draft, setDraft] = useState<AuditFilter>(value);
  const actionList = useId();
  const set = (k: keyof AuditFilter) => (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [k]: e.target.value }));
  const dirty = JSON.stringify(draft) !== JSON.stringify(NO_FILTER);
  return (
    <form
      className="toolbar audit-filters"
      role="search"
      aria-label="Filter the audit log"
      onSubmit={(e) => {
        e.preventDefault();
        onApply(draft);
      }}
    >
      <TextField label="Action" list={actionList} value={draft.action} onChange={set("action")} placeholder="api_key.created" autoComplete="off" />
      <datalist id={actionList}>
        {ACTIONS.map((a) => <option key={a} value={a} />)}
      </datalist>
      <SelectField label="Resource" value={draft.resourceType} onChange={set("resourceType")} options={[{ value: "", label: "Any resource" }, ...RESOURCES.map((r) => ({ value: r, label: r.replace(/_/g, " ") }))]} />
      <TextField label="Resource id" value={draft.resourceId} onChange={set("resourceId")} autoComplete="off" />
      <SelectField label="Actor" value={draft.actorId} onChange={set("actorId")} options={[{ value: "", label: "Anyone" }, ...actors]} />
      <TextField label="From" type="datetime-local" value={draft.from} onChange={set("from")} />
      <TextField label="To" type="datetime-local" value={draft.to} onChange={set("to")} />
      <Button type="submit">Apply filters</Button>
      {dirty ? (
        <Button variant="ghost" onClick={() => { setDraft(NO_FILTER); onApply(NO_FILTER); }}>Clear</Button>
      ) : null}
    </form>
  );
}
