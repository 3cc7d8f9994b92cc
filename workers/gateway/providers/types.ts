/**
 * The one interface every provider adapter implements. The call path picks an adapter
 * from the registry by the target's kind and never asks which provider it is talking to.
 */
import type { ProviderKind } from "../../../d1/schema";
import type { WireFormat } from "../translate";

/** A resolved upstream: who serves the call, with which model and which credentials. */
export type ProviderTarget = {
  /** "openai", "anthropic", or the tenant's own provider name (e.g. "groq"). */
  name: string;
  kind: ProviderKind;
  /** The model name the provider knows. */
  model: string;
  baseURL: string;
  apiKey: string;
};

/** Per-call transport settings. */
export type UpstreamOptions = {
  /** Aborts the upstream call, e.g. when the client disconnects. */
  signal?: AbortSignal;
  /** How long to wait for the upstream's response headers. */
  timeoutMs: number;
};

/** A request body in a provider's wire format, already translated. */
export type UpstreamBody = Record<string, unknown>;

export type ProviderAdapter = {
  readonly kind: ProviderKind;
  /** The wire format this provider is spoken to in, for a client speaking `client`. */
  wireFormatFor(client: WireFormat): WireFormat;
  /**
   * Sends a generation request in `format` (one `wireFormatFor` returned) and resolves to
   * the raw upstream response: JSON, or SSE bytes when `body.stream` is true. Upstream
   * failures reject with an AppError (see ./errors.ts).
   */
  generate(target: ProviderTarget, format: WireFormat, body: UpstreamBody, opts: UpstreamOptions): Promise<Response>;
  /** Embeddings in OpenAI's format; absent when the provider has none. */
  embed?(target: ProviderTarget, body: UpstreamBody, opts: UpstreamOptions): Promise<Response>;
  /** The model ids the provider itself lists. */
  listModels(target: ProviderTarget, opts: UpstreamOptions): Promise<string[]>;
};
