/** A knowledge base's documents: kind, indexing status, chunk count; delete with confirmation. */
import { useState } from "react";
import { api, unwrap } from "../../api/client";
import { Badge, StatusBadge } from "../../components/Badge";
import { Button } from "../../components/Button";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { type Column, Table } from "../../components/Table";
import { bytes, dateTime, num } from "../../lib/format";
import type { KnowledgeDocument } from "./types";

const KIND_LABEL: Record<KnowledgeDocument["kind"], string> = { text: "text", markdown: "Markdown", csv: "CSV", pdf_text: "PDF text" };

export function DocumentsTable({ docs, canWrite, onDeleted }: { docs: KnowledgeDocument[]; canWrite: boolean; onDeleted: (d: KnowledgeDocument) => void }) {
  const [deleting, setDeleting] = useState<KnowledgeDocument | null>(null);
  const columns: Column<KnowledgeDocument>[] = [
    { header: "Document", render: (d) => <div><strong>{d.name}</strong><div className="muted small"><code>{d.id}</code></div></div> },
    { header: "Kind", render: (d) => <Badge>{KIND_LABEL[d.kind]}</Badge> },
    { header: "Status", render: (d) => <div><StatusBadge status={d.status} />{d.error ? <div className="field-error small">{d.error}</div> : null}</div> },
    { header: "Chunks", align: "right", render: (d) => num(d.chunkCount) },
    { header: "Size", align: "right", className: "nowrap", render: (d) => bytes(d.bytes) },
    { header: "Added", render: (d) => dateTime(d.createdAt) },
    {
      header: <span className="sr-only">Actions</span>,
      render: (d) => (canWrite ? <Button variant="ghost" onClick={() => setDeleting(d)} aria-label={`Delete ${d.name}`}>Delete</Button> : null),
    },
  ];
  return (
    <>
      <Table rows={docs} columns={columns} rowKey={(d) => d.id} caption="Documents" />
      {deleting ? (
        <ConfirmDialog
          title="Delete this document?"
          confirmLabel="Delete document"
          onClose={() => setDeleting(null)}
          onConfirm={async () => {
            await unwrap(api.DELETE("/knowledge-bases/{id}/documents/{documentId}", { params: { path: { id: deleting.knowledgeBaseId, documentId: deleting.id } } }));
            onDeleted(deleting);
            return `${deleting.name} deleted`;
          }}
        >
          <strong>{deleting.name}</strong> and its {deleting.chunkCount} chunks leave search at once; assistants stop citing it.
        </ConfirmDialog>
      ) : null}
    </>
  );
}
