/** Changes a budget's limit in place, under its gauge; Enter saves, Escape cancels. */
import { useState } from "react";
import { api, unwrap } from "../../api/client";
import { Button } from "../../components/Button";
import { TextField } from "../../components/Field";
import { FormError, useSubmit } from "../../components/useSubmit";
import { limitOf } from "./budget-window";
import { cost } from "./money";

export function BudgetLimitForm({ budgetId, name, limitUsd, onSaved, onCancel, onDelete }: {
  budgetId: string;
  name: string;
  limitUsd: number;
  onSaved: () => void;
  onCancel: () => void;
  onDelete?: () => void;
}) {
  const [value, setValue] = useState(String(limitUsd));
  const form = useSubmit(async () => {
    const saved = await unwrap(api.PATCH("/budgets/{id}", { params: { path: { id: budgetId } }, body: { limitUsd: limitOf(value) } }));
    onSaved();
    return `${name}: limit set to ${cost(saved.limitNanoUsd)}`;
  }, ["limitUsd"]);
  return (
    <form className="budget-limit-form" onSubmit={form.onSubmit} onKeyDown={(e) => (e.key === "Escape" ? onCancel() : undefined)}>
      <TextField
        label={`New limit for ${name} (USD)`}
        type="number"
        inputMode="decimal"
        step="any"
        min="0"
        value={value}
        onChange={(e) => setValue(e.target.value)}
        error={form.errors.limitUsd}
        autoFocus
      />
      <div className="row">
        <Button type="submit" busy={form.busy}>Save limit</Button>
        <Button variant="secondary" onClick={onCancel}>Cancel</Button>
        {onDelete ? <Button variant="ghost" className="budget-delete" onClick={onDelete}>Delete budget</Button> : null}
      </div>
      <FormError form={form} />
    </form>
  );
}
