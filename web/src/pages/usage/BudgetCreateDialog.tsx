/** Creates a budget: what it covers, its limit and window, and what happens when it is reached. */
import { useState } from "react";
import { api, type Schemas, unwrap } from "../../api/client";
import { Button } from "../../components/Button";
import { Dialog } from "../../components/Dialog";
import { SelectField, TextField } from "../../components/Field";
import { FormError, useSubmit } from "../../components/useSubmit";
import { ACTIONS, limitOf, WINDOWS } from "./budget-window";

type Create = Schemas["BudgetCreate"];
type Scope = Create["scope"];
type Action = Create["action"];

const SCOPES: { value: Scope; label: string }[] = [
  { value: "tenant", label: "Every call of the dealership" },
  { value: "key", label: "One API key" },
  { value: "user", label: "One user" },
  { value: "tag", label: "API keys with a tag" },
];
const FIELDS = ["name", "scope", "scopeId", "limitUsd", "window", "action", "degradeTo"];
const SCOPE_ID_LABEL: Record<Exclude<Scope, "tenant">, string> = { key: "API key id", user: "User id", tag: "Tag" };

export function BudgetCreateDialog({ onClose, onCreated }: { onClose: () => void; onCreated: () => void }) {
  const [name, setName] = useState("");
  const [scope, setScope] = useState<Scope>("tenant");
  const [scopeId, setScopeId] = useState("");
  const [limit, setLimit] = useState("");
  const [budgetWindow, setBudgetWindow] = useState("month");
  const [action, setAction] = useState<Action>("hard");
  const [degradeTo, setDegradeTo] = useState("");
  const form = useSubmit(async () => {
    const body: Create = {
      name: name.trim() || undefined,
      scope,
      scopeId: scope === "tenant" ? undefined : scopeId.trim(),
      limitUsd: limitOf(limit),
      window: budgetWindow,
      action,
      degradeTo: action === "degrade" ? degradeTo.trim() : undefined,
      degradeAtPercent: 100,
      thresholds: [50, 80, 100],
      enabled: true,
    };
    const saved = await unwrap(api.POST("/budgets", { body }));
    onCreated();
    return `Budget "${saved.name}" created`;
  }, FIELDS);

  return (
    <Dialog open title="New budget" onClose={onClose}>
      <form onSubmit={form.onSubmit}>
        <TextField label="Name" value={name} onChange={(e) => setName(e.target.value)} placeholder="Monthly cap" hint="Shown on the gauge; a name is made up when left empty." error={form.errors.name} autoFocus />
        <SelectField label="Applies to" value={scope} onChange={(e) => setScope(e.target.value as Scope)} options={SCOPES} error={form.errors.scope} />
        {scope === "tenant" ? null : (
          <TextField label={SCOPE_ID_LABEL[scope]} value={scopeId} onChange={(e) => setScopeId(e.target.value)} required error={form.errors.scopeId} hint={scope === "tag" ? "Calls made with an API key carrying this tag count." : undefined} />
        )}
        <TextField label="Limit (USD)" type="number" inputMode="decimal" step="any" min="0" value={limit} onChange={(e) => setLimit(e.target.value)} placeholder="500" required error={form.errors.limitUsd} />
        <SelectField label="Window" value={budgetWindow} onChange={(e) => setBudgetWindow(e.target.value)} options={WINDOWS} error={form.errors.window} hint="Spend counts from the moment the budget is created." />
        <SelectField label="When the limit is reached" value={action} onChange={(e) => setAction(e.target.value as Action)} options={ACTIONS} error={form.errors.action} />
        {action === "degrade" ? (
          <TextField label="Cheaper model to switch to" value={degradeTo} onChange={(e) => setDegradeTo(e.target.value)} placeholder="openai/gpt-4o-mini" required error={form.errors.degradeTo} />
        ) : null}
        <FormError form={form} />
        <div className="gw-actions">
          <Button variant="secondary" onClick={onClose}>Cancel</Button>
          <Button type="submit" busy={form.busy}>Create budget</Button>
        </div>
      </form>
    </Dialog>
  );
}
