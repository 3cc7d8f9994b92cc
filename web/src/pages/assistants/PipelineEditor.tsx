/** Editing a pipeline: move steps up or down, remove them, add back the ones left out. */
import { Button } from "../../components/Button";
import { PIPELINE_STEPS, stepInfo } from "./pipeline-steps";

export function PipelineEditor({ steps, onChange, error }: { steps: string[]; onChange: (steps: string[]) => void; error?: string }) {
  const move = (i: number, by: -1 | 1) => {
    const next = [...steps];
    const [s] = next.splice(i, 1);
    if (s !== undefined) next.splice(i + by, 0, s);
    onChange(next);
  };
  const missing = PIPELINE_STEPS.filter((s) => !steps.includes(s.name));
  return (
    <fieldset className={`field pipeline-editor ${error ? "field-invalid" : ""}`}>
      <legend>Pipeline steps, in order</legend>
      <ol className="pipeline-edit-list">
        {steps.map((name, i) => {
          const s = stepInfo(name);
          return (
            <li key={name} className="row">
              <span className="pipeline-n" aria-hidden="true">{i + 1}</span>
              <span className="pipeline-edit-label">{s.label} <span className="muted small">{s.does}</span></span>
              <Button variant="ghost" onClick={() => move(i, -1)} disabled={i === 0} aria-label={`Move ${s.label} up`}>↑</Button>
              <Button variant="ghost" onClick={() => move(i, 1)} disabled={i === steps.length - 1} aria-label={`Move ${s.label} down`}>↓</Button>
              <Button variant="ghost" onClick={() => onChange(steps.filter((x) => x !== name))} aria-label={`Remove ${s.label}`}>Remove</Button>
            </li>
          );
        })}
      </ol>
      {missing.length ? (
        <div className="row small">
          <span className="muted">Add:</span>
          {missing.map((s) => (
            <Button key={s.name} variant="secondary" onClick={() => onChange([...steps, s.name])}>+ {s.label}</Button>
          ))}
        </div>
      ) : null}
      {error ? <div className="field-error" role="alert">{error}</div> : null}
    </fieldset>
  );
}
