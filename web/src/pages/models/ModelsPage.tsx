/** The model registry: every fine-tuned model with its champion, challenger and canary share. */
import { useState } from "react";
import { api, unwrap } from "../../api/client";
import { useApi } from "../../api/use-api";
import { useMe } from "../../app/me";
import { Link, navigate } from "../../app/router";
import type { PageProps } from "../../app/routes";
import { Badge } from "../../components/Badge";
import { Button } from "../../components/Button";
import { Page, Panel } from "../../components/Page";
import { DataView, Empty } from "../../components/States";
import { type Column, Table } from "../../components/Table";
import { date } from "../../lib/format";
import { CreateModelDialog } from "./CreateModelDialog";
import type { Model, ModelVersion } from "./types";

type Row = Model & { versions: ModelVersion[] };

/** Models with the versions their aliases point at (only those with an alias need the lookup). */
async function loadModels(): Promise<Row[]> {
  const { data } = await unwrap(api.GET("/models"));
  return Promise.all(
    data.map(async (m) => {
      if (!m.aliases.champion && !m.aliases.challenger) return { ...m, versions: [] };
      const v = await unwrap(api.GET("/models/{id}/versions", { params: { path: { id: m.id } } }));
      return { ...m, versions: v.data };
    }),
  );
}

function aliasCell(row: Row, id: string | null) {
  if (!id) return <span className="muted">—</span>;
  const v = row.versions.find((x) => x.id === id);
  return v ? <code>v{v.version}</code> : <code className="small">{id}</code>;
}

const columns: Column<Row>[] = [
  {
    header: "Model",
    render: (m) => (
      <div>
        <Link to={`/models/${m.id}`} onClick={(e) => e.stopPropagation()}>{m.name}</Link>
        <div className="muted small"><code>ft:{m.key}</code></div>
      </div>
    ),
  },
  { header: "Champion", render: (m) => aliasCell(m, m.aliases.champion) },
  {
    header: "Challenger",
    render: (m) =>
      m.aliases.challenger ? (
        <span className="row">{aliasCell(m, m.aliases.challenger)}<Badge tone={m.canaryPercent > 0 ? "info" : "neutral"}>canary {m.canaryPercent} %</Badge></span>
      ) : (
        <span className="muted">—</span>
      ),
  },
  { header: "Base model", render: (m) => <code className="small">{m.baseModel}</code> },
  { header: "Created", render: (m) => date(m.createdAt) },
];

export default function ModelsPage(_props: PageProps) {
  const { can } = useMe();
  const models = useApi(loadModels, []);
  const [creating, setCreating] = useState(false);
  const canWrite = can("models:write");

  return (
    <Page
      title="Models"
      description={<>Fine-tuned models your assistants and workflows call as <code>ft:&lt;key&gt;</code>. The champion answers by default; a challenger can take a canary share.</>}
      actions={canWrite ? <Button onClick={() => setCreating(true)}>New model</Button> : null}
    >
      <Panel>
        <DataView
          state={models}
          isEmpty={(rows) => rows.length === 0}
          empty={
            <Empty title="No models yet">
              A training job registers its model here when it finishes, or create one to register versions trained elsewhere.
            </Empty>
          }
        >
          {(rows) => <Table rows={rows} columns={columns} rowKey={(m) => m.id} caption="Models" onRowClick={(m) => navigate(`/models/${m.id}`)} />}
        </DataView>
      </Panel>
      <CreateModelDialog
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={() => {
          setCreating(false);
          void models.reload();
        }}
      />
    </Page>
  );
}
