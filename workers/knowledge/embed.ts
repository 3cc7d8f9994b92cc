/**
 * Embeddings for knowledge bases, asked of the gateway in process: the tenant's routing,
 * budgets, rate limits and usage log apply as to any call, tagged `knowledge` and `kb:<id>`
 * so the spend of each base can be told apart.
 */
import { z } from "zod";
import { AppError } from "../errors";
import { embed } from "../gateway/embed";
import type { GatewayDeps } from "../gateway/call";
import { decodeVector } from "./vector";

/** Inputs per embeddings call. */
export const EMBED_BATCH = 64;
const PARALLEL_CALLS = 4;

const EmbeddingsReply = z.object({
  data: z.array(z.object({ index: z.number().int().nonnegative(), embedding: z.union([z.string(), z.array(z.number())]) })),
});

export type EmbedDeps = {
  gateway: GatewayDeps;
  tenantId: string;
  apiKeyId: string | null;
  userId: string | null;
};

export type EmbedRequest = { model: string; dimensions: number; knowledgeBaseIds: string[]; requestId: string };

function jsonOrNull(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

async function embedBatch(deps: EmbedDeps, req: EmbedRequest, texts: string[], requestId: string): Promise<Float32Array[]> {
  const result = await embed(deps.gateway, {
    requestId,
    caller: { tenantId: deps.tenantId, apiKeyId: deps.apiKeyId, userId: deps.userId, tags: ["knowledge", ...req.knowledgeBaseIds.map((id) => `kb:${id}`)] },
    endpoint: "/v1/embeddings",
    format: "openai-chat",
    body: { model: req.model, input: texts, dimensions: req.dimensions, encoding_format: "base64" },
    metadata: {},
    headers: new Headers(),
  });
  const parsed = EmbeddingsReply.safeParse(jsonOrNull(result.text));
  if (!parsed.success || parsed.data.data.length !== texts.length) {
    throw new AppError("upstream_error", `The embedding model ${req.model} answered with an unexpected body`);
  }
  const out = new Array<Float32Array>(texts.length);
  for (const item of parsed.data.data) {
    const v = typeof item.embedding === "string" ? decodeVector(item.embedding) : Float32Array.from(item.embedding);
    if (v.length !== req.dimensions) {
      throw new AppError("upstream_error", `The embedding model ${req.model} returned ${v.length} dimensions; this knowledge base uses ${req.dimensions}`);
    }
    out[item.index] = v;
  }
  return out;
}

/** One vector per text, in order, asked EMBED_BATCH at a time. */
export async function embedTexts(deps: EmbedDeps, req: EmbedRequest, texts: string[]): Promise<Float32Array[]> {
  const batches: string[][] = [];
  for (let i = 0; i < texts.length; i += EMBED_BATCH) batches.push(texts.slice(i, i + EMBED_BATCH));
  const results: Float32Array[][] = new Array(batches.length);
  for (let i = 0; i < batches.length; i += PARALLEL_CALLS) {
    const wave = batches.slice(i, i + PARALLEL_CALLS);
    const done = await Promise.all(wave.map((b, j) => embedBatch(deps, req, b, batches.length === 1 ? req.requestId : `${req.requestId}:${i + j}`)));
    done.forEach((r, j) => (results[i + j] = r));
  }
  return results.flat();
}
