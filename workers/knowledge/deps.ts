/**
 * What knowledge-base functions need from the Worker, built once per request (or per
 * pipeline run): the database, the file bucket, the gateway for embeddings, the optional
 * Vectorize binding, and who is asking (for the usage log).
 */
import type { Db } from "../db";
import { gatewayDepsOf, type GatewayDeps } from "../gateway/call";
import type { DocumentDeps } from "./documents";
import { vectorizeOf, vectorStoreFor } from "./store";
import type { VectorizeBinding } from "./store/vectorize";

export type KnowledgeDeps = {
  db: Db;
  files: R2Bucket;
  gateway: GatewayDeps;
  /** When set, vectors live in Vectorize instead of D1. */
  vectorize?: VectorizeBinding;
  requestId: string;
  apiKeyId: string | null;
  userId: string | null;
};

export function knowledgeDepsOf(
  env: Env,
  db: Db,
  waitUntil: (p: Promise<unknown>) => void,
  who: { requestId: string; apiKeyId?: string | null; userId?: string | null },
): KnowledgeDeps {
  const deps: KnowledgeDeps = { db, files: env.FILES, gateway: gatewayDepsOf(env, db, waitUntil), requestId: who.requestId, apiKeyId: who.apiKeyId ?? null, userId: who.userId ?? null };
  const vectorize = vectorizeOf(env);
  return vectorize ? { ...deps, vectorize } : deps;
}

/** The deps of document functions for one tenant. */
export function documentDepsOf(deps: KnowledgeDeps, tenantId: string): DocumentDeps {
  const scope = { db: deps.db, tenantId };
  return {
    ...scope,
    files: deps.files,
    store: vectorStoreFor(scope, deps.vectorize),
    embed: { gateway: deps.gateway, tenantId, apiKeyId: deps.apiKeyId, userId: deps.userId },
    requestId: deps.requestId,
  };
}
