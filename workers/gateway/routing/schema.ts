/**
 * The routing document as a dealership's engineer writes it (snake_case YAML), validated
 * strictly: unknown keys are errors, so a typo never silently turns a rule off. The
 * output is the normalized RoutingRules the planner reads.
 */
import { z } from "zod";
import { parseDays, parseHourRange } from "../../lib/local-clock";
import type { HourRange, RetryPolicy, Rule, RuleMatch, RuleTarget, RoutingRules } from "./types";

/** A single value or a list of them, read as a list. */
function oneOrMany<S extends z.ZodType>(item: S) {
  return z.preprocess((v) => (typeof v === "string" ? [v] : v), z.array(item).min(1, "give at least one value"));
}

const ModelName = z.string().min(1, "name a model").max(250).regex(/^\S+$/, "model names contain no spaces");

export const RetryDoc = z.strictObject({
  attempts: z.number().int().min(1, "attempts counts tries on this target: at least 1 (1 = no retry)").max(10, "at most 10 attempts per target").optional(),
  backoff: z.enum(["constant", "exponential"]).optional(),
  delay_ms: z.number().int().min(0).max(60_000).optional(),
  max_delay_ms: z.number().int().min(0).max(300_000).optional(),
  on: z.array(z.number().int().min(400, "retry on HTTP error statuses (400-599)").max(599, "retry on HTTP error statuses (400-599)")).max(30).optional(),
  honor_retry_after: z.boolean().optional(),
});

const TimeoutMs = z.number().int().min(100, "timeout_ms is in milliseconds: at least 100").max(600_000, "timeout_ms is at most 600000 (10 minutes)");

export const CacheDoc = z.strictObject({
  ttl_seconds: z.number().int().min(60, "cached answers live at least 60 seconds").max(604_800, "cached answers live at most 7 days (604800)"),
});

export const TagsDoc = z.strictObject({
  all: z.array(z.string().min(1)).optional(),
  any: z.array(z.string().min(1)).optional(),
  none: z.array(z.string().min(1)).optional(),
});

const HoursText = z.string().transform((v, ctx): HourRange => {
  const r = parseHourRange(v);
  if (typeof r === "string") {
    ctx.addIssue({ code: "custom", message: r });
    return z.NEVER;
  }
  return r;
});

const DaysText = z.string().transform((v, ctx): number[] => {
  const r = parseDays(v);
  if (typeof r === "string") {
    ctx.addIssue({ code: "custom", message: r });
    return z.NEVER;
  }
  return r;
});

const Count = z.number().int().min(0);

export const MatchDoc = z.strictObject({
  model: oneOrMany(ModelName).optional(),
  tags: z.preprocess((v) => (Array.isArray(v) || typeof v === "string" ? { all: typeof v === "string" ? [v] : v } : v), TagsDoc).optional(),
  metadata: z.record(z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, "metadata keys are header names after x-auterity-, lower-case"), oneOrMany(z.string().max(256))).optional(),
  task: oneOrMany(z.string().max(256)).optional(),
  min_prompt_tokens: Count.optional(),
  max_prompt_tokens: Count.optional(),
  min_context_tokens: Count.optional(),
  max_context_tokens: Count.optional(),
  needs: z.array(z.enum(["tools", "json", "vision"])).optional(),
  hours: oneOrMany(HoursText).optional(),
  days: oneOrMany(DaysText).optional(),
  stream: z.boolean().optional(),
});

export const TargetDoc = z.strictObject({
  model: ModelName,
  weight: z.number().min(0, "weights are 0 or more").max(1_000_000).optional(),
  canary_percent: z.number().min(0, "canary_percent is a percentage: 0 to 100").max(100, "canary_percent is a percentage: 0 to 100").optional(),
  retry: RetryDoc.optional(),
  timeout_ms: TimeoutMs.optional(),
});

const STRATEGIES = ["fallback", "weighted", "cheapest", "lowest_latency", "canary"] as const;

const RuleFields = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, "rule names are 1-64 letters, digits, '.', '_' or '-'"),
  description: z.string().max(500).optional(),
  match: MatchDoc.optional(),
  strategy: z.enum(STRATEGIES).optional(),
  targets: z.array(z.preprocess((v) => (typeof v === "string" ? { model: v } : v), TargetDoc)).min(1, "a rule needs at least one target"),
  retry: RetryDoc.optional(),
  timeout_ms: TimeoutMs.optional(),
  cache: CacheDoc.optional(),
});

export const DefaultDoc = z.strictObject({ retry: RetryDoc.optional(), timeout_ms: TimeoutMs.optional() });

type RuleInput = z.output<typeof RuleFields>;
type Issue = { path: (string | number)[]; message: string };

function rangeIssues(m: z.output<typeof MatchDoc> | undefined, issues: Issue[]): void {
  if (!m) return;
  for (const kind of ["prompt", "context"] as const) {
    const min = m[`min_${kind}_tokens`];
    const max = m[`max_${kind}_tokens`];
    if (min !== undefined && max !== undefined && min > max) {
      issues.push({ path: ["match", `min_${kind}_tokens`], message: `min_${kind}_tokens (${min}) is above max_${kind}_tokens (${max}), so the rule could never match` });
    }
  }
}

