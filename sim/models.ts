/**
 * The model names each simulated provider knows. Fine-tuned (`ft:*`) and `sim-*` names are
 * accepted too, so models trained later can be routed before anyone lists them here.
 */

/** OpenAI chat models. */
export const OPENAI_CHAT_MODELS = ["gpt-4o", "gpt-4o-mini", "gpt-4.1", "gpt-4.1-mini", "o4-mini"] as const;
/** OpenAI embedding models with their default dimensions. */
export const OPENAI_EMBEDDING_DIMS: Readonly<Record<string, number>> = {
  "text-embedding-3-small": 1536,
  "text-embedding-3-large": 3072,
};
/** Anthropic models. */
export const ANTHROPIC_MODELS = [
  "claude-3-5-haiku-latest",
  "claude-3-5-sonnet-latest",
  "claude-sonnet-4-5",
  "claude-opus-4-1",
  "claude-3-haiku-20240307",
] as const;

const OPENAI_KNOWN = new Set<string>([...OPENAI_CHAT_MODELS, ...Object.keys(OPENAI_EMBEDDING_DIMS)]);
const ANTHROPIC_KNOWN = new Set<string>(ANTHROPIC_MODELS);

/** Models nobody listed but the simulator serves anyway (fine-tunes and test models). */
export function isOpenModel(model: string): boolean {
  return model.startsWith("ft:") || model.startsWith("sim-");
}

/** True when the OpenAI side serves `model`. */
export function openaiKnows(model: string): boolean {
  return OPENAI_KNOWN.has(model) || isOpenModel(model);
}

/** True when the Anthropic side serves `model`. */
export function anthropicKnows(model: string): boolean {
  return ANTHROPIC_KNOWN.has(model) || isOpenModel(model);
}

/** Every listed OpenAI model id. */
export function openaiModelIds(): string[] {
  return [...OPENAI_KNOWN];
}
