/**
 * A run's steps in definition order, each expandable to its input, output, error, attempts,
 * timing and AI cost. Steps the run has not reached are listed as such.
 */
import type { Schemas } from "../../../api/client";
import { Badge, StatusBadge } from "../../../components/Badge";
import { dateTime, duration, usd } from "../../../lib/format";
import type { StepSpec } from "../graph/steps";
import { JsonView } from "../JsonView";

type StepRun = Schemas["WorkflowStepRun"];
export type StepEntry = { key: string; stepId: string; spec: StepSpec | null; run: StepRun | null };

/** One entry per step run (every iteration), in definition order; unreached steps too. */
export function stepEntries(specs: StepSpec[], runs: StepRun[]): StepEntry[] {
  const out: StepEntry[] = [];
  const listed = new Set<string>();
  for (const spec of specs) {
    const mine = runs.filter((r) => r.stepId === spec.id).sort((a, b) => a.iteration - b.iteration);
    listed.add(spec.id);
    if (!mine.length) out.push({ key: spec.id, stepId: spec.id, spec, run: null });
    for (const r of mine) out.push({ key: `${r.stepId}#${r.iteration}`, stepId: r.stepId, spec, run: r });
  }
  for (const r of runs) if (!listed.has(r.stepId)) out.push({ key: `${r.stepId}#${r.iteration}`, stepId: r.stepId, spec: null, run: r });
  return out;
}

function stepDuration(r: StepRun): string {
  if (r.durationMs !== null) return duration(r.durationMs);
  return r.startedAt !== null && (r.status === "running" || r.status === "waiting") ? `${duration(Date.now() - r.startedAt)} so far` : "—";
}

function Timing({ r }: { r: StepRun }) {
  return (
    <dl className="wf-timing">
      <div><dt>Started</dt><dd>{dateTime(r.startedAt)}</dd></div>
      <div><dt>Finished</dt><dd>{dateTime(r.finishedAt)}</dd></div>
      <div><dt>Duration</dt><dd>{stepDuration(r)}</dd></div>
      <div><dt>Attempts</dt><dd>{r.attempts}</dd></div>
      <div><dt>AI cost</dt><dd>{usd(r.costNanoUsd)}</dd></div>
      {r.waitingFor ? <div><dt>Waiting for</dt><dd>{r.waitingFor}{r.wakeAt ? ` (until ${dateTime(r.wakeAt)})` : ""}</dd></div> : null}
    </dl>
  );
}

function Entry({ entry, anchor, open, onToggle }: { entry: StepEntry; anchor: boolean; open: boolean; onToggle: (open: boolean) => void }) {
  const r = entry.run;
  const type = r?.type || entry.spec?.type || "";
  return (
    <details id={anchor ? `step-${entry.stepId}` : undefined} className={`wf-step wf-step-${r?.status ?? "none"}`} open={open} onToggle={(e) => onToggle(e.currentTarget.open)}>
      <summary>
        {r ? <StatusBadge status={r.status} /> : <Badge>not reached</Badge>}
        <strong className="wf-step-id">{entry.stepId}</strong>
        <span className="muted small">{type}{r && r.iteration > 0 ? ` · iteration ${r.iteration}` : ""}</span>
        <span className="wf-step-meta small muted">
          {r && r.attempts > 1 ? <span>{r.attempts} attempts</span> : null}
          {r ? <span>{stepDuration(r)}</span> : null}
          {r && r.costNanoUsd > 0 ? <span>{usd(r.costNanoUsd)}</span> : null}
        </span>
      </summary>
      {r ? (
        <div className="wf-step-body stack">
          <Timing r={r} />
          {r.error ? <div className="banner banner-danger"><span><strong>{r.error.code}</strong>: {r.error.message}</span>{r.error.retryable ? <Badge tone="warning">retryable</Badge> : null}</div> : null}
          <div className="wf-io">
            <JsonView value={r.input} label="Input" />
            <JsonView value={r.output} label="Output" />
          </div>
        </div>
      ) : (
        <p className="muted small wf-step-body">The run has not reached this step.</p>
      )}
    </details>
  );
}

export function StepList({ entries, expanded, onToggle }: { entries: StepEntry[]; expanded: Set<string>; onToggle: (stepId: string, open: boolean) => void }) {
  // The first entry of a step is the one the graph scrolls to.
  const first = new Set(entries.filter((e, i) => entries.findIndex((x) => x.stepId === e.stepId) === i).map((e) => e.key));
  return (
    <div className="wf-steps">
      {entries.map((e) => (
        <Entry key={e.key} entry={e} anchor={first.has(e.key)} open={expanded.has(e.stepId)} onToggle={(open) => onToggle(e.stepId, open)} />
      ))}
    </div>
  );
}
