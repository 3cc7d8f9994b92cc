/** Training jobs with their status, progress, cost and ETA as the provider last reported them. */
import { Link } from "../../app/router";
import { StatusBadge } from "../../components/Badge";
import { Button } from "../../components/Button";
import { ProgressBar } from "../../components/ProgressBar";
import { type Column, Table } from "../../components/Table";
import { duration, num, relative, usd } from "../../lib/format";
import { isActive } from "./job-status";
import type { TrainingJob } from "./types";

function eta(job: TrainingJob): string {
  if (isActive(job.status)) return job.etaSeconds === null ? "—" : duration(job.etaSeconds * 1000);
  return job.finishedAt ? `finished ${relative(job.finishedAt)}` : "—";
}

export function JobsTable({ jobs, canWrite, onCancel }: { jobs: TrainingJob[]; canWrite: boolean; onCancel: (job: TrainingJob) => void }) {
  const columns: Column<TrainingJob>[] = [
    {
      header: "Job",
      render: (j) => (
        <div>
          <strong>{j.modelKey}</strong> <span className="muted small">on</span> <code className="small">{j.baseModel}</code>
          <div className="muted small"><code>{j.id}</code> · {j.provider}</div>
        </div>
      ),
    },
    {
      header: "Status",
      render: (j) => (
        <div>
          <StatusBadge status={j.status} />
          {j.error ? <div className={j.status === "cancelled" ? "muted small" : "field-error small"}>{j.error.message}</div> : null}
          {j.status === "registered" && j.modelId ? <div className="small"><Link to={`/models/${j.modelId}`}>{j.modelKey} v{j.modelVersion}</Link></div> : null}
        </div>
      ),
    },
    {
      header: "Progress",
      className: "cell-progress",
      render: (j) => <ProgressBar compact label={`Progress of ${j.id}`} value={j.progress} detail={`${Math.round(j.progress * 100)} % · ${num(j.trainedTokens)} tokens`} />,
    },
    { header: "Cost", align: "right", render: (j) => usd(j.costNanoUsd) },
    { header: "ETA", render: (j) => eta(j) },
    { header: "Started", render: (j) => relative(j.createdAt) },
    {
      header: <span className="sr-only">Actions</span>,
      render: (j) => (canWrite && isActive(j.status) ? <Button variant="secondary" onClick={() => onCancel(j)} aria-label={`Cancel job ${j.id}`}>Cancel</Button> : null),
    },
  ];
  return <Table rows={jobs} columns={columns} rowKey={(j) => j.id} caption="Training jobs" />;
}
