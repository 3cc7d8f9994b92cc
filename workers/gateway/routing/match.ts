/**
 * Does a request meet a rule's `match`? Every condition written must hold; the answer
 * says which condition decided, so a dry run can explain itself.
 */
import { DAY_NAMES, inHours, localClock } from "../../lib/local-clock";
import type { RequestFeatures } from "./features";
import type { RuleMatch } from "./types";

export type MatchResult = { matched: true; because: string[] } | { matched: false; why: string };

const globs = new Map<string, RegExp>();

/** `*` is any run of characters and `?` one character; everything else is literal. */
export function globMatch(pattern: string, value: string): boolean {
  if (!pattern.includes("*") && !pattern.includes("?")) return pattern === value;
  let re = globs.get(pattern);
  if (!re) {
    const body = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
    re = new RegExp(`^${body}$`, "s");
    if (globs.size > 1_000) globs.clear();
    globs.set(pattern, re);
  }
  return re.test(value);
}

function list(values: readonly string[]): string {
  return values.map((v) => `'${v}'`).join(", ");
}

const checkModel = (m: RuleMatch, f: RequestFeatures) => {
  if (!m.models) return { skip: true } as const;
  const hit = m.models.find((p) => globMatch(p, f.model));
  return hit ? { met: `model '${f.model}' matches '${hit}'` } : { why: `model '${f.model}' is not ${list(m.models)}` };
};

const checkTags = (m: RuleMatch, f: RequestFeatures) => {
  const { all, any, none } = m.tags;
  if (all.length + any.length + none.length === 0) return { skip: true } as const;
  const has = new Set(f.tags);
  const missing = all.filter((t) => !has.has(t));
  if (missing.length > 0) return { why: `the key lacks tag ${list(missing)}` };
  if (any.length > 0 && !any.some((t) => has.has(t))) return { why: `the key has none of the tags ${list(any)}` };
  const banned = none.filter((t) => has.has(t));
  if (banned.length > 0) return { why: `the key has tag ${list(banned)}` };
  return { met: `key tags fit (${f.tags.length > 0 ? list(f.tags) : "none"})` };
};

const checkMetadata = (m: RuleMatch, f: RequestFeatures) => {
  const keys = Object.keys(m.metadata);
  if (keys.length === 0) return { skip: true } as const;
  for (const k of keys) {
    const given = f.metadata[k];
    const wanted = m.metadata[k] ?? [];
    if (given === undefined) return { why: `no x-auterity-${k} header` };
    if (!wanted.some((p) => globMatch(p, given))) return { why: `x-auterity-${k} is '${given}', not ${list(wanted)}` };
  }
  return { met: keys.map((k) => `${k} = '${f.metadata[k] ?? ""}'`).join(", ") };
};

function checkRange(label: string, value: number, range: { min: number | null; max: number | null }) {
  if (range.min === null && range.max === null) return { skip: true } as const;
  if (range.min !== null && value < range.min) return { why: `${label} ~${value} is under ${range.min}` };
  if (range.max !== null && value > range.max) return { why: `${label} ~${value} is over ${range.max}` };
  return { met: `${label} ~${value}` };
}

const checkNeeds = (m: RuleMatch, f: RequestFeatures) => {
  if (m.needs.length === 0) return { skip: true } as const;
  const lacking = m.needs.filter((n) => !f.needs[n]);
  return lacking.length > 0 ? { why: `the request does not use ${lacking.join(", ")}` } : { met: `uses ${m.needs.join(", ")}` };
};

const checkClock = (m: RuleMatch, f: RequestFeatures) => {
  if (m.hours.length === 0 && m.days.length === 0) return { skip: true } as const;
  const { minutes, day } = localClock(f.now, f.timezone);
  const hhmm = `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
  const at = `${DAY_NAMES[day] ?? "?"} ${hhmm} ${f.timezone}`;
  if (m.days.length > 0 && !m.days.includes(day)) return { why: `it is ${at}, not on ${m.days.map((d) => DAY_NAMES[d]).join(", ")}` };
  const range = m.hours.find((r) => inHours(minutes, r));
  if (m.hours.length > 0 && !range) return { why: `it is ${at}, outside ${m.hours.map((r) => r.text).join(", ")}` };
  return { met: `it is ${at}` };
};

const checkStream = (m: RuleMatch, f: RequestFeatures) => {
  if (m.stream === null) return { skip: true } as const;
  return m.stream === f.stream ? { met: f.stream ? "streamed" : "not streamed" } : { why: f.stream ? "the request is streamed" : "the request is not streamed" };
};

/** A condition not written in the rule is skipped; one written is met (and says how) or not (and says why). */
type Outcome = { skip: true } | { met: string } | { why: string };

const CHECKS: ((m: RuleMatch, f: RequestFeatures) => Outcome)[] = [
  checkModel,
  checkTags,
  checkMetadata,
  (m, f) => checkRange("prompt tokens", f.estimatedPromptTokens, m.promptTokens),
  (m, f) => checkRange("context tokens", f.estimatedPromptTokens + (f.maxOutputTokens ?? 0), m.contextTokens),
  checkNeeds,
  checkClock,
  checkStream,
];

/** Whether `f` meets every condition of `m`, with the reasons either way. A match with no conditions meets every request. */
export function matchRule(m: RuleMatch, f: RequestFeatures): MatchResult {
  const because: string[] = [];
  for (const check of CHECKS) {
    const r = check(m, f);
    if ("why" in r) return { matched: false, why: r.why };
    if ("met" in r) because.push(r.met);
  }
  return { matched: true, because: because.length > 0 ? because : ["it has no conditions"] };
}
