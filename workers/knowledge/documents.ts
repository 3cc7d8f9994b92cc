/**
 * Documents of a knowledge base: the upload is stored in R2 (knowledge/<tenant>/<doc>),
 * cut into chunks, embedded through the gateway and handed to the vector store. The row
 * goes processing -> ready, or failed with the reason (e.g. the tenant's budget refused
 * the embeddings), in which case no chunk of it is searchable.
 */
import { and, desc, eq } from "drizzle-orm";
import { knowledgeBases, knowledgeChunks, knowledgeDocuments } from "../../d1/schema";
import type { TenantScope } from "../db";
import { AppError, toAppError } from "../errors";
import { newId } from "../lib/ids";
import { bumpVersion, getKnowledgeBase, type KnowledgeBaseRow } from "./bases";
import { chunkDocument, type Chunk } from "./chunk";
import { documentKind } from "./content-type";
import { embedTexts, type EmbedDeps } from "./embed";
import type { VectorStore } from "./store";

export type KnowledgeDocumentRow = typeof knowledgeDocuments.$inferSelect;
export type DocumentDeps = TenantScope & { files: R2Bucket; store: VectorStore; embed: EmbedDeps; requestId: string };

export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;
export const MAX_DOCUMENT_CHUNKS = 20_000;
// Seven bound values a row and D1's 100-parameter limit.
const INSERT_ROWS = 14;

export function documentKey(tenantId: string, id: string): string {
  return `knowledge/${tenantId}/${id}`;
}

/** What is embedded for a chunk: its title gives the text its context. */
export function embeddingInput(chunk: Chunk): string {
  return chunk.title ? `${chunk.title}\n${chunk.text}` : chunk.text;
}

async function indexChunks(deps: DocumentDeps, kb: KnowledgeBaseRow, doc: KnowledgeDocumentRow, chunks: Chunk[]): Promise<void> {
  const rows = chunks.map((c, i) => ({ id: newId("kbc"), tenantId: deps.tenantId, knowledgeBaseId: kb.id, documentId: doc.id, chunkIndex: i, title: c.title, text: c.text }));
  const inserts = [];
  for (let i = 0; i < rows.length; i += INSERT_ROWS) inserts.push(deps.db.insert(knowledgeChunks).values(rows.slice(i, i + INSERT_ROWS)));
  for (let i = 0; i < inserts.length; i += 50) {
    const [first, ...rest] = inserts.slice(i, i + 50);
    if (first) await deps.db.batch([first, ...rest]);
  }
  const vectors = await embedTexts(deps.embed, { model: kb.embeddingModel, dimensions: kb.dimensions, knowledgeBaseIds: [kb.id], requestId: deps.requestId }, chunks.map(embeddingInput));
  await deps.store.upsert(rows.map((r, i) => ({ chunkId: r.id, knowledgeBaseId: kb.id, documentId: doc.id, vector: vectors[i] ?? new Float32Array(kb.dimensions) })));
}

async function setStatus(scope: TenantScope, id: string, set: Pick<KnowledgeDocumentRow, "status" | "chunkCount" | "error">): Promise<void> {
  await scope.db.update(knowledgeDocuments).set({ ...set, updatedAt: Date.now() }).where(and(eq(knowledgeDocuments.tenantId, scope.tenantId), eq(knowledgeDocuments.id, id)));
}

export type NewDocument = { knowledgeBaseId: string; name: string; contentType: string; text: string };

