/**
 * A dry run: plans a request the tenant describes, against its saved rules or a draft,
 * without calling anything, and explains each step (which rules did not match and why,
 * which targets were skipped and why, what each target costs and how healthy it is).
 */
import { eq } from "drizzle-orm";
import { tenants } from "../../../d1/schema";
import type { Db } from "../../db";
import { localClock, DAY_NAMES } from "../../lib/local-clock";
import { featuresOf, type RequestFeatures } from "./features";
import { matchRule } from "./match";
import { invalidRules, parseRoutingRules, rulesFromStored } from "./parse";
import { candidateModels, planRoute } from "./plan";
import { currentRoutingRules } from "./store";
import { modelChecker, targetDetails, type HealthSource, type TargetDetails } from "./target-info";
import type { RoutePlan, RoutingRules, RuleProblem } from "./types";

export type DryRunInput = {
  model: string;
  messages?: Record<string, unknown>[];
  input?: string | Record<string, unknown>[];
  system?: string;
  tools?: Record<string, unknown>[];
  maxTokens?: number;
  responseFormat?: "text" | "json_object" | "json_schema";
  stream?: boolean;
  tags?: string[];
  metadata?: Record<string, string>;
  at?: number;
  /** A draft to plan against instead of the saved rules. */
  yaml?: string;
  /** Fixes the weighted/canary draw (0 ≤ draw < 1) so a run can be repeated. */
  draw?: number;
};

export type DryRunDeps = { db: Db; health: HealthSource | null; random: () => number; now: number };

type Explained = { model: string; info: TargetDetails };
export type DryRunResult = Omit<RoutePlan, "targets" | "skipped"> & {
  targets: (RoutePlan["targets"][number] & Explained)[];
  skipped: (RoutePlan["skipped"][number] & Explained)[];
  evaluated: { rule: string; matched: boolean; reason: string }[];
  request: Omit<RequestFeatures, "now"> & { at: string; localTime: string };
  source: { kind: "saved"; version: number | null } | { kind: "draft" };
  warnings: RuleProblem[];
};

function bodyOf(input: DryRunInput): { format: "openai-chat" | "openai-responses"; body: Record<string, unknown> } {
  const common = { model: input.model, stream: input.stream ?? false, ...(input.tools ? { tools: input.tools } : {}) };
  const json = input.responseFormat && input.responseFormat !== "text" ? { type: input.responseFormat } : undefined;
  if (input.input !== undefined) {
    const text = json ? { text: { format: json } } : {};
    return { format: "openai-responses", body: { ...common, input: input.input, instructions: input.system, max_output_tokens: input.maxTokens, ...text } };
  }
  const system = input.system ? [{ role: "system", content: input.system }] : [];
  return { format: "openai-chat", body: { ...common, messages: [...system, ...(input.messages ?? [])], max_tokens: input.maxTokens, ...(json ? { response_format: json } : {}) } };
}

async function tenantZone(db: Db, tenantId: string): Promise<string> {
  const row = await db.query.tenants.findFirst({ columns: { timezone: true }, where: eq(tenants.id, tenantId) });
  return row?.timezone ?? "UTC";
}

async function rulesFor(db: Db, tenantId: string, yaml: string | undefined): Promise<{ rules: RoutingRules | null; source: DryRunResult["source"]; warnings: RuleProblem[] }> {
  const knownModel = await modelChecker(db, tenantId);
  if (yaml === undefined) {
    const row = await currentRoutingRules({ db, tenantId });
    if (!row) return { rules: null, source: { kind: "saved", version: null }, warnings: [] };
    const saved = parseRoutingRules(row.yaml, { knownModel });
    return { rules: rulesFromStored(row.parsed), source: { kind: "saved", version: row.version }, warnings: saved.ok ? saved.warnings : [] };
  }
  const parsed = parseRoutingRules(yaml, { knownModel });
  if (!parsed.ok) throw invalidRules(parsed.errors);
  return { rules: parsed.rules, source: { kind: "draft" }, warnings: parsed.warnings };
}

function evaluate(rules: RoutingRules | null, f: RequestFeatures): DryRunResult["evaluated"] {
  const out: DryRunResult["evaluated"] = [];
  for (const rule of rules?.rules ?? []) {
    const m = matchRule(rule.match, f);
    out.push({ rule: rule.name, matched: m.matched, reason: m.matched ? m.because.join("; ") : m.why });
    if (m.matched) break;
  }
  return out;
}

/** Plans the described request and explains the plan; nothing is called and nothing is stored. */
export async function dryRun(deps: DryRunDeps, tenantId: string, input: DryRunInput): Promise<DryRunResult> {
  const { rules, source, warnings } = await rulesFor(deps.db, tenantId, input.yaml);
  const now = input.at ?? deps.now;
  const timezone = await tenantZone(deps.db, tenantId);
  const metadata = Object.fromEntries(Object.entries(input.metadata ?? {}).map(([k, v]) => [k.toLowerCase().replace(/^x-auterity-/, ""), v]));
  const { format, body } = bodyOf(input);
  const f = featuresOf(format, body, { tags: input.tags ?? [], metadata, now, timezone });
  const details = await targetDetails(deps.db, tenantId, candidateModels(rules, f), deps.health, deps.now);
  const random = input.draw === undefined ? deps.random : () => input.draw ?? 0;
  const plan = planRoute(rules, f, details, random);
  const clock = localClock(now, timezone);
  const localTime = `${DAY_NAMES[clock.day] ?? ""} ${String(Math.floor(clock.minutes / 60)).padStart(2, "0")}:${String(clock.minutes % 60).padStart(2, "0")}`;
  const { now: _now, ...request } = f;
  return {
    ...plan,
    targets: plan.targets.map((t) => ({ ...t, info: details(t.model) })),
    skipped: plan.skipped.map((s) => ({ ...s, info: details(s.model) })),
    evaluated: evaluate(rules, f),
    request: { ...request, at: new Date(now).toISOString(), localTime },
    source,
    warnings,
  };
}
