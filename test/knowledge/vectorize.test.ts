/**
 * The Vectorize store against an in-memory index with Vectorize's contract (namespaces,
 * metadata filters with $in, cosine scores), and its selection when a binding is present.
 */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { makeDb } from "../../workers/db";
import { createKnowledgeBase } from "../../workers/knowledge/bases";
import { documentDepsOf, knowledgeDepsOf } from "../../workers/knowledge/deps";
import { deleteDocument, ingestDocument } from "../../workers/knowledge/documents";
import { searchKnowledge } from "../../workers/knowledge/search";
import { vectorizeOf } from "../../workers/knowledge/store";
import { isVectorizeBinding } from "../../workers/knowledge/store/vectorize";
import { createTestTenant } from "../helpers/fixtures";
import { requestId } from "../gateway/helpers";
import { INVENTORY_CSV, SERVICE_FAQ } from "./helpers";

type Stored = { id: string; values: number[]; namespace?: string; metadata?: Record<string, VectorizeVectorMetadata> };

function cosine(a: number[], b: number[]): number {
  let dot = 0, na = 0, nb = 0;
  a.forEach((x, i) => {
    dot += x * (b[i] ?? 0);
    na += x * x;
    nb += (b[i] ?? 0) ** 2;
  });
  return dot / Math.sqrt(na * nb || 1);
}

function memoryIndex(): { index: Vectorize; vectors: Map<string, Stored>; queries: VectorizeQueryOptions[] } {
  const vectors = new Map<string, Stored>();
  const queries: VectorizeQueryOptions[] = [];
  const mutation = async () => ({ mutationId: "m" });
  const index: Vectorize = {
    describe: async () => ({ vectorCount: vectors.size, dimensions: 512, processedUpToDatetime: 0, processedUpToMutation: 0 }),
    query: async (vector, options = {}) => {
      queries.push(options);
      const filter = options.filter?.kb;
      const kbs = typeof filter === "object" && filter !== null && "$in" in filter ? filter.$in : undefined;
      const matches = [...vectors.values()]
        .filter((v) => v.namespace === options.namespace && (!kbs || kbs.includes(String(v.metadata?.kb))))
        .map((v) => ({ id: v.id, score: cosine(Array.from(vector), v.values) }))
        .sort((a, b) => b.score - a.score)
        .slice(0, options.topK ?? 5);
      return { matches, count: matches.length };
    },
    queryById: async () => ({ matches: [], count: 0 }),
    insert: mutation,
    upsert: async (records) => {
      for (const r of records) vectors.set(r.id, { id: r.id, values: Array.from(r.values), namespace: r.namespace, metadata: r.metadata });
      return { mutationId: "m" };
    },
    deleteByIds: async (ids) => {
      for (const id of ids) vectors.delete(id);
      return { mutationId: "m" };
    },
    getByIds: async () => [],
  };
  return { index, vectors, queries };
}

let tenantId: string;
beforeAll(async () => {
  tenantId = (await createTestTenant("Vectorize Motors")).tenantId;
});

describe("the Vectorize store", () => {
  it("is chosen only when the Worker has a VECTORIZE binding", () => {
    expect(vectorizeOf(env)).toBeUndefined();
    const { index } = memoryIndex();
    expect(vectorizeOf(Object.assign({}, env, { VECTORIZE: index }))).toBe(index);
    expect(isVectorizeBinding({ query: 1 })).toBe(false);
    expect(isVectorizeBinding(null)).toBe(false);
  });

  it("indexes into the tenant's namespace, searches only the asked bases and deletes a document's vectors", async () => {
    const mem = memoryIndex();
    const deps = { ...knowledgeDepsOf(env, makeDb(env.DB), () => undefined, { requestId: requestId() }), vectorize: mem.index };
    const docs = documentDepsOf(deps, tenantId);
    const kb = await createKnowledgeBase(docs, { name: "Scaled" });
    const other = await createKnowledgeBase(docs, { name: "Other" });
    const inventory = await ingestDocument(docs, { knowledgeBaseId: kb.id, name: "inventory.csv", contentType: "text/csv", text: INVENTORY_CSV });
    await ingestDocument(docs, { knowledgeBaseId: other.id, name: "faq.md", contentType: "text/markdown", text: SERVICE_FAQ });
    expect(inventory).toMatchObject({ status: "ready", chunkCount: 8 });
    expect(mem.vectors.size).toBe(13);
    expect([...mem.vectors.values()].every((v) => v.namespace === tenantId && v.values.length === 512)).toBe(true);
    // Vectors live in Vectorize only: nothing was written to the D1 store.
    expect(await env.DB.prepare("select count(*) as n from knowledge_vectors where knowledge_base_id = ?").bind(kb.id).first("n")).toBe(0);

    const hits = await searchKnowledge(deps, { tenantId, knowledgeBaseIds: [kb.id], query: "red CR-V", topK: 3 });
    expect(hits[0]).toMatchObject({ documentId: inventory.id, title: "Row 1" });
    expect(hits.every((h) => h.documentId === inventory.id)).toBe(true);
    expect(mem.queries.at(-1)).toMatchObject({ namespace: tenantId, filter: { kb: { $in: [kb.id] } } });

    await deleteDocument(docs, kb.id, inventory.id);
    expect([...mem.vectors.values()].filter((v) => v.metadata?.doc === inventory.id)).toEqual([]);
    expect(mem.vectors.size).toBe(5);
  });
});
