/** Searching a knowledge base the way an assistant does: the best passages, scored, with citations. */
import { useState } from "react";
import { api, unwrap } from "../../api/client";
import { Button } from "../../components/Button";
import { SelectField, TextField } from "../../components/Field";
import { Empty } from "../../components/States";
import { FormError, useSubmit } from "../../components/useSubmit";
import { num } from "../../lib/format";
import type { KnowledgeHit } from "./types";

export function SearchPanel({ knowledgeBaseId }: { knowledgeBaseId: string }) {
  const [query, setQuery] = useState("");
  const [topK, setTopK] = useState("5");
  const [hits, setHits] = useState<KnowledgeHit[] | null>(null);

  const form = useSubmit(async () => {
    const r = await unwrap(api.POST("/knowledge-bases/{id}/search", { params: { path: { id: knowledgeBaseId } }, body: { query: query.trim(), topK: Number(topK) } }));
    setHits(r.data);
  }, ["query", "topK"]);

  return (
    <div className="stack">
      <form onSubmit={form.onSubmit} className="toolbar search-form" role="search" aria-label="Search this knowledge base">
        <TextField label="Search" type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder="When is the service department open?" error={form.errors.query} />
        <SelectField label="Results" value={topK} onChange={(e) => setTopK(e.target.value)} options={["3", "5", "10"].map((v) => ({ value: v, label: v }))} />
        <Button type="submit" busy={form.busy} disabled={!query.trim()}>Search</Button>
      </form>
      <FormError form={form} />
      {hits === null ? null : hits.length === 0 ? (
        <Empty title="No passages matched">Try other words, or check that the documents are ready.</Empty>
      ) : (
        <ol className="hits" aria-label="Search results">
          {hits.map((h, i) => (
            <li key={h.chunkId} className="hit">
              <div className="row hit-head">
                <strong>[{i + 1}] {h.documentName}</strong>
                {h.title ? <span className="muted">· {h.title}</span> : null}
                <span className="hit-score" title="Hybrid score: vector similarity and keyword match">score {num(h.score, 3)}</span>
              </div>
              <p className="hit-text">{h.text}</p>
              <div className="muted small">Cited as {h.citation.documentName}, passage {h.citation.chunkIndex + 1}</div>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
