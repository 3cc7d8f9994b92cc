/**
 * Models known out of the box: provider, kind, limits, capabilities and the public list
 * price in USD per million tokens. The prices seed the platform rows of the `prices`
 * table (d1/migrations/*_default_prices.sql); the table, not this list, is what billing reads.
 */

export type CatalogModel = {
  id: string;
  provider: "openai" | "anthropic";
  kind: "chat" | "embedding";
  contextWindow: number;
  maxOutput: number;
  capabilities: { tools: boolean; json: boolean; vision: boolean };
  price: { inputPerMtok: number; outputPerMtok: number; cachedInputPerMtok: number | null };
};

const OPENAI_CHAT = { tools: true, json: true, vision: true } as const;
// Anthropic has no response_format switch; JSON output is a prompt matter there.
const CLAUDE = { tools: true, json: false, vision: true } as const;
const EMBEDDING = { tools: false, json: false, vision: false } as const;

export const CATALOG: readonly CatalogModel[] = [
  { id: "gpt-4o", provider: "openai", kind: "chat", contextWindow: 128_000, maxOutput: 16_384, capabilities: OPENAI_CHAT, price: { inputPerMtok: 2.5, outputPerMtok: 10, cachedInputPerMtok: 1.25 } },
  { id: "gpt-4o-mini", provider: "openai", kind: "chat", contextWindow: 128_000, maxOutput: 16_384, capabilities: OPENAI_CHAT, price: { inputPerMtok: 0.15, outputPerMtok: 0.6, cachedInputPerMtok: 0.075 } },
  { id: "gpt-4.1", provider: "openai", kind: "chat", contextWindow: 1_047_576, maxOutput: 32_768, capabilities: OPENAI_CHAT, price: { inputPerMtok: 2, outputPerMtok: 8, cachedInputPerMtok: 0.5 } },
  { id: "gpt-4.1-mini", provider: "openai", kind: "chat", contextWindow: 1_047_576, maxOutput: 32_768, capabilities: OPENAI_CHAT, price: { inputPerMtok: 0.4, outputPerMtok: 1.6, cachedInputPerMtok: 0.1 } },
  { id: "o4-mini", provider: "openai", kind: "chat", contextWindow: 200_000, maxOutput: 100_000, capabilities: OPENAI_CHAT, price: { inputPerMtok: 1.1, outputPerMtok: 4.4, cachedInputPerMtok: 0.275 } },
  { id: "text-embedding-3-small", provider: "openai", kind: "embedding", contextWindow: 8_191, maxOutput: 0, capabilities: EMBEDDING, price: { inputPerMtok: 0.02, outputPerMtok: 0, cachedInputPerMtok: null } },
  { id: "text-embedding-3-large", provider: "openai", kind: "embedding", contextWindow: 8_191, maxOutput: 0, capabilities: EMBEDDING, price: { inputPerMtok: 0.13, outputPerMtok: 0, cachedInputPerMtok: null } },
  { id: "claude-3-5-haiku-latest", provider: "anthropic", kind: "chat", contextWindow: 200_000, maxOutput: 8_192, capabilities: CLAUDE, price: { inputPerMtok: 0.8, outputPerMtok: 4, cachedInputPerMtok: 0.08 } },
  { id: "claude-3-5-sonnet-latest", provider: "anthropic", kind: "chat", contextWindow: 200_000, maxOutput: 8_192, capabilities: CLAUDE, price: { inputPerMtok: 3, outputPerMtok: 15, cachedInputPerMtok: 0.3 } },
  { id: "claude-sonnet-4-5", provider: "anthropic", kind: "chat", contextWindow: 200_000, maxOutput: 64_000, capabilities: CLAUDE, price: { inputPerMtok: 3, outputPerMtok: 15, cachedInputPerMtok: 0.3 } },
  { id: "claude-opus-4-1", provider: "anthropic", kind: "chat", contextWindow: 200_000, maxOutput: 32_000, capabilities: CLAUDE, price: { inputPerMtok: 15, outputPerMtok: 75, cachedInputPerMtok: 1.5 } },
  { id: "claude-3-haiku-20240307", provider: "anthropic", kind: "chat", contextWindow: 200_000, maxOutput: 4_096, capabilities: CLAUDE, price: { inputPerMtok: 0.25, outputPerMtok: 1.25, cachedInputPerMtok: 0.03 } },
];

const byKey = new Map(CATALOG.map((m) => [`${m.provider}/${m.id}`, m]));

/** The catalog entry for `provider/id`, or undefined for models we do not know. */
export function catalogModel(provider: string, id: string): CatalogModel | undefined {
  return byKey.get(`${provider}/${id}`);
}
