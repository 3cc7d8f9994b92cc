/**
 * Hybrid retrieval over a tenant's knowledge bases, the function assistants call:
 *
 *   score = VECTOR_WEIGHT x max(0, cosine) + LEXICAL_WEIGHT x (BM25 / best BM25 of this query)
 *
 * Candidates are the union of the vector store's nearest chunks and the lexical index's best
 * matches (CANDIDATES_PER_RESULT per result asked, at least MIN_CANDIDATES of each); a chunk
 * found by only one side scores 0 on the other. Each hit carries its citation.
 */
import { and, asc, eq, gt, inArray } from "drizzle-orm";
import { knowledgeChunks, knowledgeDocuments } from "../../d1/schema";
import type { TenantScope } from "../db";
import { AppError } from "../errors";
import { getKnowledgeBases, type KnowledgeBaseRow } from "./bases";
import { ttlCache } from "../lib/ttl-cache";
import { versionedCache } from "./cache";
import type { KnowledgeDeps } from "./deps";
import { embedTexts } from "./embed";
import { buildLexicalIndex, lexicalSearch, type LexicalIndex } from "./lexical";
import { vectorStoreFor } from "./store";

export const VECTOR_WEIGHT = 0.5;
export const LEXICAL_WEIGHT = 0.5;
export const DEFAULT_TOP_K = 5;
export const MAX_TOP_K = 50;
const CANDIDATES_PER_RESULT = 4;
const MIN_CANDIDATES = 40;
const PAGE = 2000;

export type KnowledgeSearchInput = { tenantId: string; knowledgeBaseIds: string[]; query: string; topK?: number };

export type Citation = { documentId: string; documentName: string; title: string | null; chunkIndex: number };

export type KnowledgeHit = {
  chunkId: string;
  documentId: string;
  documentName: string;
  title: string | null;
  text: string;
  score: number;
  citation: Citation;
};

const lexicalIndexes = versionedCache<LexicalIndex>(16);

// Visitors ask the same questions again and again; an embedding of the same text by the same
// model never changes, so the isolate keeps recent query vectors (per tenant) and skips the
// provider round trip that would otherwise sit in front of the first token.
const queryVectors = ttlCache<Float32Array | undefined>(10 * 60_000, 2_000);
const normalised = (query: string) => query.trim().toLowerCase().replace(/\s+/g, " ");

async function loadLexical(scope: TenantScope, kbId: string): Promise<LexicalIndex> {
  const chunks: { id: string; text: string }[] = [];
  let after = "";
  for (;;) {
    const page = await scope.db
      .select({ id: knowledgeChunks.id, title: knowledgeChunks.title, text: knowledgeChunks.text })
      .from(knowledgeChunks)
      .where(and(eq(knowledgeChunks.tenantId, scope.tenantId), eq(knowledgeChunks.knowledgeBaseId, kbId), gt(knowledgeChunks.id, after)))
      .orderBy(asc(knowledgeChunks.id))
      .limit(PAGE);
    for (const c of page) chunks.push({ id: c.id, text: c.title ? `${c.title}\n${c.text}` : c.text });
    if (page.length < PAGE) break;
    after = page[page.length - 1]?.id ?? after;
  }
  return buildLexicalIndex(chunks);
}

/** Cosine similarity per chunk for the bases of one embedding model. */
async function vectorScores(deps: KnowledgeDeps, scope: TenantScope, kbs: KnowledgeBaseRow[], query: string, k: number): Promise<Map<string, number>> {
  const first = kbs[0];
  if (!first) return new Map();
  const embed = { gateway: deps.gateway, tenantId: scope.tenantId, apiKeyId: deps.apiKeyId, userId: deps.userId };
  const ids = kbs.map((kb) => kb.id);
  const key = `${scope.tenantId}|${first.embeddingModel}|${first.dimensions}|${normalised(query)}`;
  const vector = await queryVectors.get(key, async () => (await embedTexts(embed, { model: first.embeddingModel, dimensions: first.dimensions, knowledgeBaseIds: ids, requestId: deps.requestId }, [query]))[0]);
  if (!vector) return new Map();
  const hits = await vectorStoreFor(scope, deps.vectorize).search(kbs, vector, k);
  return new Map(hits.map((h) => [h.chunkId, h.score]));
}

