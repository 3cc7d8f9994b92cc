/**
 * The planner: a tenant's rules + one request -> the targets to try, in order, each with
 * its retry policy and timeout, and a reason a person can read. Pure: what it knows about
 * targets (prices, limits, health) comes in through `info`, randomness through `random`.
 */
import type { RequestFeatures } from "./features";
import { matchRule } from "./match";
import { orderTargets, type Candidate } from "./strategies";
import { REQUESTED_MODEL, type Need, type PlannedTarget, type RetryPolicy, type RoutePlan, type Rule, type RoutingRules, type TargetInfo } from "./types";

/** No retries on the same target; 408, 429 and 5xx fail over to the next one. */
export const DEFAULT_RETRY: RetryPolicy = {
  attempts: 1,
  backoff: "exponential",
  delayMs: 250,
  maxDelayMs: 5_000,
  onStatuses: [408, 429, 500, 502, 503, 504],
  honorRetryAfter: true,
};

/** The timeout when no rule sets one: a stream's first bytes, or a whole answer. */
export function defaultTimeoutMs(stream: boolean): number {
  return stream ? 60_000 : 300_000;
}

const NEEDS: readonly Need[] = ["tools", "json", "vision"];
const NEED_LABEL: Record<Need, string> = { tools: "tool calls", json: "JSON output", vision: "images" };

function mergeRetry(...layers: (Partial<RetryPolicy> | null)[]): RetryPolicy {
  const merged: RetryPolicy = { ...DEFAULT_RETRY };
  for (const layer of layers) if (layer) Object.assign(merged, layer);
  // A delay written without a cap must not be cut short by the default cap.
  return { ...merged, maxDelayMs: Math.max(merged.maxDelayMs, merged.delayMs) };
}

/** Why a target cannot serve this request, or null when it can (unknown limits never exclude). */
export function unfitReason(info: TargetInfo, f: RequestFeatures): string | null {
  const caps = info.capabilities;
  if (caps) {
    const lacking = NEEDS.filter((n) => f.needs[n] && !caps[n]);
    if (lacking.length > 0) return `does not support ${lacking.map((n) => NEED_LABEL[n]).join(" or ")}`;
  }
  const needed = f.estimatedPromptTokens + (f.maxOutputTokens ?? 0);
  if (info.contextWindow !== null && needed > info.contextWindow) {
    return `needs ~${needed} tokens of context (prompt + max output), its window is ${info.contextWindow}`;
  }
  return null;
}

function directPlan(rules: RoutingRules | null, f: RequestFeatures, info: (model: string) => TargetInfo, why: string): RoutePlan {
  const target: PlannedTarget = { model: f.model, retry: mergeRetry(rules?.defaults.retry ?? null), timeoutMs: rules?.defaults.timeoutMs ?? defaultTimeoutMs(f.stream) };
  const circuit = info(f.model).circuit;
  const health = circuit === "open" ? `; its circuit is open, but it is the only target, so it is tried anyway` : "";
  return { rule: null, strategy: "direct", targets: [target], skipped: [], reason: `${why}: the call goes to '${f.model}' as asked${health}`, cache: null };
}

function planned(rule: Rule, rules: RoutingRules, f: RequestFeatures, c: Candidate): PlannedTarget {
  return {
    model: c.target.model,
    retry: mergeRetry(rules.defaults.retry, rule.retry, c.target.retry),
    timeoutMs: c.target.timeoutMs ?? rule.timeoutMs ?? rules.defaults.timeoutMs ?? defaultTimeoutMs(f.stream),
  };
}

type Sorted = { fitting: Candidate[]; open: Candidate[]; unfit: Candidate[]; skipped: RoutePlan["skipped"] };

/** Splits a rule's targets into those that can serve now, those behind an open circuit, and those that cannot fit. */
function sortCandidates(rule: Rule, f: RequestFeatures, info: (model: string) => TargetInfo): Sorted {
  const out: Sorted = { fitting: [], open: [], unfit: [], skipped: [] };
  const seen = new Set<string>();
  for (const t of rule.targets) {
    const target = t.model === REQUESTED_MODEL ? { ...t, model: f.model } : t;
    if (seen.has(target.model)) {
      out.skipped.push({ model: target.model, why: "listed earlier in this rule" });
      continue;
    }
    seen.add(target.model);
    const c: Candidate = { target, info: info(target.model) };
    const unfit = unfitReason(c.info, f);
    if (unfit) {
      out.unfit.push(c);
      out.skipped.push({ model: target.model, why: unfit });
    } else if (c.info.circuit === "open") out.open.push(c);
    else out.fitting.push(c);
  }
  return out;
}

function rulePlan(rule: Rule, rules: RoutingRules, f: RequestFeatures, info: (model: string) => TargetInfo, random: () => number, because: string[]): RoutePlan {
  const s = sortCandidates(rule, f, info);
  const head = `rule '${rule.name}' matched (${because.join("; ")})`;
  let ordered: Candidate[];
  let note: string;
  if (s.fitting.length > 0) {
    ({ ordered, note } = orderTargets(rule.strategy, s.fitting, f, random));
    for (const c of s.open) s.skipped.push({ model: c.target.model, why: "circuit open: recent calls failed" });
  } else if (s.open.length > 0) {
    const all = orderTargets(rule.strategy, s.open, f, random);
    const first = all.ordered[0];
    ordered = first ? [first] : [];
    for (const c of all.ordered.slice(1)) s.skipped.push({ model: c.target.model, why: "circuit open: recent calls failed" });
    note = `every target's circuit is open, so ${first?.target.model} is tried anyway as a last resort`;
  } else {
    const first = s.unfit[0];
    ordered = first ? [first] : [];
    const why = s.skipped.find((x) => x.model === first?.target.model)?.why ?? "";
    s.skipped = s.skipped.filter((x) => x.model !== first?.target.model);
    note = `no target fits this request, so ${first?.target.model} (which ${why}) is tried anyway and its provider will say why it cannot serve it`;
  }
  return {
    rule: rule.name,
    strategy: rule.strategy,
    targets: ordered.map((c) => planned(rule, rules, f, c)),
    skipped: s.skipped,
    reason: `${head}; ${rule.strategy}: ${note}`,
    cache: rule.cache,
  };
}

/** The first rule whose conditions the request meets, with the reasons. */
export function firstMatch(rules: RoutingRules | null, f: RequestFeatures): { rule: Rule; because: string[] } | null {
  for (const rule of rules?.rules ?? []) {
    const m = matchRule(rule.match, f);
    if (m.matched) return { rule, because: m.because };
  }
  return null;
}

/** Every model a plan for `f` may name: the one asked for and the matching rule's targets. */
export function candidateModels(rules: RoutingRules | null, f: RequestFeatures): string[] {
  const found = firstMatch(rules, f);
  const targets = found?.rule.targets.map((t) => (t.model === REQUESTED_MODEL ? f.model : t.model)) ?? [];
  return [f.model, ...targets];
}

/** Plans one call: which targets, in which order, how each is retried and timed out, and why. */
export function planRoute(rules: RoutingRules | null, features: RequestFeatures, info: (model: string) => TargetInfo, random: () => number): RoutePlan {
  if (!rules || rules.rules.length === 0) return directPlan(rules, features, info, "no routing rules");
  const found = firstMatch(rules, features);
  if (!found) return directPlan(rules, features, info, "no rule matched");
  return rulePlan(found.rule, rules, features, info, random, found.because);
}