/** Stores, chunks, embeds and indexes one document; returns its row in its final state. */
export async function ingestDocument(deps: DocumentDeps, input: NewDocument): Promise<KnowledgeDocumentRow> {
  const kb = await getKnowledgeBase(deps, input.knowledgeBaseId);
  const kind = documentKind(input.contentType, input.name, input.text);
  if (!input.text.trim()) throw new AppError("validation_failed", "The document is empty", [{ path: "content", message: "empty" }]);
  const bytes = new TextEncoder().encode(input.text).byteLength;
  if (bytes > MAX_DOCUMENT_BYTES) throw new AppError("payload_too_large", "A document may be at most 10 MB");
  const chunks = chunkDocument(kind, input.text);
  if (chunks.length > MAX_DOCUMENT_CHUNKS) throw new AppError("payload_too_large", `The document makes ${chunks.length} chunks; at most ${MAX_DOCUMENT_CHUNKS} are allowed`);
  const id = newId("kbd");
  const now = Date.now();
  const doc: KnowledgeDocumentRow = {
    id, tenantId: deps.tenantId, knowledgeBaseId: kb.id, name: input.name, kind, contentType: input.contentType.split(";")[0]?.trim().toLowerCase() ?? "",
    bytes, r2Key: documentKey(deps.tenantId, id), status: "processing", chunkCount: 0, error: null, createdAt: now, updatedAt: now,
  };
  await deps.files.put(doc.r2Key, input.text, { httpMetadata: { contentType: input.contentType } });
  await deps.db.insert(knowledgeDocuments).values(doc);
  let final: Pick<KnowledgeDocumentRow, "status" | "chunkCount" | "error">;
  try {
    await indexChunks(deps, kb, doc, chunks);
    final = { status: "ready", chunkCount: chunks.length, error: null };
  } catch (err) {
    // The upload itself succeeded; the document records why it cannot be searched.
    const e = toAppError(err);
    await removeChunks(deps, doc.id);
    final = { status: "failed", chunkCount: 0, error: `${e.code}: ${e.message}` };
  }
  await setStatus(deps, doc.id, final);
  await bumpVersion(deps, kb.id);
  return { ...doc, ...final };
}

async function removeChunks(deps: DocumentDeps, documentId: string): Promise<void> {
  await deps.store.delete(documentId);
  await deps.db.delete(knowledgeChunks).where(and(eq(knowledgeChunks.tenantId, deps.tenantId), eq(knowledgeChunks.documentId, documentId)));
}

/** Removes a document's vectors, chunks, row and stored file (the base's version is the caller's to move). */
export async function deleteDocumentData(deps: DocumentDeps, doc: KnowledgeDocumentRow): Promise<void> {
  await removeChunks(deps, doc.id);
  await deps.db.delete(knowledgeDocuments).where(and(eq(knowledgeDocuments.tenantId, deps.tenantId), eq(knowledgeDocuments.id, doc.id)));
  await deps.files.delete(doc.r2Key);
}

export async function getDocument(scope: TenantScope, knowledgeBaseId: string, id: string): Promise<KnowledgeDocumentRow> {
  const row = await scope.db.query.knowledgeDocuments.findFirst({
    where: and(eq(knowledgeDocuments.tenantId, scope.tenantId), eq(knowledgeDocuments.knowledgeBaseId, knowledgeBaseId), eq(knowledgeDocuments.id, id)),
  });
  if (!row) throw new AppError("not_found", "No such document in this knowledge base");
  return row;
}

export async function listDocuments(scope: TenantScope, knowledgeBaseId: string, limit = 500): Promise<KnowledgeDocumentRow[]> {
  await getKnowledgeBase(scope, knowledgeBaseId);
  return scope.db
    .select()
    .from(knowledgeDocuments)
    .where(and(eq(knowledgeDocuments.tenantId, scope.tenantId), eq(knowledgeDocuments.knowledgeBaseId, knowledgeBaseId)))
    .orderBy(desc(knowledgeDocuments.createdAt))
    .limit(limit);
}

export async function deleteDocument(deps: DocumentDeps, knowledgeBaseId: string, id: string): Promise<KnowledgeDocumentRow> {
  const doc = await getDocument(deps, knowledgeBaseId, id);
  await deleteDocumentData(deps, doc);
  await bumpVersion(deps, knowledgeBaseId);
  return doc;
}

/** Deletes a base and all of its documents (vectors, chunks, rows and stored files). */
export async function deleteKnowledgeBase(deps: DocumentDeps, id: string): Promise<KnowledgeBaseRow> {
  const row = await getKnowledgeBase(deps, id);
  const docs = await deps.db
    .select()
    .from(knowledgeDocuments)
    .where(and(eq(knowledgeDocuments.tenantId, deps.tenantId), eq(knowledgeDocuments.knowledgeBaseId, id)));
  for (const doc of docs) await deleteDocumentData(deps, doc);
  await deps.db.delete(knowledgeBases).where(and(eq(knowledgeBases.tenantId, deps.tenantId), eq(knowledgeBases.id, id)));
  return row;
}
