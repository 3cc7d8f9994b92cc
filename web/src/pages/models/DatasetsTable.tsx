/** The tenant's datasets: size, examples, hash and what training them would cost. */
import { Badge } from "../../components/Badge";
import { type Column, Table } from "../../components/Table";
import { bytes, date, num, usd } from "../../lib/format";
import { shortHash } from "./labels";
import type { Dataset } from "./types";

const columns: Column<Dataset>[] = [
  { header: "Dataset", render: (d) => <div><strong>{d.name}</strong> {d.scrubbed ? <Badge tone="info">scrubbed · {d.redactions}</Badge> : null}<div className="muted small"><code>{d.id}</code></div></div> },
  { header: "Examples", align: "right", render: (d) => num(d.examples) },
  { header: "Tokens", align: "right", render: (d) => num(d.tokens) },
  { header: "Size", align: "right", className: "nowrap", render: (d) => bytes(d.bytes) },
  { header: "sha256", render: (d) => <code className="small" title={d.sha256}>{shortHash(d.sha256)}</code> },
  { header: "3 epochs cost", render: (d) => <span className="small">{d.estimates.map((e) => `${e.provider} ${usd(e.costNanoUsd)}`).join(" · ") || "—"}</span> },
  { header: "Added", render: (d) => date(d.createdAt) },
];

export function DatasetsTable({ datasets }: { datasets: Dataset[] }) {
  return <Table rows={datasets} columns={columns} rowKey={(d) => d.id} caption="Datasets" />;
}
