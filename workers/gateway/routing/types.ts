/**
 * The shapes routing works with: a tenant's validated rules, what the planner knows about
 * each target, and the plan it hands the call path.
 */

/** How one target is retried before the next one is tried. `attempts` counts tries on THIS target (1 = no retry). */
export type RetryPolicy = {
  attempts: number;
  backoff: "constant" | "exponential";
  delayMs: number;
  maxDelayMs: number;
  onStatuses: number[];
  honorRetryAfter: boolean;
};

export type PlannedTarget = { model: string; retry: RetryPolicy; timeoutMs: number };

export type Capabilities = { tools: boolean; json: boolean; vision: boolean };

/** What the planner knows about a target; null means unknown (never a reason to skip it). */
export type TargetInfo = {
  price: { inputPerMtok: number; outputPerMtok: number } | null;
  contextWindow: number | null;
  capabilities: Capabilities | null;
  latencyMs: number | null;
  circuit: "closed" | "open" | "half_open";
};

export type Strategy = "fallback" | "weighted" | "cheapest" | "lowest_latency" | "canary";

export type RoutePlan = {
  /** The rule that matched, or null when the call goes straight to the model asked for. */
  rule: string | null;
  strategy: "direct" | Strategy;
  /** In the order to try them; never empty. */
  targets: PlannedTarget[];
  skipped: { model: string; why: string }[];
  /** One or two sentences a person can read: why this rule, why this order. */
  reason: string;
  cache: { ttlSeconds: number } | null;
};

export type Need = keyof Capabilities;

/** A time-of-day range in minutes after local midnight; `from > to` crosses midnight. */
import type { HourRange } from "../../lib/local-clock";
export type { HourRange };

export type RuleMatch = {
  /** Exact names or globs (`gpt-4o*`); null = any model. */
  models: string[] | null;
  tags: { all: string[]; any: string[]; none: string[] };
  /** Keys lower-case; each value an exact string or glob, any of which may match. */
  metadata: Record<string, string[]>;
  promptTokens: { min: number | null; max: number | null };
  contextTokens: { min: number | null; max: number | null };
  needs: Need[];
  hours: HourRange[];
  /** 0 = Sunday … 6 = Saturday; empty = every day. */
  days: number[];
  stream: boolean | null;
};

export type RuleTarget = {
  /** A model name resolveModel understands, or "$requested" for the model the client asked for. */
  model: string;
  weight: number | null;
  canaryPercent: number | null;
  retry: Partial<RetryPolicy> | null;
  timeoutMs: number | null;
};

export type Rule = {
  name: string;
  match: RuleMatch;
  strategy: Strategy;
  targets: RuleTarget[];
  retry: Partial<RetryPolicy> | null;
  timeoutMs: number | null;
  cache: { ttlSeconds: number } | null;
};

/** A tenant's parsed, validated routing document. */
export type RoutingRules = {
  rules: Rule[];
  defaults: { retry: Partial<RetryPolicy> | null; timeoutMs: number | null };
};

/** A problem in a routing document, pointing at where it is written. */
export type RuleProblem = { line: number; column: number; path: string; message: string };

/** The target placeholder for "the model the client asked for". */
export const REQUESTED_MODEL = "$requested";
