/**
 * Starting a fine-tuning job: a dataset, a base model, a provider and hyperparameters, and
 * the registry model the trained version is registered into.
 */
import { useId, useState } from "react";
import { api, unwrap } from "../../api/client";
import { Button } from "../../components/Button";
import { Dialog } from "../../components/Dialog";
import { SelectField, TextField } from "../../components/Field";
import { FormError, useSubmit } from "../../components/useSubmit";
import { num, usd } from "../../lib/format";
import type { CreateJobBody, Dataset, Model, TrainingJob, TrainingProvider } from "./types";

const PROVIDERS: { value: TrainingProvider; label: string }[] = [
  { value: "generic", label: "GPU host (Auterity training protocol)" },
  { value: "openai", label: "OpenAI fine-tuning" },
];

function isProvider(v: string): v is TrainingProvider {
  return PROVIDERS.some((p) => p.value === v);
}

const optionalNumber = (s: string) => (s.trim() === "" ? undefined : Number(s));

export function CreateJobDialog({ datasets, models, open, onClose, onCreated }: { datasets: Dataset[]; models: Model[]; open: boolean; onClose: () => void; onCreated: (job: TrainingJob) => void }) {
  const formId = useId();
  const listId = useId();
  const [datasetId, setDatasetId] = useState(datasets[0]?.id ?? "");
  const [baseModel, setBaseModel] = useState("llama-3.1-8b-instruct");
  const [provider, setProvider] = useState<TrainingProvider>("generic");
  const [epochs, setEpochs] = useState("3");
  const [lr, setLr] = useState("");
  const [batchSize, setBatchSize] = useState("");
  const [modelKey, setModelKey] = useState(models[0]?.key ?? "");
  const [suffix, setSuffix] = useState("");
  const dataset = datasets.find((d) => d.id === datasetId);
  const estimate = dataset?.estimates.find((e) => e.provider === provider);
  const epochCount = Number(epochs) || 0;

  const form = useSubmit(async () => {
    const body: CreateJobBody = {
      datasetId,
      baseModel: baseModel.trim(),
      provider,
      modelKey: modelKey.trim(),
      hyperparameters: { epochs: Number(epochs), ...(optionalNumber(lr) !== undefined ? { learningRateMultiplier: optionalNumber(lr) } : {}), ...(optionalNumber(batchSize) !== undefined ? { batchSize: optionalNumber(batchSize) } : {}) },
      ...(suffix.trim() ? { suffix: suffix.trim() } : {}),
    };
    const job = await unwrap(api.POST("/training-jobs", { body }));
    onCreated(job);
    return `Training job started (${job.status})`;
  }, ["datasetId", "baseModel", "provider", "hyperparameters.epochs", "hyperparameters.learningRateMultiplier", "hyperparameters.batchSize", "modelKey", "suffix"]);

  return (
    <Dialog
      open={open}
      title="New training job"
      onClose={onClose}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>Cancel</Button>
          <Button type="submit" form={formId} busy={form.busy} disabled={!datasetId}>Start training</Button>
        </>
      }
    >
      <form id={formId} onSubmit={form.onSubmit}>
        <SelectField label="Dataset" value={datasetId} onChange={(e) => setDatasetId(e.target.value)} error={form.errors.datasetId}
          options={datasets.map((d) => ({ value: d.id, label: `${d.name} (${num(d.examples)} examples)` }))} />
        <TextField label="Base model" value={baseModel} onChange={(e) => setBaseModel(e.target.value)} required error={form.errors.baseModel} />
        <SelectField label="Provider" value={provider} onChange={(e) => isProvider(e.target.value) && setProvider(e.target.value)} error={form.errors.provider} options={PROVIDERS} />
        <div className="grid grid-tight">
          <TextField label="Epochs" type="number" min={1} max={50} value={epochs} onChange={(e) => setEpochs(e.target.value)} required error={form.errors["hyperparameters.epochs"]} />
          <TextField label="Learning-rate multiplier" type="number" step="0.1" min={0} value={lr} onChange={(e) => setLr(e.target.value)} placeholder="provider default" error={form.errors["hyperparameters.learningRateMultiplier"]} />
          <TextField label="Batch size" type="number" min={1} value={batchSize} onChange={(e) => setBatchSize(e.target.value)} placeholder="provider default" error={form.errors["hyperparameters.batchSize"]} />
        </div>
        <TextField label="Register into model" value={modelKey} onChange={(e) => setModelKey(e.target.value)} list={listId} required error={form.errors.modelKey}
          hint="The registry model's key; a new key creates the model when the job finishes." />
        <datalist id={listId}>
          {models.map((m) => <option key={m.id} value={m.key}>{m.name}</option>)}
        </datalist>
        <TextField label="Suffix" value={suffix} onChange={(e) => setSuffix(e.target.value)} placeholder="leads" error={form.errors.suffix} hint="Optional; part of the fine-tuned model's name at the provider." />
        {estimate && epochCount > 0 ? (
          <p className="muted small">Estimated cost: <strong>{usd(Math.round((estimate.costNanoUsd / estimate.epochs) * epochCount))}</strong> for {epochCount} epochs of about {num(dataset?.tokens)} tokens.</p>
        ) : null}
        <FormError form={form} />
      </form>
    </Dialog>
  );
}
