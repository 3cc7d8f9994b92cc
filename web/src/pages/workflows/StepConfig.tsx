/** The configuration of the step selected in the graph: what it is and how it is set up. */
import { Badge } from "../../components/Badge";
import { Empty } from "../../components/States";
import { typeSwatch } from "./graph/colors";
import { ownConfig, type StepSpec } from "./graph/steps";
import { JsonView } from "./JsonView";

export function StepConfig({ step }: { step: StepSpec | null }) {
  if (!step) return <Empty title="Select a step">Click a step in the graph (or focus it and press Enter) to see its configuration.</Empty>;
  const { id: _id, type: _type, name: _name, ...config } = ownConfig(step);
  const swatch = typeSwatch(step.type);
  return (
    <div className="stack wf-step-config" aria-live="polite">
      <div>
        <h3 className="wf-step-title">{step.name ?? step.id}</h3>
        <div className="row">
          <code>{step.id}</code>
          <span className="badge" style={{ background: swatch.fill, color: swatch.text }}>{step.type}</span>
          {step.raw.retry ? <Badge tone="warning">retries</Badge> : null}
        </div>
      </div>
      <JsonView value={config} label="Configuration" />
    </div>
  );
}
