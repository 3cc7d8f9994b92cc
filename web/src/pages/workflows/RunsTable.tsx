/** Runs as a table: status, how it started, when, how long, what the AI cost; a row opens the run. */
import type { Schemas } from "../../api/client";
import { Link, navigate } from "../../app/router";
import { StatusBadge } from "../../components/Badge";
import { type Column, Table } from "../../components/Table";
import { dateTime, duration, relative, usd } from "../../lib/format";

type Run = Schemas["WorkflowRun"];

/** How long the run took, or has taken so far. */
export function runDuration(run: Run, now = Date.now()): string {
  if (run.startedAt === null) return "—";
  const end = run.finishedAt ?? (["complete", "errored", "terminated"].includes(run.status) ? run.updatedAt : now);
  return duration(Math.max(0, end - run.startedAt));
}

export function triggerText(trigger: Run["trigger"]): string {
  if (trigger.type === "event" && typeof trigger.eventType === "string") return `event ${trigger.eventType}`;
  if (trigger.type === "cron" && typeof trigger.schedule === "string") return `cron ${trigger.schedule}`;
  return trigger.type;
}

export function RunsTable({ runs, workflowNames, caption }: { runs: Run[]; workflowNames?: Map<string, string>; caption: string }) {
  const columns: Column<Run>[] = [
    { header: "Run", render: (r) => <Link to={`/runs/${r.id}`} onClick={(e) => e.stopPropagation()} aria-label={`Run ${r.id}, ${r.status}`}><code>{r.id}</code></Link> },
    ...(workflowNames ? [{ header: "Workflow", render: (r: Run) => workflowNames.get(r.workflowId) ?? r.workflowId }] : []),
    { header: "Status", render: (r) => <StatusBadge status={r.status} /> },
    { header: "Trigger", render: (r) => <span className="small">{triggerText(r.trigger)}{r.rerunOf ? " · rerun" : ""}</span> },
    { header: "Started", render: (r) => <span title={dateTime(r.startedAt ?? r.createdAt)}>{relative(r.startedAt ?? r.createdAt)}</span> },
    { header: "Duration", align: "right", render: (r) => runDuration(r) },
    { header: "AI cost", align: "right", render: (r) => usd(r.costNanoUsd) },
    { header: "Version", align: "right", render: (r) => `v${r.version}` },
  ];
  return <Table rows={runs} columns={columns} rowKey={(r) => r.id} caption={caption} onRowClick={(r) => navigate(`/runs/${r.id}`)} />;
}
