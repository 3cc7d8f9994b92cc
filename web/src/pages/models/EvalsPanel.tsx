/**
 * Eval results: each batch ran the same examples against a candidate and the champion of
 * the moment, so their mean quality scores compare directly.
 */
import type { ReactNode } from "react";
import { Badge, StatusBadge } from "../../components/Badge";
import { BarChart } from "../../components/Charts";
import { Panel } from "../../components/Page";
import { DataView, Empty } from "../../components/States";
import type { ApiState } from "../../api/use-api";
import { dateTime, num, usd } from "../../lib/format";
import { versionLabel } from "./labels";
import type { EvalRun, ModelDetail } from "./types";

type Batch = { batchId: string; createdAt: number; runs: EvalRun[] };

function batches(runs: EvalRun[]): Batch[] {
  const out = new Map<string, Batch>();
  for (const r of runs) {
    const b = out.get(r.batchId) ?? { batchId: r.batchId, createdAt: r.createdAt, runs: [] };
    b.runs.push(r);
    b.createdAt = Math.max(b.createdAt, r.createdAt);
    out.set(r.batchId, b);
  }
  return [...out.values()].sort((a, b) => b.createdAt - a.createdAt);
}

function AliasBadge({ model, versionId }: { model: ModelDetail; versionId: string }) {
  if (model.aliases.champion === versionId) return <Badge tone="success">champion</Badge>;
  if (model.aliases.challenger === versionId) return <Badge tone="info">challenger</Badge>;
  return null;
}

function RunRow({ model, run }: { model: ModelDetail; run: EvalRun }) {
  return (
    <details className="eval-run">
      <summary>
        <strong>{versionLabel(model.versions, run.versionId)}</strong> <AliasBadge model={model} versionId={run.versionId} />{" "}
        <span className="eval-score">{num(run.meanScore, 1)}</span> <span className="muted small">mean score · {run.exampleCount} examples · {usd(run.costNanoUsd)}</span>{" "}
        <StatusBadge status={run.status === "completed" ? "complete" : "failed"} />
      </summary>
      <div className="table-wrap">
        <table className="table">
          <thead>
            <tr><th scope="col">#</th><th scope="col" className="num">Score</th><th scope="col" className="num">Quality</th><th scope="col" className="num">Overlap</th><th scope="col">Answer</th></tr>
          </thead>
          <tbody>
            {run.scores.map((s) => (
              <tr key={s.index}>
                <td>{s.index + 1}</td>
                <td className="num">{num(s.score, 1)}</td>
                <td className="num">{num(s.quality, 1)}</td>
                <td className="num">{s.overlap === null ? "—" : num(s.overlap, 1)}</td>
                <td className="small">{s.error ? <span className="field-error">{s.error}</span> : s.text}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}

export function EvalsPanel({ model, evals, actions }: { model: ModelDetail; evals: ApiState<EvalRun[]>; actions?: ReactNode }) {
  return (
    <Panel title="Evals" actions={actions}>
      <DataView state={evals} isEmpty={(runs) => runs.length === 0} empty={<Empty title="No evals yet">Run an eval to score a version against the champion before promoting it.</Empty>}>
        {(runs) => {
          const all = batches(runs);
          const latest = all[0];
          return (
            <div className="stack">
              {latest ? (
                <BarChart
                  label="Mean quality score of the latest eval"
                  format={(v) => num(v, 1)}
                  bars={latest.runs.map((r) => ({ label: `${versionLabel(model.versions, r.versionId)}${model.aliases.champion === r.versionId ? " (champion)" : model.aliases.challenger === r.versionId ? " (challenger)" : ""}`, value: r.meanScore }))}
                />
              ) : null}
              {all.map((b) => (
                <section key={b.batchId} className="eval-batch" aria-label={`Eval ${dateTime(b.createdAt)}`}>
                  <h3 className="small muted">{dateTime(b.createdAt)} · <code>{b.batchId}</code></h3>
                  {b.runs.map((r) => <RunRow key={r.id} model={model} run={r} />)}
                </section>
              ))}
            </div>
          );
        }}
      </DataView>
    </Panel>
  );
}
