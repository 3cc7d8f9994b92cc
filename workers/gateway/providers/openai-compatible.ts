/**
 * Any host that speaks OpenAI's Chat Completions (Groq, Together, vLLM, our own trained
 * models): the openai SDK pointed at the tenant's base URL. Such hosts rarely implement the
 * Responses API, so Responses callers are served by translating to chat.
 */
import { embeddingsCreate, listOpenAIModels, openAIGenerate } from "./openai";
import type { ProviderAdapter } from "./types";

export const openAICompatibleAdapter: ProviderAdapter = {
  kind: "openai-compatible",
  wireFormatFor: () => "openai-chat",
  generate: openAIGenerate,
  embed: embeddingsCreate,
  listModels: listOpenAIModels,
};
