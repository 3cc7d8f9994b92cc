/**
 * POST /openai/v1/embeddings: deterministic unit vectors derived from each input (identical
 * inputs, identical vectors), as float arrays or base64 little-endian float32.
 */
import type { ServerResponse } from "node:http";
import { z } from "zod";
import type { Knobs } from "./faults.ts";
import { randomId } from "./http.ts";
import { OPENAI_EMBEDDING_DIMS, isOpenModel } from "./models.ts";
import type { OpenAIEndpoint } from "./openai.ts";
import { sendJsonMaybeCut } from "./sse.ts";
import { countTokens, hash32 } from "./text.ts";

const tokens = z.array(z.number().int());
const embeddingsBody = z.looseObject({
  model: z.string().min(1),
  input: z.union([z.string(), z.array(z.string()).min(1), tokens.min(1), z.array(tokens).min(1)]),
  dimensions: z.number().int().min(1).max(8192).optional(),
  encoding_format: z.enum(["float", "base64"]).optional(),
});
type EmbeddingsBody = z.infer<typeof embeddingsBody>;

/** Inputs as strings (token arrays become their joined ids) plus their token counts. */
function inputs(input: EmbeddingsBody["input"]): Array<{ key: string; tokens: number }> {
  if (typeof input === "string") return [{ key: input, tokens: countTokens(input) }];
  if (input.every((x) => typeof x === "number")) return [{ key: `#${input.join(",")}`, tokens: input.length }];
  return input.map((x) => (typeof x === "string" ? { key: x, tokens: countTokens(x) } : { key: `#${x.join(",")}`, tokens: x.length }));
}

/** A unit vector seeded by the text (mulberry32 values in [-1, 1), then normalised). */
export function embed(text: string, dims: number): Float32Array {
  let s = hash32(text);
  const v = new Float32Array(dims);
  let norm = 0;
  for (let i = 0; i < dims; i++) {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    const x = (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
    v[i] = x;
    norm += x * x;
  }
  const scale = 1 / Math.sqrt(norm || 1);
  for (let i = 0; i < dims; i++) v[i] = v[i]! * scale;
  return v;
}

function encode(v: Float32Array, format: "float" | "base64"): number[] | string {
  if (format === "base64") return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString("base64");
  return Array.from(v);
}

function answer(res: ServerResponse, body: EmbeddingsBody, knobs: Knobs | undefined): Promise<void> | void {
  const dims = body.dimensions ?? OPENAI_EMBEDDING_DIMS[body.model] ?? 1536;
  const items = inputs(body.input);
  const format = body.encoding_format ?? "float";
  const data = items.map((it, index) => ({ object: "embedding", index, embedding: encode(embed(it.key, dims), format) }));
  const total = items.reduce((n, it) => n + it.tokens, 0);
  const out = { object: "list", data, model: body.model, usage: { prompt_tokens: total, total_tokens: total } };
  return sendJsonMaybeCut(res, out, knobs, { "x-request-id": randomId("req_") });
}

/** The embeddings endpoint. */
export const embeddingsEndpoint: OpenAIEndpoint<EmbeddingsBody> = {
  schema: embeddingsBody,
  serves: (model) => model in OPENAI_EMBEDDING_DIMS || isOpenModel(model),
  answer,
};
