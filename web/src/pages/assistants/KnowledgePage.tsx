/**
 * Knowledge bases: the documents assistants answer from. Pick a base to upload documents
 * (with progress, then their indexing status), search it, and remove documents.
 */
import { useState } from "react";
import { api, unwrap } from "../../api/client";
import { useApi } from "../../api/use-api";
import { useMe } from "../../app/me";
import { navigate, useLocation } from "../../app/router";
import type { PageProps } from "../../app/routes";
import { Badge } from "../../components/Badge";
import { Button } from "../../components/Button";
import { Page, Panel } from "../../components/Page";
import { DataView, Empty } from "../../components/States";
import { type Column, Table } from "../../components/Table";
import { date } from "../../lib/format";
import { KnowledgeBasePanel } from "./KnowledgeBasePanel";
import { CreateKnowledgeBaseDialog } from "./KnowledgeBaseDialogs";
import type { KnowledgeBase } from "./types";

export default function KnowledgePage(_props: PageProps) {
  const { can } = useMe();
  const canWrite = can("workflows:write");
  const { search } = useLocation();
  const bases = useApi(() => unwrap(api.GET("/knowledge-bases")).then((r) => r.data), []);
  const [creating, setCreating] = useState(false);
  const chosen = search.get("kb");
  const selected = bases.data?.find((b) => b.id === chosen) ?? bases.data?.[0];
  const select = (id: string) => navigate(`/knowledge?kb=${encodeURIComponent(id)}`, { replace: true });

  const columns: Column<KnowledgeBase>[] = [
    { header: "Knowledge base", render: (b) => <div><strong>{b.name}</strong>{b.id === selected?.id ? <> <Badge tone="info">open</Badge></> : null}<div className="muted small">{b.description}</div></div> },
    { header: "Revision", align: "right", render: (b) => b.version },
    { header: "Created", render: (b) => date(b.createdAt) },
  ];

  return (
    <Page
      title="Knowledge bases"
      description="Documents your assistants answer from and cite. Each upload is chunked and embedded, and searchable as soon as it is ready."
      actions={canWrite ? <Button onClick={() => setCreating(true)}>New knowledge base</Button> : null}
    >
      <DataView state={bases} isEmpty={(rows) => rows.length === 0} empty={<Panel><Empty title="No knowledge bases yet">Create one, then upload your FAQs, service hours or inventory.</Empty></Panel>}>
        {(rows) => (
          <div className="kb-layout">
            <Panel title="Bases" className="kb-list">
              <Table rows={rows} columns={columns} rowKey={(b) => b.id} caption="Knowledge bases" onRowClick={(b) => select(b.id)} />
            </Panel>
            <div className="kb-main">{selected ? <KnowledgeBasePanel key={selected.id} kb={selected} canWrite={canWrite} onChanged={() => void bases.reload()} onDeleted={() => { navigate("/knowledge", { replace: true }); void bases.reload(); }} /> : null}</div>
          </div>
        )}
      </DataView>
      {creating ? (
        <CreateKnowledgeBaseDialog
          onClose={() => setCreating(false)}
          onCreated={(kb) => {
            setCreating(false);
            bases.setData((cur) => [kb, ...(cur ?? [])]);
            select(kb.id);
          }}
        />
      ) : null}
    </Page>
  );
}
