/**
 * Where chunk vectors live and how the nearest are found. D1 (store/d1.ts) is the default
 * and runs anywhere, Vectorize (store/vectorize.ts) is for production scale; search code
 * sees only this interface.
 */

/** A knowledge base as search names it: its version says whether cached vectors are current. */
export type KbRef = { id: string; version: number };

export type VectorRecord = { chunkId: string; knowledgeBaseId: string; documentId: string; vector: Float32Array };

export type VectorHit = { chunkId: string; score: number };

export interface VectorStore {
  /** Adds or replaces the vectors of these chunks. */
  upsert(records: VectorRecord[]): Promise<void>;
  /** The `topK` chunks of these bases nearest to `vector` by cosine similarity, best first. */
  search(kbs: KbRef[], vector: Float32Array, topK: number): Promise<VectorHit[]>;
  /** Removes every vector of one document. */
  delete(documentId: string): Promise<void>;
}