function weightedIssues(rule: RuleInput, issues: Issue[]): void {
  rule.targets.forEach((t, i) => {
    if (t.weight === undefined) issues.push({ path: ["targets", i], message: `strategy weighted needs a weight on every target, e.g. { model: ${t.model}, weight: 50 }` });
  });
  const sum = rule.targets.reduce((s, t) => s + (t.weight ?? 0), 0);
  if (sum <= 0 && rule.targets.every((t) => t.weight !== undefined)) {
    issues.push({ path: ["targets"], message: "the weights add up to 0: give at least one target a weight above 0" });
  }
}

function canaryIssues(rule: RuleInput, issues: Issue[]): void {
  const challengers = rule.targets.filter((t) => t.canary_percent !== undefined).length;
  if (challengers !== 1) {
    issues.push({ path: ["targets"], message: `strategy canary needs exactly one target with canary_percent (the challenger); found ${challengers}` });
  } else if (rule.targets.length < 2) {
    issues.push({ path: ["targets"], message: "strategy canary needs a champion too: a target without canary_percent" });
  }
}

/** Checks that span fields: what zod's per-field schemas cannot see. */
function ruleIssues(rule: RuleInput): Issue[] {
  const issues: Issue[] = [];
  rangeIssues(rule.match, issues);
  if (rule.strategy === "weighted") weightedIssues(rule, issues);
  if (rule.strategy === "canary") canaryIssues(rule, issues);
  return issues;
}

/** One rule; checks across its fields run once the fields themselves are valid. */
export const RuleDoc = RuleFields.superRefine((rule, ctx) => {
  for (const issue of ruleIssues(rule)) ctx.addIssue({ code: "custom", path: issue.path, message: issue.message });
});

export const RoutingDoc = z
  .strictObject({ rules: z.array(RuleDoc).max(200, "at most 200 rules").optional(), default: DefaultDoc.optional() })
  .superRefine((doc, ctx) => {
    const seen = new Map<string, number>();
    (doc.rules ?? []).forEach((rule, i) => {
      const first = seen.get(rule.name);
      if (first !== undefined) ctx.addIssue({ code: "custom", path: ["rules", i, "name"], message: `rule ${first + 1} is already named '${rule.name}': names must be unique` });
      else seen.set(rule.name, i);
    });
  });

export type RoutingDocInput = z.output<typeof RoutingDoc>;

function retryOf(r: z.output<typeof RetryDoc> | undefined): Partial<RetryPolicy> | null {
  if (!r) return null;
  const out: Partial<RetryPolicy> = {};
  if (r.attempts !== undefined) out.attempts = r.attempts;
  if (r.backoff !== undefined) out.backoff = r.backoff;
  if (r.delay_ms !== undefined) out.delayMs = r.delay_ms;
  if (r.max_delay_ms !== undefined) out.maxDelayMs = r.max_delay_ms;
  if (r.on !== undefined) out.onStatuses = r.on;
  if (r.honor_retry_after !== undefined) out.honorRetryAfter = r.honor_retry_after;
  return out;
}

function matchOf(m: z.output<typeof MatchDoc> | undefined): RuleMatch {
  const metadata: Record<string, string[]> = { ...(m?.metadata ?? {}) };
  if (m?.task) metadata.task = [...(metadata.task ?? []), ...m.task];
  return {
    models: m?.model ?? null,
    tags: { all: m?.tags?.all ?? [], any: m?.tags?.any ?? [], none: m?.tags?.none ?? [] },
    metadata,
    promptTokens: { min: m?.min_prompt_tokens ?? null, max: m?.max_prompt_tokens ?? null },
    contextTokens: { min: m?.min_context_tokens ?? null, max: m?.max_context_tokens ?? null },
    needs: [...new Set(m?.needs ?? [])],
    hours: m?.hours ?? [],
    days: [...new Set((m?.days ?? []).flat())].sort(),
    stream: m?.stream ?? null,
  };
}

function targetOf(t: z.output<typeof TargetDoc>): RuleTarget {
  return { model: t.model, weight: t.weight ?? null, canaryPercent: t.canary_percent ?? null, retry: retryOf(t.retry), timeoutMs: t.timeout_ms ?? null };
}

function ruleOf(r: RuleInput): Rule {
  return {
    name: r.name,
    match: matchOf(r.match),
    strategy: r.strategy ?? "fallback",
    targets: r.targets.map(targetOf),
    retry: retryOf(r.retry),
    timeoutMs: r.timeout_ms ?? null,
    cache: r.cache ? { ttlSeconds: r.cache.ttl_seconds } : null,
  };
}

/** The planner's view of a validated document. */
export function normalize(doc: RoutingDocInput): RoutingRules {
  return { rules: (doc.rules ?? []).map(ruleOf), defaults: { retry: retryOf(doc.default?.retry), timeoutMs: doc.default?.timeout_ms ?? null } };
}

/** The keys an object at `path` accepts, for "did you mean" on an unknown key. */
export function keysAt(path: readonly (string | number)[]): string[] {
  const named = path.filter((p): p is string => typeof p === "string");
  const last = named[named.length - 1];
  const shapes: Record<string, readonly string[]> = {
    rules: Object.keys(RuleDoc.shape),
    match: Object.keys(MatchDoc.shape),
    retry: Object.keys(RetryDoc.shape),
    targets: Object.keys(TargetDoc.shape),
    cache: Object.keys(CacheDoc.shape),
    tags: Object.keys(TagsDoc.shape),
    default: Object.keys(DefaultDoc.shape),
  };
  if (last === undefined) return ["rules", "default"];
  return [...(shapes[last] ?? [])];
}
