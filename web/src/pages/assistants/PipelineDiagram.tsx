/** An assistant's pipeline drawn as what it is: steps run one after another, in this order. */
import { stepInfo } from "./pipeline-steps";

export function PipelineDiagram({ steps, compact }: { steps: string[]; compact?: boolean }) {
  if (!steps.length) return <p className="muted">No steps: the assistant does nothing with a message.</p>;
  return (
    <ol className={compact ? "pipeline pipeline-compact" : "pipeline"} aria-label="Pipeline, in order">
      {steps.map((name, i) => {
        const s = stepInfo(name);
        return (
          <li key={name} className="pipeline-step">
            <span className="pipeline-n" aria-hidden="true">{i + 1}</span>
            <span className="pipeline-label">{s.label}</span>
            {!compact && s.does ? <span className="pipeline-does">{s.does}</span> : null}
          </li>
        );
      })}
    </ol>
  );
}
