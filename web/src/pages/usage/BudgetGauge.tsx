/**
 * One budget: a gauge of spend against its limit in the current window, the burn-rate
 * forecast under it, and the limit editable in place.
 */
import { useState } from "react";
import type { Schemas } from "../../api/client";
import { Badge } from "../../components/Badge";
import { Button } from "../../components/Button";
import { Gauge } from "../../components/Gauge";
import { dateTime, percent } from "../../lib/format";
import { BudgetForecastLine, type BudgetForecast } from "./BudgetForecastLine";
import { BudgetLimitForm } from "./BudgetLimitForm";
import { windowLabel } from "./budget-window";
import { cost } from "./money";

type Spend = Schemas["BudgetSpend"];

const ACTION_WORDS: Record<Spend["action"], string> = { hard: "hard limit", soft: "soft limit", degrade: "degrades" };

export function BudgetGauge({ spend, forecast, canEdit, onChanged, onDelete }: {
  spend: Spend;
  forecast: BudgetForecast | undefined;
  canEdit: boolean;
  onChanged: () => void;
  onDelete: () => void;
}) {
  const [editing, setEditing] = useState(false);
  const ratio = spend.limitNanoUsd > 0 ? spend.spentNanoUsd / spend.limitNanoUsd : 0;
  const scope = spend.scope === "tenant" ? "All calls" : `${spend.scope === "key" ? "API key" : spend.scope === "user" ? "User" : "Tag"} ${spend.scopeId ?? ""}`;
  return (
    <article className="budget" aria-label={`Budget ${spend.name}`}>
      <Gauge
        label={spend.name}
        value={spend.spentNanoUsd}
        max={spend.limitNanoUsd}
        display={
          <>
            {cost(spend.spentNanoUsd)} of {cost(spend.limitNanoUsd)} · <strong>{percent(ratio, ratio > 0 && ratio < 0.1 ? 1 : 0)}</strong>
          </>
        }
        footer={
          <span className="budget-meta">
            {windowLabel(spend.window)} · {ACTION_WORDS[spend.action]} · {scope}
            {spend.reservedNanoUsd > 0 ? ` · ${cost(spend.reservedNanoUsd)} held by running calls` : ""} · resets {dateTime(spend.windowEnd)}
            {spend.enabled ? null : <> <Badge>disabled</Badge></>}
          </span>
        }
      />
      {spend.enabled ? <BudgetForecastLine forecast={forecast} window={spend.window} /> : null}
      {editing ? (
        <BudgetLimitForm
          budgetId={spend.budgetId}
          name={spend.name}
          limitUsd={spend.limitUsd}
          onCancel={() => setEditing(false)}
          onSaved={() => {
            setEditing(false);
            onChanged();
          }}
          onDelete={onDelete}
        />
      ) : canEdit ? (
        <Button variant="secondary" className="budget-edit" onClick={() => setEditing(true)} aria-label={`Edit limit of ${spend.name}`}>Edit limit</Button>
      ) : null}
    </article>
  );
}
