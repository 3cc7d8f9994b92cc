/**
 * Knowledge bases: create, read and list, every access scoped to the tenant (deleting one
 * is in documents.ts, since it deletes the documents first).
 */
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { knowledgeBases } from "../../d1/schema";
import type { TenantScope } from "../db";
import { AppError } from "../errors";
import { newId } from "../lib/ids";

export type KnowledgeBaseRow = typeof knowledgeBases.$inferSelect;

export const DEFAULT_EMBEDDING_MODEL = "text-embedding-3-small";
/** 512 keeps 10k chunks' vectors near 20 MB in memory; text-embedding-3 models shorten vectors on request. */
export const DEFAULT_DIMENSIONS = 512;

export type NewKnowledgeBase = { name: string; description?: string | null; embeddingModel?: string; dimensions?: number };

export async function createKnowledgeBase(scope: TenantScope, input: NewKnowledgeBase): Promise<KnowledgeBaseRow> {
  const now = Date.now();
  const row: KnowledgeBaseRow = {
    id: newId("kb"),
    tenantId: scope.tenantId,
    name: input.name,
    description: input.description ?? null,
    embeddingModel: input.embeddingModel ?? DEFAULT_EMBEDDING_MODEL,
    dimensions: input.dimensions ?? DEFAULT_DIMENSIONS,
    version: 0,
    createdAt: now,
    updatedAt: now,
  };
  await scope.db.insert(knowledgeBases).values(row);
  return row;
}

export async function getKnowledgeBase(scope: TenantScope, id: string): Promise<KnowledgeBaseRow> {
  const row = await scope.db.query.knowledgeBases.findFirst({ where: and(eq(knowledgeBases.tenantId, scope.tenantId), eq(knowledgeBases.id, id)) });
  if (!row) throw new AppError("not_found", "No such knowledge base");
  return row;
}

/** The tenant's bases named by `ids`, in that order; any id not found is a 404. */
export async function getKnowledgeBases(scope: TenantScope, ids: string[]): Promise<KnowledgeBaseRow[]> {
  const unique = [...new Set(ids)];
  const rows = unique.length === 0 ? [] : await scope.db.select().from(knowledgeBases).where(and(eq(knowledgeBases.tenantId, scope.tenantId), inArray(knowledgeBases.id, unique)));
  const byId = new Map(rows.map((r) => [r.id, r]));
  return unique.map((id) => {
    const row = byId.get(id);
    if (!row) throw new AppError("not_found", `No such knowledge base: ${id}`);
    return row;
  });
}

export function listKnowledgeBases(scope: TenantScope, limit = 200): Promise<KnowledgeBaseRow[]> {
  return scope.db.select().from(knowledgeBases).where(eq(knowledgeBases.tenantId, scope.tenantId)).orderBy(desc(knowledgeBases.createdAt)).limit(limit);
}

/** Moves the base's version on, so cached vectors and lexical indexes of the old one are not used. */
export async function bumpVersion(scope: TenantScope, id: string): Promise<void> {
  await scope.db
    .update(knowledgeBases)
    .set({ version: sql`${knowledgeBases.version} + 1`, updatedAt: Date.now() })
    .where(and(eq(knowledgeBases.tenantId, scope.tenantId), eq(knowledgeBases.id, id)));
}
