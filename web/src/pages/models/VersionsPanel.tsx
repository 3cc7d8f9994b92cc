/** A model's versions with their lineage: where each came from and how it was trained. */
import { Link } from "../../app/router";
import { Badge, StatusBadge } from "../../components/Badge";
import { Button } from "../../components/Button";
import { Panel } from "../../components/Page";
import { Empty } from "../../components/States";
import { type Column, Table } from "../../components/Table";
import { dateTime } from "../../lib/format";
import { keyValues, shortHash } from "./labels";
import type { ModelDetail, ModelVersion } from "./types";

function Lineage({ v }: { v: ModelVersion }) {
  const l = v.lineage;
  return (
    <dl className="lineage small">
      <dt>Base</dt><dd><code>{l.baseModel}</code></dd>
      <dt>Dataset</dt><dd>{l.datasetId ? <><code>{l.datasetId}</code> <span className="muted" title={l.datasetSha256 ?? undefined}>sha256 {shortHash(l.datasetSha256)}</span></> : "—"}</dd>
      <dt>Job</dt><dd>{l.jobId ? <Link to="/training">{l.jobId}</Link> : "—"}</dd>
      <dt>Provider</dt><dd>{l.provider}{l.providerJobId ? <span className="muted"> · {l.providerJobId}</span> : null}</dd>
    </dl>
  );
}

export function VersionsPanel({ model, canWrite, onPromote }: { model: ModelDetail; canWrite: boolean; onPromote: (v: ModelVersion) => void }) {
  const columns: Column<ModelVersion>[] = [
    {
      header: "Version",
      render: (v) => (
        <div>
          <strong>v{v.version}</strong>{" "}
          {model.aliases.champion === v.id ? <Badge tone="success">champion</Badge> : null}{" "}
          {model.aliases.challenger === v.id ? <Badge tone="info">challenger</Badge> : null}
          <div className="muted small"><code>{v.name}</code></div>
        </div>
      ),
    },
    { header: "Status", render: (v) => <StatusBadge status={v.status} /> },
    { header: "Lineage", className: "cell-lineage", render: (v) => <Lineage v={v} /> },
    { header: "Hyperparameters", render: (v) => <span className="small">{keyValues(v.lineage.hyperparameters)}</span> },
    { header: "Metrics", render: (v) => <span className="small">{keyValues(v.metrics)}</span> },
    { header: "Serving", render: (v) => <span className="small"><code>{v.servingEndpoint.model}</code><div className="muted">{v.servingEndpoint.baseUrl}</div></span> },
    { header: "Registered", render: (v) => dateTime(v.createdAt) },
    {
      header: <span className="sr-only">Actions</span>,
      render: (v) =>
        canWrite && v.status === "active" ? (
          <Button variant="secondary" onClick={() => onPromote(v)} aria-label={`Promote v${v.version}`}>Promote…</Button>
        ) : null,
    },
  ];
  return (
    <Panel title="Versions">
      {model.versions.length === 0 ? (
        <Empty title="No versions yet">A training job into <code>{model.key}</code> registers one when it finishes.</Empty>
      ) : (
        <Table rows={model.versions} columns={columns} rowKey={(v) => v.id} caption="Versions" />
      )}
    </Panel>
  );
}
