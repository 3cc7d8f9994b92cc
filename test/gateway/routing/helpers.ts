/**
 * Builders for routing tests: rules from YAML (as a tenant writes them), requests as
 * features, and a target-info table.
 */
import { parseRoutingRules, type RequestFeatures, type RoutingRules, type TargetInfo } from "../../../workers/gateway/routing";

export function rulesOf(yaml: string): RoutingRules {
  const r = parseRoutingRules(yaml);
  if (!r.ok) throw new Error(`test rules do not parse: ${JSON.stringify(r.errors)}`);
  return r.rules;
}

export function request(over: Partial<RequestFeatures> = {}): RequestFeatures {
  return {
    model: "gpt-4o",
    tags: [],
    metadata: {},
    estimatedPromptTokens: 1000,
    maxOutputTokens: null,
    needs: { tools: false, json: false, vision: false },
    stream: false,
    now: Date.UTC(2026, 2, 4, 15, 0),
    timezone: "UTC",
    ...over,
  };
}

const FULL_CAPS = { tools: true, json: true, vision: true };

/** Info for a target with the given overrides; unknown models get all-unknown info. */
export function infoTable(table: Record<string, Partial<TargetInfo>>): (model: string) => TargetInfo {
  return (model) => ({ price: null, contextWindow: null, capabilities: null, latencyMs: null, circuit: "closed", ...(table[model] ?? {}) });
}

export function capable(over: Partial<TargetInfo> = {}): Partial<TargetInfo> {
  return { capabilities: FULL_CAPS, contextWindow: 128_000, ...over };
}

/** A random() that answers the given draws in turn. */
export function draws(...values: number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length] ?? 0;
}

/** A small, valid routing document: a fallback rule with retry and cache, and a weighted after-hours rule. */
export const SAMPLE_RULES = `rules:
  - name: lead-replies
    match: { task: lead-reply }
    targets: [anthropic/claude-3-5-haiku-latest, openai/gpt-4o-mini]
    retry: { attempts: 2, on: [429, 503] }
    cache: { ttl_seconds: 300 }
  - name: after-hours
    match: { hours: "21:00-08:00", model: gpt-4o }
    strategy: weighted
    targets: [{ model: openai/gpt-4o-mini, weight: 80 }, { model: openai/gpt-4o, weight: 20 }]
`;
