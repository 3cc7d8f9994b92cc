/**
 * Picks the vector store: Vectorize when the Worker has a VECTORIZE binding, D1 otherwise.
 */
import type { TenantScope } from "../../db";
import { d1VectorStore } from "./d1";
import type { VectorStore } from "./types";
import { isVectorizeBinding, vectorizeStore, type VectorizeBinding } from "./vectorize";

export type { KbRef, VectorHit, VectorRecord, VectorStore } from "./types";

/** The optional VECTORIZE binding (not declared in wrangler.toml, so absent from the generated Env). */
export function vectorizeOf(env: Env): VectorizeBinding | undefined {
  const value: unknown = Reflect.get(env, "VECTORIZE");
  return isVectorizeBinding(value) ? value : undefined;
}

export function vectorStoreFor(scope: TenantScope, vectorize?: VectorizeBinding): VectorStore {
  return vectorize ? vectorizeStore(vectorize, scope) : d1VectorStore(scope);
}
