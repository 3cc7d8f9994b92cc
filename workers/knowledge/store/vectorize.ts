/**
 * The Vectorize vector store, for bases too large to scan in the Worker. Each tenant is its
 * own namespace and each vector carries its base and document in metadata; the index needs
 * a metadata index on `kb` for the base filter. Vectorize deletes by id only, so a
 * document's chunk ids are read from D1 before its chunk rows go.
 */
import { and, eq } from "drizzle-orm";
import { knowledgeChunks } from "../../../d1/schema";
import type { TenantScope } from "../../db";
import type { KbRef, VectorHit, VectorRecord, VectorStore } from "./types";

/** Either generation of the Vectorize binding: both answer query, upsert and deleteByIds. */
export type VectorizeBinding = VectorizeIndex | Vectorize;

// Vectorize's limits: 1,000 vectors a write, topK 100 when values and metadata are not returned.
const WRITE_BATCH = 1000;
const MAX_TOP_K = 100;

/** True when `value` looks like a Vectorize binding (what a wrangler.toml [[vectorize]] entry gives). */
export function isVectorizeBinding(value: unknown): value is VectorizeBinding {
  if (typeof value !== "object" || value === null) return false;
  return ["query", "upsert", "deleteByIds"].every((m) => m in value && typeof Reflect.get(value, m) === "function");
}

/** A vector store over a Vectorize index, scoped to the tenant's namespace. */
export function vectorizeStore(index: VectorizeBinding, scope: TenantScope): VectorStore {
  return {
    async upsert(records: VectorRecord[]) {
      for (let i = 0; i < records.length; i += WRITE_BATCH) {
        const batch = records.slice(i, i + WRITE_BATCH).map((r) => ({
          id: r.chunkId,
          values: r.vector,
          namespace: scope.tenantId,
          metadata: { kb: r.knowledgeBaseId, doc: r.documentId },
        }));
        await index.upsert(batch);
      }
    },

    async search(kbs: KbRef[], vector: Float32Array, topK: number): Promise<VectorHit[]> {
      if (kbs.length === 0) return [];
      const res = await index.query(vector, {
        topK: Math.min(topK, MAX_TOP_K),
        namespace: scope.tenantId,
        filter: { kb: { $in: kbs.map((kb) => kb.id) } },
        returnMetadata: "none",
      });
      return res.matches.map((m) => ({ chunkId: m.id, score: m.score }));
    },

    async delete(documentId: string) {
      const rows = await scope.db
        .select({ id: knowledgeChunks.id })
        .from(knowledgeChunks)
        .where(and(eq(knowledgeChunks.tenantId, scope.tenantId), eq(knowledgeChunks.documentId, documentId)));
      for (let i = 0; i < rows.length; i += WRITE_BATCH) await index.deleteByIds(rows.slice(i, i + WRITE_BATCH).map((r) => r.id));
    },
  };
}
