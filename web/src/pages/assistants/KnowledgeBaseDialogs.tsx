/** Creating a knowledge base, and confirming the deletion of one with all its documents. */
import { useId, useState } from "react";
import { api, unwrap } from "../../api/client";
import { Button } from "../../components/Button";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { Dialog } from "../../components/Dialog";
import { TextArea, TextField } from "../../components/Field";
import { FormError, useSubmit } from "../../components/useSubmit";
import type { KnowledgeBase, KnowledgeBaseBody } from "./types";

export function CreateKnowledgeBaseDialog({ onClose, onCreated }: { onClose: () => void; onCreated: (kb: KnowledgeBase) => void }) {
  const formId = useId();
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [embeddingModel, setEmbeddingModel] = useState("");
  const [dimensions, setDimensions] = useState("");

  const form = useSubmit(async () => {
    const body: KnowledgeBaseBody = {
      name: name.trim(),
      ...(description.trim() ? { description: description.trim() } : {}),
      ...(embeddingModel.trim() ? { embeddingModel: embeddingModel.trim() } : {}),
      ...(dimensions.trim() ? { dimensions: Number(dimensions) } : {}),
    };
    const kb = await unwrap(api.POST("/knowledge-bases", { body }));
    onCreated(kb);
    return `Knowledge base ${kb.name} created`;
  }, ["name", "description", "embeddingModel", "dimensions"]);

  return (
    <Dialog
      open
      title="New knowledge base"
      onClose={onClose}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>Cancel</Button>
          <Button type="submit" form={formId} busy={form.busy}>Create knowledge base</Button>
        </>
      }
    >
      <form id={formId} onSubmit={form.onSubmit}>
        <TextField label="Name" value={name} onChange={(e) => setName(e.target.value)} required autoFocus error={form.errors.name} placeholder="Service department FAQ" />
        <TextArea label="Description" value={description} rows={2} onChange={(e) => setDescription(e.target.value)} error={form.errors.description} />
        <div className="grid grid-tight">
          <TextField label="Embedding model" value={embeddingModel} onChange={(e) => setEmbeddingModel(e.target.value)} placeholder="text-embedding-3-small" error={form.errors.embeddingModel} hint="Leave empty for the default." />
          <TextField label="Dimensions" type="number" min={64} max={3072} value={dimensions} onChange={(e) => setDimensions(e.target.value)} placeholder="512" error={form.errors.dimensions} />
        </div>
        <FormError form={form} />
      </form>
    </Dialog>
  );
}

export function DeleteKnowledgeBaseDialog({ kb, onClose, onDeleted }: { kb: KnowledgeBase; onClose: () => void; onDeleted: () => void }) {
  return (
    <ConfirmDialog
      title={`Delete ${kb.name}?`}
      confirmLabel="Delete knowledge base"
      onClose={onClose}
      onConfirm={async () => {
        await unwrap(api.DELETE("/knowledge-bases/{id}", { params: { path: { id: kb.id } } }));
        onDeleted();
        return `Knowledge base ${kb.name} deleted`;
      }}
    >
      Every document in it is deleted, and assistants using it stop finding its passages.
    </ConfirmDialog>
  );
}
