/**
 * Adding a document to a knowledge base with a progress bar: the bytes go up, then the
 * Worker chunks and embeds them, and the answer says whether the document is searchable.
 */
import { useState } from "react";
import { Button } from "../../components/Button";
import { TextField } from "../../components/Field";
import { ProgressBar } from "../../components/ProgressBar";
import { toast } from "../../components/Toast";
import { uploadWithProgress } from "../../components/upload";
import { FormError, useSubmit } from "../../components/useSubmit";
import type { KnowledgeDocument } from "./types";

/** The media type the API expects for a file; PDF text goes as text/plain named *.pdf. */
export function mediaTypeOf(file: File): string {
  const name = file.name.toLowerCase();
  if (/\.(md|markdown)$/.test(name)) return "text/markdown";
  if (name.endsWith(".csv")) return "text/csv";
  if (/\.(txt|pdf|text)$/.test(name)) return "text/plain";
  return file.type || "text/plain";
}

type Phase = { kind: "uploading"; sent: number; total: number } | { kind: "indexing" } | { kind: "done"; doc: KnowledgeDocument };

function PhaseView({ phase }: { phase: Phase }) {
  if (phase.kind === "uploading") return <ProgressBar label="Document upload" value={phase.total ? phase.sent / phase.total : 0} />;
  if (phase.kind === "indexing") return <ProgressBar label="Document upload" value={1} detail="100 % · chunking and embedding…" />;
  const d = phase.doc;
  return (
    <>
      <ProgressBar label="Document upload" value={1} detail={d.status === "ready" ? `100 % · ready, ${d.chunkCount} chunks` : `100 % · ${d.status}`} />
      {d.status === "failed" ? <div className="banner banner-danger" role="alert">{d.name} could not be indexed: {d.error ?? "unknown reason"}</div> : null}
    </>
  );
}

export function DocumentUpload({ knowledgeBaseId, onUploaded }: { knowledgeBaseId: string; onUploaded: (d: KnowledgeDocument) => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [name, setName] = useState("");
  const [phase, setPhase] = useState<Phase | null>(null);
  const [inputKey, setInputKey] = useState(0);

  const form = useSubmit(async () => {
    if (!file) throw new Error("Choose a text, Markdown or CSV file to upload");
    const docName = name.trim() || file.name;
    setPhase({ kind: "uploading", sent: 0, total: file.size });
    try {
      const path = `/api/v1/knowledge-bases/${encodeURIComponent(knowledgeBaseId)}/documents?${new URLSearchParams({ name: docName })}`;
      // The API's KnowledgeDocument; the response was checked by the server's schema.
      const doc = (await uploadWithProgress(path, file, mediaTypeOf(file), {
        onProgress: (sent, total) => setPhase({ kind: "uploading", sent, total }),
        onSent: () => setPhase({ kind: "indexing" }),
      })) as KnowledgeDocument;
      setPhase({ kind: "done", doc });
      setFile(null);
      setName("");
      setInputKey((k) => k + 1);
      onUploaded(doc);
      if (doc.status === "ready") return `${doc.name} is searchable (${doc.chunkCount} chunks)`;
      // Uploaded but not searchable: the reason shows under the progress bar instead of a success toast.
      toast(`${doc.name} could not be indexed`, "danger");
      return null;
    } catch (e) {
      setPhase(null);
      throw e;
    }
  }, ["name", "content"]);

  return (
    <form onSubmit={form.onSubmit} aria-label="Upload a document">
      <div className="row upload-fields">
        <TextField key={inputKey} label="File" type="file" accept=".txt,.md,.markdown,.csv,.pdf,text/plain,text/markdown,text/csv"
          onChange={(e) => {
            setFile(e.target.files?.[0] ?? null);
            setPhase(null);
          }}
          hint="Text, Markdown or CSV, up to 10 MB. For a PDF, upload its extracted text and name it *.pdf." />
        <TextField label="Document name" value={name} onChange={(e) => setName(e.target.value)} placeholder={file?.name ?? "service-faq.md"} error={form.errors.name} />
      </div>
      {phase ? <PhaseView phase={phase} /> : null}
      <FormError form={form} />
      <div className="row"><Button type="submit" busy={form.busy}>Upload document</Button></div>
    </form>
  );
}
