/** One knowledge base: upload documents, see them indexed, search them. */
import { useState } from "react";
import { api, unwrap } from "../../api/client";
import { useApi } from "../../api/use-api";
import { Button } from "../../components/Button";
import { Panel } from "../../components/Page";
import { DataView, Empty } from "../../components/States";
import { DocumentsTable } from "./DocumentsTable";
import { DocumentUpload } from "./DocumentUpload";
import { DeleteKnowledgeBaseDialog } from "./KnowledgeBaseDialogs";
import { SearchPanel } from "./SearchPanel";
import type { KnowledgeBase } from "./types";

export function KnowledgeBasePanel({ kb, canWrite, onChanged, onDeleted }: { kb: KnowledgeBase; canWrite: boolean; onChanged: () => void; onDeleted: () => void }) {
  const docs = useApi(() => unwrap(api.GET("/knowledge-bases/{id}/documents", { params: { path: { id: kb.id } } })).then((r) => r.data), [kb.id]);
  const [deleting, setDeleting] = useState(false);
  return (
    <>
      <Panel
        title={<>Documents in {kb.name}</>}
        actions={canWrite ? <Button variant="ghost" onClick={() => setDeleting(true)}>Delete knowledge base</Button> : null}
      >
        <p className="muted small">
          {kb.description ? <>{kb.description} · </> : null}Embedded with <code>{kb.embeddingModel}</code> ({kb.dimensions} dimensions) through the gateway.
        </p>
        {canWrite ? <DocumentUpload knowledgeBaseId={kb.id} onUploaded={(d) => {
          docs.setData((cur) => [d, ...(cur ?? []).filter((x) => x.id !== d.id)]);
          onChanged();
        }} /> : null}
        <DataView state={docs} isEmpty={(rows) => rows.length === 0} empty={<Empty title="No documents yet">Upload price lists, service hours, FAQs or inventory exports.</Empty>}>
          {(rows) => <DocumentsTable docs={rows} canWrite={canWrite} onDeleted={(d) => {
            docs.setData((cur) => cur?.filter((x) => x.id !== d.id));
            onChanged();
          }} />}
        </DataView>
      </Panel>
      <Panel title="Search">
        <SearchPanel key={kb.id} knowledgeBaseId={kb.id} />
      </Panel>
      {deleting ? <DeleteKnowledgeBaseDialog kb={kb} onClose={() => setDeleting(false)} onDeleted={onDeleted} /> : null}
    </>
  );
}
