/** The tenant's chat assistants: model, knowledge, pipeline and lead threshold at a glance. */
import { useState } from "react";
import { api, unwrap } from "../../api/client";
import { useApi } from "../../api/use-api";
import { useMe } from "../../app/me";
import { Link, navigate } from "../../app/router";
import type { PageProps } from "../../app/routes";
import { Button } from "../../components/Button";
import { Page, Panel } from "../../components/Page";
import { DataView, Empty } from "../../components/States";
import { type Column, Table } from "../../components/Table";
import { date } from "../../lib/format";
import { AssistantDialog } from "./AssistantDialog";
import { PipelineDiagram } from "./PipelineDiagram";
import type { Assistant, KnowledgeBase } from "./types";

function columns(bases: KnowledgeBase[]): Column<Assistant>[] {
  const baseName = (id: string) => bases.find((b) => b.id === id)?.name ?? id;
  return [
    {
      header: "Assistant",
      render: (a) => (
        <div>
          <Link to={`/assistants/${a.id}`} onClick={(e) => e.stopPropagation()}>{a.name}</Link>
          {a.department ? <div className="muted small">{a.department}</div> : null}
        </div>
      ),
    },
    { header: "Model", render: (a) => <code className="small">{a.model}</code> },
    { header: "Knowledge", render: (a) => (a.knowledgeBaseIds.length ? <span className="small">{a.knowledgeBaseIds.map(baseName).join(", ")}</span> : <span className="muted">—</span>) },
    { header: "Pipeline", render: (a) => <PipelineDiagram steps={a.pipeline} compact /> },
    { header: "Lead at", align: "right", render: (a) => a.leadThreshold },
    { header: "Created", render: (a) => date(a.createdAt) },
  ];
}

export default function AssistantsPage(_props: PageProps) {
  const { can } = useMe();
  const assistants = useApi(() => unwrap(api.GET("/assistants")).then((r) => r.data), []);
  const bases = useApi(() => unwrap(api.GET("/knowledge-bases")).then((r) => r.data), []);
  const [creating, setCreating] = useState(false);

  return (
    <Page
      title="Assistants"
      description="Chat assistants answer visitors on your website and through the API, cite your knowledge bases, and turn promising conversations into leads."
      actions={can("workflows:write") ? <Button onClick={() => setCreating(true)}>New assistant</Button> : null}
    >
      <Panel>
        <DataView state={assistants} isEmpty={(rows) => rows.length === 0} empty={<Empty title="No assistants yet">Create one, give it a knowledge base, and try it before putting it on your website.</Empty>}>
          {(rows) => <Table rows={rows} columns={columns(bases.data ?? [])} rowKey={(a) => a.id} caption="Assistants" onRowClick={(a) => navigate(`/assistants/${a.id}`)} />}
        </DataView>
      </Panel>
      {creating ? (
        <AssistantDialog
          title="New assistant"
          submitLabel="Create assistant"
          onClose={() => setCreating(false)}
          onSave={async (body) => {
            const created = await unwrap(api.POST("/assistants", { body }));
            setCreating(false);
            assistants.setData((cur) => [created, ...(cur ?? [])]);
            return `Assistant ${created.name} created`;
          }}
        />
      ) : null}
    </Page>
  );
}
