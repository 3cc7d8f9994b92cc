/**
 * /knowledge-bases: documents dealership assistants answer from, and search over them.
 * Documents are uploaded as text/plain (also PDF text), text/markdown or text/csv with
 * ?name=, or as JSON {name, content, contentType}; they are chunked, embedded through the
 * gateway and searchable as soon as the upload answers.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { platformAuth, requirePermission } from "../auth/middleware";
import { makeDb } from "../db";
import type { AppEnv } from "../env";
import { AppError } from "../errors";
import { readBodyLimited } from "../hooks/body";
import { createKnowledgeBase, getKnowledgeBase, listKnowledgeBases, type KnowledgeBaseRow } from "../knowledge/bases";
import { DOCUMENT_MEDIA_TYPES } from "../knowledge/content-type";
import { documentDepsOf, knowledgeDepsOf, type KnowledgeDeps } from "../knowledge/deps";
import { deleteDocument, deleteKnowledgeBase, getDocument, ingestDocument, listDocuments, MAX_DOCUMENT_BYTES, type KnowledgeDocumentRow, type NewDocument } from "../knowledge/documents";
import { MAX_TOP_K, searchKnowledge } from "../knowledge/search";
import { audit, scopeOf } from "./context";
import { createApiApp } from "./factory";
import { authErrors, bearerSecurity, EpochMs, IdParams, jsonBody, jsonResponse, mediaTypeError } from "./schemas";

const Name = z.string().trim().min(1).max(200);
const NewBase = z
  .object({
    name: Name.openapi({ example: "Smith Motors service FAQ" }),
    description: z.string().trim().max(2000).optional(),
    embeddingModel: z.string().trim().min(1).max(200).optional().openapi({ description: "Default text-embedding-3-small; any embedding model or alias the tenant's gateway serves" }),
    dimensions: z.number().int().min(64).max(3072).optional().openapi({ description: "Vector length (default 512)" }),
  })
  .strict();
const JsonDocument = z.object({ name: Name, content: z.string(), contentType: z.string().min(1).max(100).openapi({ example: "text/markdown" }) }).strict();
const UploadQuery = z.object({ name: Name.optional().openapi({ description: "The document's name when the body is the raw text" }) });
const DocParams = IdParams.extend({ documentId: z.string().min(1).max(64).openapi({ param: { name: "documentId", in: "path" }, example: "kbd_4fGh7Jk9LmNp2QrS5tUv" }) });
const SearchBody = z.object({ query: z.string().trim().min(1).max(2000), topK: z.number().int().min(1).max(MAX_TOP_K).optional() }).strict();

const BaseSchema = z
  .object({
    id: z.string().openapi({ example: "kb_4fGh7Jk9LmNp2QrS5tUv" }),
    name: z.string(),
    description: z.string().nullable(),
    embeddingModel: z.string(),
    dimensions: z.number().int(),
    version: z.number().int().openapi({ description: "Moves on whenever a document is added or removed" }),
    createdAt: EpochMs,
    updatedAt: EpochMs,
  })
  .openapi("KnowledgeBase");
const DocumentSchema = z
  .object({
    id: z.string().openapi({ example: "kbd_4fGh7Jk9LmNp2QrS5tUv" }),
    knowledgeBaseId: z.string(),
    name: z.string(),
    kind: z.enum(["text", "markdown", "csv", "pdf_text"]),
    contentType: z.string(),
    bytes: z.number().int(),
    status: z.enum(["processing", "ready", "failed"]),
    chunkCount: z.number().int(),
    error: z.string().nullable().openapi({ description: "Why a failed document is not searchable" }),
    createdAt: EpochMs,
    updatedAt: EpochMs,
  })
  .openapi("KnowledgeDocument");
const Citation = z.object({ documentId: z.string(), documentName: z.string(), title: z.string().nullable(), chunkIndex: z.number().int() });
const HitSchema = z
  .object({ chunkId: z.string(), documentId: z.string(), documentName: z.string(), title: z.string().nullable(), text: z.string(), score: z.number(), citation: Citation })
  .openapi("KnowledgeHit");

function baseView(row: KnowledgeBaseRow) {
  const { tenantId: _t, ...rest } = row;
  return rest;
}

function documentView(row: KnowledgeDocumentRow) {
  const { tenantId: _t, r2Key: _k, ...rest } = row;
  return rest;
}

function depsOf(c: Context<AppEnv>): KnowledgeDeps {
  const p = c.get("principal");
  return knowledgeDepsOf(c.env, makeDb(c.env.DB), (work) => c.executionCtx.waitUntil(work), {
    requestId: c.get("requestId"),
    apiKeyId: p.type === "api_key" ? p.apiKeyId : null,
    userId: p.type === "user" ? p.userId : null,
  });
}

async function uploaded(c: Context<AppEnv>, knowledgeBaseId: string, queryName: string | undefined): Promise<NewDocument> {
  const type = (c.req.header("content-type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  if (type === "application/json") {
    const body = JsonDocument.parse(JSON.parse(await c.req.text()));
    return { knowledgeBaseId, name: body.name, contentType: body.contentType, text: body.content };
  }
  const bytes = await readBodyLimited(c.req.raw, MAX_DOCUMENT_BYTES);
  const text = new TextDecoder().decode(bytes);
  // A PDF or unknown type is refused by its type before the missing name matters.
  if (!queryName && (DOCUMENT_MEDIA_TYPES.includes(type) || !type)) throw new AppError("validation_failed", "Name the document with ?name=", [{ path: "name", message: "required" }]);
  return { knowledgeBaseId, name: queryName ?? "document", contentType: type, text };
}

export const knowledgeApi = createApiApp();
knowledgeApi.use("*", platformAuth);

const tags = ["Knowledge bases"];
const read = requirePermission("workflows:read");
const write = requirePermission("workflows:write");
const route = <R extends Parameters<typeof createRoute>[0]>(r: R) => createRoute({ tags, security: bearerSecurity, ...r });
const unsupported = { 415: mediaTypeError[415] };

knowledgeApi.openapi(
  route({ method: "post", path: "/", middleware: [write], request: { body: jsonBody(NewBase) }, responses: { 201: jsonResponse(BaseSchema, "The knowledge base"), ...authErrors, ...mediaTypeError } }),
  async (c) => {
    const row = await createKnowledgeBase(scopeOf(c), c.req.valid("json"));
    await audit(c, { action: "knowledge_base.created", resourceType: "knowledge_base", resourceId: row.id, after: { name: row.name, embeddingModel: row.embeddingModel, dimensions: row.dimensions } });
    return c.json(baseView(row), 201);
  },
);

knowledgeApi.openapi(
  route({ method: "get", path: "/", middleware: [read], responses: { 200: jsonResponse(z.object({ data: z.array(BaseSchema) }), "The tenant's knowledge bases, newest first"), ...authErrors } }),
  async (c) => c.json({ data: (await listKnowledgeBases(scopeOf(c))).map(baseView) }, 200),
);

knowledgeApi.openapi(
  route({ method: "get", path: "/{id}", middleware: [read], request: { params: IdParams }, responses: { 200: jsonResponse(BaseSchema, "The knowledge base"), ...authErrors } }),
  async (c) => c.json(baseView(await getKnowledgeBase(scopeOf(c), c.req.valid("param").id)), 200),
);

knowledgeApi.openapi(
  route({ method: "delete", path: "/{id}", middleware: [write], request: { params: IdParams }, responses: { 204: { description: "Deleted with all of its documents" }, ...authErrors } }),
  async (c) => {
    const row = await deleteKnowledgeBase(documentDepsOf(depsOf(c), c.get("principal").tenantId), c.req.valid("param").id);
    await audit(c, { action: "knowledge_base.deleted", resourceType: "knowledge_base", resourceId: row.id, before: { name: row.name } });
    return c.body(null, 204);
  },
);

knowledgeApi.openapi(
  route({ method: "post", path: "/{id}/documents", middleware: [write], request: { params: IdParams, query: UploadQuery },
    description: `Body: the document as ${DOCUMENT_MEDIA_TYPES.join(", ")} (≤ 10 MB, name in ?name=; a name ending .pdf marks PDF text), or JSON {name, content, contentType}. application/pdf is refused with 415: send the extracted text. The answer comes once the document is indexed: status ready, or failed with the reason.`,
    responses: { 201: jsonResponse(DocumentSchema, "The document, indexed (or failed)"), ...authErrors, ...unsupported } }),
  async (c) => {
    const input = await uploaded(c, c.req.valid("param").id, c.req.valid("query").name);
    const row = await ingestDocument(documentDepsOf(depsOf(c), c.get("principal").tenantId), input);
    await audit(c, { action: "knowledge_document.created", resourceType: "knowledge_document", resourceId: row.id, after: { knowledgeBaseId: row.knowledgeBaseId, name: row.name, status: row.status, chunkCount: row.chunkCount } });
    return c.json(documentView(row), 201);
  },
);

knowledgeApi.openapi(
  route({ method: "get", path: "/{id}/documents", middleware: [read], request: { params: IdParams }, responses: { 200: jsonResponse(z.object({ data: z.array(DocumentSchema) }), "The base's documents, newest first"), ...authErrors } }),
  async (c) => c.json({ data: (await listDocuments(scopeOf(c), c.req.valid("param").id)).map(documentView) }, 200),
);

knowledgeApi.openapi(
  route({ method: "get", path: "/{id}/documents/{documentId}", middleware: [read], request: { params: DocParams }, responses: { 200: jsonResponse(DocumentSchema, "The document"), ...authErrors } }),
  async (c) => {
    const p = c.req.valid("param");
    return c.json(documentView(await getDocument(scopeOf(c), p.id, p.documentId)), 200);
  },
);

knowledgeApi.openapi(
  route({ method: "delete", path: "/{id}/documents/{documentId}", middleware: [write], request: { params: DocParams }, responses: { 204: { description: "Deleted; its chunks no longer appear in search" }, ...authErrors } }),
  async (c) => {
    const p = c.req.valid("param");
    const row = await deleteDocument(documentDepsOf(depsOf(c), c.get("principal").tenantId), p.id, p.documentId);
    await audit(c, { action: "knowledge_document.deleted", resourceType: "knowledge_document", resourceId: row.id, before: { knowledgeBaseId: row.knowledgeBaseId, name: row.name } });
    return c.body(null, 204);
  },
);

knowledgeApi.openapi(
  route({ method: "post", path: "/{id}/search", middleware: [read], request: { params: IdParams, body: jsonBody(SearchBody) },
    description: "Hybrid search (vector cosine + BM25, equal weights). The query is embedded through the gateway, tagged knowledge and kb:<id>.",
    responses: { 200: jsonResponse(z.object({ data: z.array(HitSchema) }), "The best chunks, best first, with citations"), ...authErrors, ...mediaTypeError } }),
  async (c) => {
    const body = c.req.valid("json");
    const hits = await searchKnowledge(depsOf(c), { tenantId: c.get("principal").tenantId, knowledgeBaseIds: [c.req.valid("param").id], query: body.query, topK: body.topK });
    return c.json({ data: hits }, 200);
  },
);
