/**
 * The canary share (how much unpinned ft:<key> traffic the challenger takes) and the margins
 * the eval gate and the canary monitor judge a challenger by.
 */
import { useId, useState } from "react";
import { api, unwrap } from "../../api/client";
import { Button } from "../../components/Button";
import { TextField } from "../../components/Field";
import { Panel } from "../../components/Page";
import { FormError, useSubmit } from "../../components/useSubmit";
import { versionLabel } from "./labels";
import type { ModelDetail } from "./types";

export function CanaryPanel({ model, canWrite, onSaved }: { model: ModelDetail; canWrite: boolean; onSaved: () => void }) {
  const rangeId = useId();
  const [canary, setCanary] = useState(model.canaryPercent);
  const [evalMargin, setEvalMargin] = useState(String(model.evalMargin));
  const [errorRateMargin, setErrorRateMargin] = useState(String(model.errorRateMargin));
  const [qualityMargin, setQualityMargin] = useState(String(model.qualityMargin));
  const challenger = model.aliases.challenger;

  const form = useSubmit(async () => {
    const body = { canaryPercent: canary, evalMargin: Number(evalMargin), errorRateMargin: Number(errorRateMargin), qualityMargin: Number(qualityMargin) };
    await unwrap(api.PATCH("/models/{id}", { params: { path: { id: model.id } }, body }));
    onSaved();
    return `Saved: canary ${canary} %`;
  }, ["canaryPercent", "evalMargin", "errorRateMargin", "qualityMargin"]);

  return (
    <Panel title="Canary and gates">
      <form onSubmit={form.onSubmit} className="stack">
        <div className={`field ${form.errors.canaryPercent ? "field-invalid" : ""}`}>
          <label htmlFor={rangeId}>Canary share: {canary} % to the challenger</label>
          <input id={rangeId} type="range" min={0} max={100} step={1} value={canary} disabled={!canWrite} onChange={(e) => setCanary(Number(e.target.value))} aria-valuetext={`${canary} percent`} />
          <div className="field-hint">
            {challenger ? <>Challenger {versionLabel(model.versions, challenger)} answers {canary} % of calls to <code>ft:{model.key}</code> that do not pin a version.</> : <>Promote a version to challenger before giving it traffic.</>}
          </div>
          {form.errors.canaryPercent ? <div className="field-error" role="alert">{form.errors.canaryPercent}</div> : null}
        </div>
        <div className="grid grid-tight">
          <TextField label="Eval margin (points)" type="number" min={0} max={100} step="0.5" value={evalMargin} disabled={!canWrite} onChange={(e) => setEvalMargin(e.target.value)} error={form.errors.evalMargin} hint="How far below the champion's eval a new champion may score." />
          <TextField label="Error-rate margin" type="number" min={0} max={1} step="0.01" value={errorRateMargin} disabled={!canWrite} onChange={(e) => setErrorRateMargin(e.target.value)} error={form.errors.errorRateMargin} hint="Extra error rate (0..1) the canary may show." />
          <TextField label="Quality margin (points)" type="number" min={0} max={100} step="0.5" value={qualityMargin} disabled={!canWrite} onChange={(e) => setQualityMargin(e.target.value)} error={form.errors.qualityMargin} hint="Quality drop the canary may show." />
        </div>
        <FormError form={form} />
        {canWrite ? <div><Button type="submit" busy={form.busy}>Save</Button></div> : null}
      </form>
    </Panel>
  );
}
