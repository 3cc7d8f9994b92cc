/**
 * The D1 vector store: vectors in knowledge_vectors, searched by brute-force cosine in the
 * Worker. A base's vectors are loaded in pages once per version and kept decoded and
 * normalised in one contiguous array per isolate, so a warm search is one pass of dot
 * products (10k chunks x 512 dimensions is a few milliseconds).
 */
import { and, asc, eq, gt, sql } from "drizzle-orm";
import { knowledgeVectors } from "../../../d1/schema";
import type { TenantScope } from "../../db";
import { versionedCache } from "../cache";
import { decodeVector, encodeVector, normalize, topIndices, topK } from "../vector";
import type { KbRef, VectorHit, VectorRecord, VectorStore } from "./types";

const PAGE = 1000;
// Five bound values a row and D1's 100-parameter limit.
const INSERT_ROWS = 20;

type Matrix = { ids: string[]; dims: number; values: Float32Array };

const matrices = versionedCache<Matrix>(16);

async function loadMatrix(scope: TenantScope, kbId: string): Promise<Matrix> {
  const ids: string[] = [];
  const rows: Float32Array[] = [];
  let after = "";
  for (;;) {
    const page = await scope.db
      .select({ chunkId: knowledgeVectors.chunkId, vector: knowledgeVectors.vector })
      .from(knowledgeVectors)
      .where(and(eq(knowledgeVectors.tenantId, scope.tenantId), eq(knowledgeVectors.knowledgeBaseId, kbId), gt(knowledgeVectors.chunkId, after)))
      .orderBy(asc(knowledgeVectors.chunkId))
      .limit(PAGE);
    for (const r of page) {
      ids.push(r.chunkId);
      rows.push(normalize(decodeVector(r.vector)));
    }
    if (page.length < PAGE) break;
    after = page[page.length - 1]?.chunkId ?? after;
  }
  const dims = rows[0]?.length ?? 0;
  const values = new Float32Array(ids.length * dims);
  rows.forEach((v, i) => values.set(v.length === dims ? v : new Float32Array(dims), i * dims));
  return { ids, dims, values };
}

/** Dot products of the query with every row, into one array: no per-chunk objects on the hot path. */
function dotProducts({ ids, dims, values }: Matrix, q: Float32Array): Float32Array {
  const out = new Float32Array(ids.length);
  for (let row = 0; row < ids.length; row++) {
    let dot = 0;
    const base = row * dims;
    for (let i = 0; i < dims; i++) dot += (values[base + i] ?? 0) * (q[i] ?? 0);
    out[row] = dot;
  }
  return out;
}

function* best(matrices: Matrix[], q: Float32Array, k: number): Generator<{ item: string; score: number }> {
  for (const matrix of matrices) {
    // A base embedded at other dimensions cannot be compared with this query.
    if (q.length !== matrix.dims) continue;
    const scores = dotProducts(matrix, q);
    for (const row of topIndices(scores, k)) yield { item: matrix.ids[row] ?? "", score: scores[row] ?? 0 };
  }
}

/** A vector store over the tenant's D1 rows. */
export function d1VectorStore(scope: TenantScope): VectorStore {
  return {
    async upsert(records: VectorRecord[]) {
      const rows = records.map((r) => ({ chunkId: r.chunkId, tenantId: scope.tenantId, knowledgeBaseId: r.knowledgeBaseId, documentId: r.documentId, vector: encodeVector(r.vector) }));
      const statements = [];
      for (let i = 0; i < rows.length; i += INSERT_ROWS) {
        statements.push(
          scope.db
            .insert(knowledgeVectors)
            .values(rows.slice(i, i + INSERT_ROWS))
            .onConflictDoUpdate({ target: knowledgeVectors.chunkId, set: { vector: sql`excluded.vector` } }),
        );
      }
      for (let i = 0; i < statements.length; i += 50) {
        const [first, ...rest] = statements.slice(i, i + 50);
        if (first) await scope.db.batch([first, ...rest]);
      }
    },

    async search(kbs: KbRef[], vector: Float32Array, k: number): Promise<VectorHit[]> {
      const q = normalize(vector);
      const all = await Promise.all(kbs.map((kb) => matrices.get(kb.id, kb.version, () => loadMatrix(scope, kb.id))));
      const hits = topK(best(all, q, k), k);
      return hits.map((h) => ({ chunkId: h.item, score: h.score }));
    },

    async delete(documentId: string) {
      await scope.db.delete(knowledgeVectors).where(and(eq(knowledgeVectors.tenantId, scope.tenantId), eq(knowledgeVectors.documentId, documentId)));
    },
  };
}
