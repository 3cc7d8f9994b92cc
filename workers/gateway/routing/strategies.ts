/**
 * How each strategy orders the targets that can serve a request. Pure; randomness comes
 * in as `random()` so a test can fix the draw.
 */
import type { RequestFeatures } from "./features";
import type { RuleTarget, Strategy, TargetInfo } from "./types";

export type Candidate = { target: RuleTarget; info: TargetInfo };
export type Ordered = { ordered: Candidate[]; note: string };

/** Output tokens assumed for a cost estimate when the request sets no limit. */
export const EXPECTED_OUTPUT_TOKENS = 500;

function byWeightDesc(a: Candidate, b: Candidate): number {
  return (b.target.weight ?? 0) - (a.target.weight ?? 0);
}

function weighted(cands: Candidate[], random: () => number): Ordered {
  const total = cands.reduce((s, c) => s + (c.target.weight ?? 0), 0);
  if (total <= 0) return { ordered: cands, note: "none of the targets left has a weight above 0, so they go in the order written" };
  const draw = random() * total;
  let acc = 0;
  const picked = cands.find((c) => (acc += c.target.weight ?? 0) > draw) ?? cands[cands.length - 1];
  const rest = cands.filter((c) => c !== picked).sort(byWeightDesc);
  const first = picked ? [picked] : [];
  return {
    ordered: [...first, ...rest],
    note: `drew ${draw.toFixed(2)} of total weight ${total}: ${picked?.target.model} (weight ${picked?.target.weight ?? 0}) first, the rest by weight`,
  };
}

/** Estimated USD for this request on a target; null when its price is unknown. */
export function estimatedCostUsd(info: TargetInfo, f: RequestFeatures): number | null {
  if (!info.price) return null;
  const output = f.maxOutputTokens ?? EXPECTED_OUTPUT_TOKENS;
  return (f.estimatedPromptTokens * info.price.inputPerMtok + output * info.price.outputPerMtok) / 1e6;
}

function sortByKnown(cands: Candidate[], value: (c: Candidate) => number | null): Candidate[] {
  // Array.prototype.sort is stable: unknowns keep the order written, after every known value.
  return [...cands].sort((a, b) => {
    const va = value(a);
    const vb = value(b);
    if (va === null || vb === null) return va === null ? (vb === null ? 0 : 1) : -1;
    return va - vb;
  });
}

function cheapest(cands: Candidate[], f: RequestFeatures): Ordered {
  const ordered = sortByKnown(cands, (c) => estimatedCostUsd(c.info, f));
  const costs = ordered.map((c) => {
    const usd = estimatedCostUsd(c.info, f);
    return `${c.target.model} ${usd === null ? "price unknown" : `$${usd.toFixed(6)}`}`;
  });
  const out = f.maxOutputTokens ?? EXPECTED_OUTPUT_TOKENS;
  return { ordered, note: `estimated for ~${f.estimatedPromptTokens} prompt + ${out} output tokens: ${costs.join(", ")}` };
}

function lowestLatency(cands: Candidate[]): Ordered {
  const ordered = sortByKnown(cands, (c) => c.info.latencyMs);
  const seen = ordered.map((c) => `${c.target.model} ${c.info.latencyMs === null ? "no data yet" : `${Math.round(c.info.latencyMs)} ms`}`);
  return { ordered, note: `by recent latency: ${seen.join(", ")}` };
}

function canary(cands: Candidate[], random: () => number): Ordered {
  const challenger = cands.find((c) => c.target.canaryPercent !== null);
  const champions = cands.filter((c) => c !== challenger);
  if (!challenger) return { ordered: champions, note: "the challenger cannot take this request, so the champion serves it" };
  if (champions.length === 0) return { ordered: [challenger], note: "only the challenger can take this request" };
  const percent = challenger.target.canaryPercent ?? 0;
  const draw = random() * 100;
  const toChallenger = draw < percent;
  return {
    ordered: toChallenger ? [challenger, ...champions] : [...champions, challenger],
    note: `drew ${draw.toFixed(1)} against canary_percent ${percent}: ${toChallenger ? `challenger ${challenger.target.model}` : `champion ${champions[0]?.target.model}`} first, the other as fallback`,
  };
}

/** Orders the targets that can serve the request; `note` says how, for the plan's reason. */
export function orderTargets(strategy: Strategy, cands: Candidate[], f: RequestFeatures, random: () => number): Ordered {
  switch (strategy) {
    case "weighted":
      return weighted(cands, random);
    case "cheapest":
      return cheapest(cands, f);
    case "lowest_latency":
      return lowestLatency(cands);
    case "canary":
      return canary(cands, random);
    case "fallback":
      return { ordered: cands, note: "targets in the order written" };
  }
}
