/**
 * Uploading a chat-format JSONL dataset with a progress bar. A bad file comes back as a 400
 * listing the lines that are wrong; they are shown as a list.
 */
import { useState } from "react";
import { ApiError } from "../../api/client";
import { Button } from "../../components/Button";
import { Checkbox, TextField } from "../../components/Field";
import { ProgressBar } from "../../components/ProgressBar";
import { uploadWithProgress } from "../../components/upload";
import { FormError, useSubmit } from "../../components/useSubmit";
import { num } from "../../lib/format";
import type { Dataset } from "./types";

type LineError = { line: number; message: string };

function lineErrors(err: Error | null): LineError[] {
  if (!(err instanceof ApiError) || !Array.isArray(err.details)) return [];
  return err.details.filter((d: unknown): d is LineError => typeof d === "object" && d !== null && typeof (d as LineError).line === "number");
}

export function DatasetUpload({ onUploaded }: { onUploaded: (d: Dataset) => void }) {
  // Remounting the file input is how it is emptied after an upload.
  const [inputKey, setInputKey] = useState(0);
  const [file, setFile] = useState<File | null>(null);
  const [name, setName] = useState("");
  const [scrub, setScrub] = useState(true);
  const [progress, setProgress] = useState<{ sent: number; total: number; phase: "uploading" | "checking" | "done" } | null>(null);

  const form = useSubmit(async () => {
    if (!file) throw new Error("Choose a .jsonl file to upload");
    const datasetName = name.trim() || file.name.replace(/\.jsonl?$/i, "");
    setProgress({ sent: 0, total: file.size, phase: "uploading" });
    const query = new URLSearchParams({ name: datasetName, scrub: String(scrub) });
    try {
      // The API's Dataset; the response was checked by the server's schema.
      const created = (await uploadWithProgress(`/api/v1/datasets?${query}`, file, "application/jsonl", {
        onProgress: (sent, total) => setProgress({ sent, total, phase: "uploading" }),
        onSent: () => setProgress({ sent: file.size, total: file.size, phase: "checking" }),
      })) as Dataset;
      setProgress({ sent: file.size, total: file.size, phase: "done" });
      setFile(null);
      setName("");
      setInputKey((k) => k + 1);
      onUploaded(created);
      return `Dataset ${created.name} uploaded: ${num(created.examples)} examples`;
    } catch (e) {
      setProgress(null);
      throw e;
    }
  }, ["name"]);

  const lines = lineErrors(form.error);
  const detail = progress ? (progress.phase === "checking" ? "100 % · checking the lines…" : progress.phase === "done" ? "100 % · stored" : undefined) : undefined;
  return (
    <form onSubmit={form.onSubmit} className="upload-form" aria-label="Upload a dataset">
      <div className="row upload-fields">
        <TextField key={inputKey} label="JSONL file" type="file" accept=".jsonl,.json,.txt,application/jsonl,text/plain"
          onChange={(e) => {
            setFile(e.target.files?.[0] ?? null);
            setProgress(null);
          }} />
        <TextField label="Dataset name" value={name} onChange={(e) => setName(e.target.value)} placeholder={file ? file.name.replace(/\.jsonl?$/i, "") : "lead replies 2026-q1"} error={form.errors.name} />
      </div>
      <Checkbox label="Redact emails, phones, cards and SSNs before storing" checked={scrub} onChange={(e) => setScrub(e.target.checked)} />
      {progress ? <ProgressBar label="Dataset upload" value={progress.total ? progress.sent / progress.total : 1} detail={detail} /> : null}
      <FormError form={form} />
      {lines.length ? (
        <ul className="line-errors small" aria-label="Lines with problems">
          {lines.map((l) => <li key={l.line}>Line {l.line}: {l.message}</li>)}
        </ul>
      ) : null}
      <div><Button type="submit" busy={form.busy}>Upload dataset</Button></div>
    </form>
  );
}
