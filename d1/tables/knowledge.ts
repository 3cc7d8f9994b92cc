/**
 * Knowledge bases: documents a dealership's assistants answer from (FAQ, service policies,
 * inventory exports), cut into chunks that are embedded and searched. A base's `version`
 * moves whenever its chunks change, so per-isolate search caches know when they are stale.
 */
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt } from "./columns";
import { tenants } from "./platform";

export const KNOWLEDGE_DOCUMENT_KINDS = ["text", "markdown", "csv", "pdf_text"] as const;
export type KnowledgeDocumentKind = (typeof KNOWLEDGE_DOCUMENT_KINDS)[number];

export const KNOWLEDGE_DOCUMENT_STATUSES = ["processing", "ready", "failed"] as const;
export type KnowledgeDocumentStatus = (typeof KNOWLEDGE_DOCUMENT_STATUSES)[number];

export const knowledgeBases = sqliteTable(
  "knowledge_bases",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull().references(() => tenants.id),
    name: text("name").notNull(),
    description: text("description"),
    /** A model (or alias) the tenant's gateway serves embeddings for. */
    embeddingModel: text("embedding_model").notNull(),
    dimensions: integer("dimensions").notNull(),
    version: integer("version").notNull().default(0),
    createdAt: createdAt(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("knowledge_bases_tenant").on(t.tenantId, t.createdAt)],
);

export const knowledgeDocuments = sqliteTable(
  "knowledge_documents",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    knowledgeBaseId: text("knowledge_base_id").notNull(),
    name: text("name").notNull(),
    kind: text("kind", { enum: KNOWLEDGE_DOCUMENT_KINDS }).notNull(),
    contentType: text("content_type").notNull(),
    bytes: integer("bytes").notNull(),
    /** R2 (FILES) key of the document as uploaded. */
    r2Key: text("r2_key").notNull(),
    status: text("status", { enum: KNOWLEDGE_DOCUMENT_STATUSES }).notNull(),
    chunkCount: integer("chunk_count").notNull().default(0),
    error: text("error"),
    createdAt: createdAt(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("knowledge_documents_kb").on(t.tenantId, t.knowledgeBaseId, t.createdAt)],
);

export const knowledgeChunks = sqliteTable(
  "knowledge_chunks",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    knowledgeBaseId: text("knowledge_base_id").notNull(),
    documentId: text("document_id").notNull(),
    chunkIndex: integer("chunk_index").notNull(),
    /** The heading path (Markdown) or row label (CSV); null for plain text. */
    title: text("title"),
    text: text("text").notNull(),
  },
  (t) => [index("knowledge_chunks_kb").on(t.knowledgeBaseId, t.id), index("knowledge_chunks_document").on(t.documentId)],
);

/** The D1 vector store's vectors: little-endian float32, base64, as the embeddings API returns them. */
export const knowledgeVectors = sqliteTable(
  "knowledge_vectors",
  {
    chunkId: text("chunk_id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    knowledgeBaseId: text("knowledge_base_id").notNull(),
    documentId: text("document_id").notNull(),
    vector: text("vector").notNull(),
  },
  (t) => [index("knowledge_vectors_kb").on(t.knowledgeBaseId, t.chunkId), index("knowledge_vectors_document").on(t.documentId)],
);
