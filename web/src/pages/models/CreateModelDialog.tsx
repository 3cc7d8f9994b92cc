/** Creating a registry model by hand: its key (called as ft:<key>) and base model. */
import { useId, useState } from "react";
import { api, unwrap } from "../../api/client";
import { Button } from "../../components/Button";
import { Dialog } from "../../components/Dialog";
import { TextArea, TextField } from "../../components/Field";
import { FormError, useSubmit } from "../../components/useSubmit";
import type { Model } from "./types";

export function CreateModelDialog({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (m: Model) => void }) {
  const formId = useId();
  const [key, setKey] = useState("");
  const [name, setName] = useState("");
  const [baseModel, setBaseModel] = useState("");
  const [description, setDescription] = useState("");

  const form = useSubmit(async () => {
    const body = { key: key.trim(), baseModel: baseModel.trim(), ...(name.trim() ? { name: name.trim() } : {}), ...(description.trim() ? { description: description.trim() } : {}) };
    const created = await unwrap(api.POST("/models", { body }));
    setKey("");
    setName("");
    setBaseModel("");
    setDescription("");
    onCreated(created);
    return `Model ${created.key} created`;
  }, ["key", "name", "baseModel", "description"]);

  return (
    <Dialog
      open={open}
      title="New model"
      onClose={onClose}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>Cancel</Button>
          <Button type="submit" form={formId} busy={form.busy}>Create model</Button>
        </>
      }
    >
      <form id={formId} onSubmit={form.onSubmit} noValidate>
        <TextField label="Key" value={key} onChange={(e) => setKey(e.target.value)} required autoFocus error={form.errors.key}
          hint={<>Lower-case letters, digits, <code>.</code>, <code>_</code> or <code>-</code>. Callers use it as <code>ft:{key || "<key>"}</code>.</>} />
        <TextField label="Name" value={name} onChange={(e) => setName(e.target.value)} error={form.errors.name} hint="Shown in the dashboard; defaults to the key." />
        <TextField label="Base model" value={baseModel} onChange={(e) => setBaseModel(e.target.value)} required error={form.errors.baseModel} placeholder="llama-3.1-8b-instruct" />
        <TextArea label="Description" value={description} onChange={(e) => setDescription(e.target.value)} rows={3} error={form.errors.description} />
        <FormError form={form} />
      </form>
    </Dialog>
  );
}
