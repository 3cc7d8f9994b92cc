/**
 * OpenAI through the official SDK. Every call ends in `.asResponse()`: the gateway wants
 * the upstream bytes (SSE for streams) to translate or pass on, not the SDK's objects.
 * Retries are off here because retrying and failing over belong to the router.
 */
import OpenAI from "openai";
import type { ChatCompletionCreateParamsBase } from "openai/resources/chat/completions";
import type { EmbeddingCreateParams } from "openai/resources/embeddings";
import type { ResponseCreateParamsBase } from "openai/resources/responses/responses";
import { AppError } from "../../errors";
import type { WireFormat } from "../translate";
import { viaSdk } from "./errors";
import type { ProviderAdapter, ProviderTarget, UpstreamBody, UpstreamOptions } from "./types";

export const OPENAI_DEFAULT_BASE_URL = "https://api.openai.com/v1";

const clients = new Map<string, OpenAI>();
// A bound on distinct (host, key) pairs, so a churn of tenant keys cannot grow memory forever.
const MAX_CLIENTS = 500;

/** One SDK client per (baseURL, apiKey), reused across calls in this isolate. */
export function openAIClient(target: ProviderTarget): OpenAI {
  const key = `${target.baseURL}\u0000${target.apiKey}`;
  let client = clients.get(key);
  if (!client) {
    if (clients.size >= MAX_CLIENTS) clients.clear();
    client = new OpenAI({ apiKey: target.apiKey, baseURL: target.baseURL, maxRetries: 0 });
    clients.set(key, client);
  }
  return client;
}

function isChatBody(b: UpstreamBody): b is UpstreamBody & ChatCompletionCreateParamsBase {
  return typeof b.model === "string" && Array.isArray(b.messages);
}

function isResponsesBody(b: UpstreamBody): b is UpstreamBody & ResponseCreateParamsBase {
  return typeof b.model === "string" && b.input !== undefined;
}

function isEmbeddingBody(b: UpstreamBody): b is UpstreamBody & EmbeddingCreateParams {
  return typeof b.model === "string" && b.input !== undefined;
}

function requestOptions(opts: UpstreamOptions) {
  return { timeout: opts.timeoutMs, maxRetries: 0, ...(opts.signal ? { signal: opts.signal } : {}) };
}

function malformed(what: string): never {
  throw new AppError("bad_request", `The request is not a valid ${what} request`);
}

/** POST /chat/completions, raw. */
export function chatCompletion(target: ProviderTarget, body: UpstreamBody, opts: UpstreamOptions): Promise<Response> {
  if (!isChatBody(body)) malformed("chat completions");
  return viaSdk(target.name, () => openAIClient(target).chat.completions.create(body, requestOptions(opts)).asResponse());
}

/** POST /responses, raw. */
export function responsesCreate(target: ProviderTarget, body: UpstreamBody, opts: UpstreamOptions): Promise<Response> {
  if (!isResponsesBody(body)) malformed("responses");
  return viaSdk(target.name, () => openAIClient(target).responses.create(body, requestOptions(opts)).asResponse());
}

/**
 * POST /embeddings, raw. The SDK would ask for base64 when the caller named no encoding,
 * but the API's own default is float, which is what a caller without the SDK expects back.
 */
export function embeddingsCreate(target: ProviderTarget, body: UpstreamBody, opts: UpstreamOptions): Promise<Response> {
  const withEncoding = { ...body, encoding_format: body.encoding_format ?? "float" };
  if (!isEmbeddingBody(withEncoding)) malformed("embeddings");
  return viaSdk(target.name, () => openAIClient(target).embeddings.create(withEncoding, requestOptions(opts)).asResponse());
}

/** GET /models: the ids the host lists. */
export function listOpenAIModels(target: ProviderTarget, opts: UpstreamOptions): Promise<string[]> {
  return viaSdk(target.name, async () => {
    const ids: string[] = [];
    for await (const model of openAIClient(target).models.list(requestOptions(opts))) ids.push(model.id);
    return ids;
  });
}

/** Sends `body` in `format`; only the OpenAI formats are spoken to OpenAI-style hosts. */
export function openAIGenerate(target: ProviderTarget, format: WireFormat, body: UpstreamBody, opts: UpstreamOptions): Promise<Response> {
  if (format === "openai-chat") return chatCompletion(target, body, opts);
  if (format === "openai-responses") return responsesCreate(target, body, opts);
  throw new AppError("internal_error", `${target.name} does not speak ${format}`);
}

export const openAIAdapter: ProviderAdapter = {
  kind: "openai",
  // Anthropic-format callers are served through Chat Completions.
  wireFormatFor: (client) => (client === "openai-responses" ? "openai-responses" : "openai-chat"),
  generate: openAIGenerate,
  embed: embeddingsCreate,
  listModels: listOpenAIModels,
};
