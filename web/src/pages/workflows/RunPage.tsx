/**
 * One run, live: its status, the workflow's graph with each step coloured by how it went,
 * and every step's input, output, error, attempts, timing and AI cost. Updates arrive over
 * the live socket while the page is open; cancel, pause, resume and rerun act on it.
 */
import { useMemo, useState } from "react";
import { api, type Schemas, unwrap } from "../../api/client";
import { useApi } from "../../api/use-api";
import { useMe } from "../../app/me";
import { Link } from "../../app/router";
import type { PageProps } from "../../app/routes";
import { Badge, StatusBadge } from "../../components/Badge";
import { Page, Panel, Stats } from "../../components/Page";
import { DataView } from "../../components/States";
import { dateTime, usd } from "../../lib/format";
import type { NodeStatus } from "./graph/colors";
import { flattenSteps, stepsOf } from "./graph/steps";
import { WorkflowGraph } from "./graph/WorkflowGraph";
import { JsonView } from "./JsonView";
import { RunActions } from "./run/RunActions";
import { RunApproval } from "./run/RunApproval";
import { StepList, stepEntries } from "./run/StepList";
import { type RunDetail, useLiveRun } from "./run/use-live-run";
import { runDuration, triggerText } from "./RunsTable";

/** The status of each step's latest iteration. */
function statusesOf(run: RunDetail): Record<string, NodeStatus> {
  const latest = new Map<string, RunDetail["steps"][number]>();
  for (const s of run.steps) if ((latest.get(s.stepId)?.iteration ?? -1) <= s.iteration) latest.set(s.stepId, s);
  return Object.fromEntries([...latest].map(([id, s]) => [id, s.status]));
}

function RunView({ run, workflow, onChanged }: { run: RunDetail; workflow: Schemas["Workflow"] | null; onChanged: () => void }) {
  const { can } = useMe();
  const version = useApi(() => unwrap(api.GET("/workflows/{id}/versions/{version}", { params: { path: { id: run.workflowId, version: run.version } } })), [run.workflowId, run.version]);
  const definition = version.data?.definition;
  const specs = useMemo(() => flattenSteps(stepsOf(definition)), [definition]);
  const [expanded, setExpanded] = useState<Set<string>>(new Set());
  const entries = stepEntries(specs, run.steps);

  const toggle = (stepId: string, open: boolean) =>
    setExpanded((cur) => {
      if (cur.has(stepId) === open) return cur;
      const next = new Set(cur);
      if (open) next.add(stepId);
      else next.delete(stepId);
      return next;
    });
  const select = (stepId: string) => {
    toggle(stepId, true);
    requestAnimationFrame(() => document.getElementById(`step-${stepId}`)?.scrollIntoView({ behavior: "smooth", block: "nearest" }));
  };

  return (
    <>
      {run.error ? (
        <div className="banner banner-danger" role="alert">
          <span>Failed{run.error.stepId ? <> at step <strong>{run.error.stepId}</strong></> : null}: {run.error.message} <code className="small">{run.error.code}</code></span>
        </div>
      ) : null}
      <RunApproval run={run} workflow={workflow} canDecide={can("workflows:approve")} onDecided={onChanged} />
      <div className="wf-graph-layout">
        <Panel title="Progress" className="wf-graph-panel">
          <DataView state={version}>{(v) => <WorkflowGraph definition={v.definition} statuses={statusesOf(run)} selected={null} onSelect={select} label={`Steps of run ${run.id}`} />}</DataView>
        </Panel>
        <Panel title={`Steps · ${new Set(run.steps.map((x) => x.stepId)).size} of ${specs.length || "?"} reached`} className="wf-side-panel wf-steps-panel" actions={<button type="button" className="btn btn-ghost small" onClick={() => setExpanded(new Set(expanded.size ? [] : entries.map((e) => e.stepId)))}>{expanded.size ? "Collapse all" : "Expand all"}</button>}>
          <StepList entries={entries} expanded={expanded} onToggle={toggle} />
        </Panel>
      </div>
      <div className="grid">
        <Panel title="Input"><JsonView value={run.input} /></Panel>
        <Panel title="Output"><JsonView value={run.output} /></Panel>
      </div>
      <p className="muted small">Trigger: {triggerText(run.trigger)}{run.parentRunId ? <> · started by run <Link to={`/runs/${run.parentRunId}`}>{run.parentRunId}</Link></> : null}{run.rerunOf ? <> · rerun of <Link to={`/runs/${run.rerunOf}`}>{run.rerunOf}</Link></> : null}{run.concurrencyKey ? ` · concurrency key ${run.concurrencyKey}` : ""} · <button type="button" className="btn btn-ghost small" onClick={onChanged}>Refresh</button></p>
    </>
  );
}

export default function RunPage({ params }: PageProps) {
  const id = params.id ?? "";
  const { can } = useMe();
  const { run, live } = useLiveRun(id);
  const workflowId = run.data?.workflowId;
  const workflow = useApi(() => (workflowId ? unwrap(api.GET("/workflows/{id}", { params: { path: { id: workflowId } } })) : Promise.resolve(null)), [workflowId]);
  const r = run.data;
  const name = workflow.data?.name;

  return (
    <Page
      title={name ? `Run of ${name}` : "Run"}
      description={
        <>
          <code>{id}</code>
          {workflowId ? <> · <Link to={`/workflows/${workflowId}`}>{name ?? "the workflow"}</Link> v{r?.version}</> : null}
          {" · "}
          {live === "open" ? <Badge tone="success">live</Badge> : <Badge tone="warning">{live === "connecting" ? "connecting…" : "reconnecting…"}</Badge>}
        </>
      }
      actions={r && can("workflows:write") ? <RunActions run={r} onChanged={() => void run.reload()} /> : null}
    >
      <DataView state={run}>
        {(detail) => (
          <>
            <Stats
              items={[
                { label: "Status", value: <span role="status" aria-label="Run status"><StatusBadge status={detail.status} /></span> },
                { label: "Started", value: <span className="wf-stat-small">{dateTime(detail.startedAt ?? detail.createdAt)}</span> },
                { label: "Duration", value: runDuration(detail) },
                { label: "AI cost", value: usd(detail.costNanoUsd) },
                { label: "Steps done", value: `${detail.steps.filter((s) => s.status === "succeeded" || s.status === "skipped").length}` },
              ]}
            />
            <RunView run={detail} workflow={workflow.data ?? null} onChanged={() => void run.reload()} />
          </>
        )}
      </DataView>
    </Page>
  );
}
