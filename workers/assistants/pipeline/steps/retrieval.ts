/**
 * retrieval: searches the assistant's knowledge bases with the visitor's message and puts
 * the best passages in front of the model as numbered sources it is asked to cite.
 */
import type { Citation } from "../../../../d1/schema";
import type { KnowledgeHit, PipelineStep } from "../types";

export const RETRIEVAL_TOP_K = 4;

/** The system-prompt block of numbered sources; "[n]" in an answer refers to source n. */
export function sourcesBlock(hits: KnowledgeHit[]): string {
  const lines = hits.map((h, i) => `[${i + 1}] ${h.documentName}${h.title ? ` — ${h.title}` : ""}\n${h.text.trim()}`);
  return `Answer from these sources when they help, and cite them as [1], [2]… Say so when they do not cover the question.\n\n${lines.join("\n\n")}`;
}

export function citationsOf(hits: KnowledgeHit[]): Citation[] {
  return hits.map((h, i) => ({ n: i + 1, documentId: h.citation.documentId, documentName: h.citation.documentName, title: h.citation.title, chunkIndex: h.citation.chunkIndex }));
}

export const retrieval: PipelineStep = async (ctx) => {
  const { search } = ctx.deps;
  if (ctx.answered || !search || ctx.assistant.knowledgeBaseIds.length === 0) return;
  const hits = await search(ctx.deps, { tenantId: ctx.tenant.id, knowledgeBaseIds: ctx.assistant.knowledgeBaseIds, query: ctx.input, topK: RETRIEVAL_TOP_K });
  if (hits.length === 0) return;
  ctx.retrieved = hits;
  ctx.citations = citationsOf(hits);
  // One system message (some providers take only one): instructions first, then the sources.
  const block = sourcesBlock(hits);
  const first = ctx.messages[0];
  if (first?.role === "system") first.content = `${first.content}\n\n${block}`;
  else ctx.messages = [{ role: "system", content: block }, ...ctx.messages];
};
