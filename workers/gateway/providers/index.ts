/**
 * The adapter registry, keyed by provider kind. Adding a provider is one file plus one
 * line here; nothing upstream of this registry knows which providers exist.
 */
import type { ProviderKind } from "../../../d1/schema";
import { anthropicAdapter } from "./anthropic";
import { openAIAdapter } from "./openai";
import { openAICompatibleAdapter } from "./openai-compatible";
import type { ProviderAdapter } from "./types";

const ADAPTERS: Record<ProviderKind, ProviderAdapter> = {
  openai: openAIAdapter,
  anthropic: anthropicAdapter,
  "openai-compatible": openAICompatibleAdapter,
};

export function adapterFor(kind: ProviderKind): ProviderAdapter {
  return ADAPTERS[kind];
}

export type { ProviderAdapter, ProviderTarget, UpstreamBody, UpstreamOptions } from "./types";
