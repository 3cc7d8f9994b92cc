/**
 * Budgets: one gauge per budget (spend in the current window against the limit), its
 * burn-rate forecast, the limit editable in place, and creating or deleting a budget.
 */
import { useState } from "react";
import { api, type Schemas, unwrap } from "../../api/client";
import { useApi } from "../../api/use-api";
import { useMe } from "../../app/me";
import { Button } from "../../components/Button";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { Panel } from "../../components/Page";
import { DataView, Empty } from "../../components/States";
import { BudgetCreateDialog } from "./BudgetCreateDialog";
import { BudgetGauge } from "./BudgetGauge";
import { useBudgetForecasts } from "./budget-forecasts";

type Spend = Schemas["BudgetSpend"];

export function BudgetsPanel({ refresh }: { refresh: number }) {
  const { can } = useMe();
  const canEdit = can("gateway:write");
  const [tick, setTick] = useState(0);
  const spend = useApi(() => unwrap(api.GET("/spend")), [refresh, tick]);
  const forecasts = useBudgetForecasts([refresh, tick]);
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<Spend | null>(null);
  const changed = () => setTick((t) => t + 1);

  return (
    <Panel title="Budgets" actions={canEdit ? <Button variant="secondary" onClick={() => setCreating(true)}>New budget</Button> : null}>
      <DataView
        state={spend}
        isEmpty={(d) => d.data.length === 0}
        empty={<Empty title="No budgets yet">A budget caps what the gateway may spend per day, month or rolling window, for the whole dealership, one API key, user or tag.</Empty>}
      >
        {(d) => (
          <div className="budgets">
            {forecasts.error ? <p className="muted small">Forecasts are unavailable right now ({forecasts.error.message}).</p> : null}
            {d.data.map((s) => (
              <BudgetGauge key={s.budgetId} spend={s} forecast={forecasts.byBudget.get(s.budgetId)} canEdit={canEdit} onChanged={changed} onDelete={() => setDeleting(s)} />
            ))}
          </div>
        )}
      </DataView>
      {creating ? (
        <BudgetCreateDialog
          onClose={() => setCreating(false)}
          onCreated={() => {
            setCreating(false);
            changed();
          }}
        />
      ) : null}
      {deleting ? (
        <ConfirmDialog
          title="Delete this budget?"
          confirmLabel="Delete budget"
          onClose={() => setDeleting(null)}
          onConfirm={async () => {
            await unwrap(api.DELETE("/budgets/{id}", { params: { path: { id: deleting.budgetId } } }));
            changed();
            return `Budget "${deleting.name}" deleted`;
          }}
        >
          <p>
            <strong>{deleting.name}</strong> stops limiting calls at once. Spend already recorded stays in the usage log.
          </p>
        </ConfirmDialog>
      ) : null}
    </Panel>
  );
}