/** BM25 per chunk across the bases. */
async function lexicalScores(scope: TenantScope, kbs: KnowledgeBaseRow[], query: string, k: number): Promise<Map<string, number>> {
  const indexes = await Promise.all(kbs.map((kb) => lexicalIndexes.get(kb.id, kb.version, () => loadLexical(scope, kb.id))));
  return new Map(lexicalSearch(indexes, query, k).map((h) => [h.chunkId, h.score]));
}

function combine(vector: Map<string, number>, lexical: Map<string, number>, topK: number): { chunkId: string; score: number }[] {
  const best = Math.max(0, ...lexical.values());
  const ids = new Set([...vector.keys(), ...lexical.keys()]);
  return [...ids]
    .map((chunkId) => {
      const lex = best > 0 ? (lexical.get(chunkId) ?? 0) / best : 0;
      return { chunkId, score: VECTOR_WEIGHT * Math.max(0, vector.get(chunkId) ?? 0) + LEXICAL_WEIGHT * lex };
    })
    .sort((x, y) => y.score - x.score)
    .slice(0, topK);
}

async function hydrate(scope: TenantScope, ranked: { chunkId: string; score: number }[]): Promise<KnowledgeHit[]> {
  if (ranked.length === 0) return [];
  const rows = await scope.db
    .select({ chunk: knowledgeChunks, documentName: knowledgeDocuments.name })
    .from(knowledgeChunks)
    .innerJoin(knowledgeDocuments, eq(knowledgeDocuments.id, knowledgeChunks.documentId))
    .where(and(eq(knowledgeChunks.tenantId, scope.tenantId), inArray(knowledgeChunks.id, ranked.map((r) => r.chunkId)), eq(knowledgeDocuments.status, "ready")));
  const byId = new Map(rows.map((r) => [r.chunk.id, r]));
  return ranked.flatMap(({ chunkId, score }) => {
    const row = byId.get(chunkId);
    if (!row) return [];
    const { chunk, documentName } = row;
    const citation = { documentId: chunk.documentId, documentName, title: chunk.title, chunkIndex: chunk.chunkIndex };
    return [{ chunkId, documentId: chunk.documentId, documentName, title: chunk.title, text: chunk.text, score: Math.round(score * 1e4) / 1e4, citation }];
  });
}

/** The chunks of the tenant's bases that best answer `query`, best first, with citations. */
export async function searchKnowledge(deps: KnowledgeDeps, input: KnowledgeSearchInput): Promise<KnowledgeHit[]> {
  const query = input.query.trim();
  if (!query) throw new AppError("validation_failed", "The query is empty", [{ path: "query", message: "empty" }]);
  const topK = Math.min(Math.max(1, input.topK ?? DEFAULT_TOP_K), MAX_TOP_K);
  const scope = { db: deps.db, tenantId: input.tenantId };
  const kbs = await getKnowledgeBases(scope, input.knowledgeBaseIds);
  const k = Math.max(MIN_CANDIDATES, topK * CANDIDATES_PER_RESULT);
  // Bases embedded with different models (or dimensions) each need the query embedded their way.
  const groups = new Map<string, KnowledgeBaseRow[]>();
  for (const kb of kbs) groups.set(`${kb.embeddingModel}|${kb.dimensions}`, [...(groups.get(`${kb.embeddingModel}|${kb.dimensions}`) ?? []), kb]);
  const [vectorMaps, lexical] = await Promise.all([Promise.all([...groups.values()].map((g) => vectorScores(deps, scope, g, query, k))), lexicalScores(scope, kbs, query, k)]);
  const vector = new Map(vectorMaps.flatMap((m) => [...m]));
  return hydrate(scope, combine(vector, lexical, topK));
}
