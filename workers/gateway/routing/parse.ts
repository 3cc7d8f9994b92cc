/**
 * YAML text -> validated RoutingRules, with every problem pointing at the line and column
 * where it is written: syntax errors carry the parser's position; schema errors map the
 * zod issue path (rules.1.targets.0.weight) back to the YAML node at that path.
 */
import type { z } from "zod";
import { AppError } from "../../errors";
import { type Locator, pathText, readYaml, valueAt } from "../../lib/yaml-source";
import { keysAt, normalize, RoutingDoc } from "./schema";
import { closest } from "./suggest";
import { REQUESTED_MODEL, type RoutingRules, type RuleProblem } from "./types";

export type ParseOptions = {
  /** Whether a target's model name resolves for this tenant; unknown ones become warnings. */
  knownModel?: (model: string) => boolean;
};

export type ParseResult =
  /** `document` is the YAML as plain JSON: what is stored, and what rulesFromStored reads back. */
  | { ok: true; rules: RoutingRules; warnings: RuleProblem[]; document: unknown }
  | { ok: false; errors: RuleProblem[] };

function issueProblems(issue: z.core.$ZodIssue, root: unknown, locate: Locator): RuleProblem[] {
  if (issue.code === "unrecognized_keys") {
    const allowed = keysAt(issue.path.filter((p): p is string | number => typeof p !== "symbol"));
    return issue.keys.map((k) => {
      const guess = closest(k, allowed);
      const hint = guess ? `did you mean '${guess}'?` : `allowed here: ${allowed.join(", ")}`;
      return { ...locate(issue.path, k), path: pathText([...issue.path, k]), message: `unknown key '${k}': ${hint}` };
    });
  }
  let message = issue.message;
  if (issue.code === "invalid_type") {
    const given = valueAt(root, issue.path);
    message = given === undefined ? `${pathText(issue.path.slice(-1))} is required` : `expected ${article(issue.expected)}, got ${describe(given)}`;
  } else if (issue.code === "invalid_value") {
    const given = valueAt(root, issue.path);
    const options = issue.values.map(String);
    const guess = typeof given === "string" ? closest(given, options) : null;
    message = `'${String(given)}' is not one of ${options.join(", ")}${guess ? `: did you mean '${guess}'?` : ""}`;
  }
  return [{ ...locate(issue.path), path: pathText(issue.path), message }];
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function describe(v: unknown): string {
  if (v === null) return "nothing (null)";
  if (typeof v === "string") return `the text '${v.length > 40 ? `${v.slice(0, 40)}…` : v}'`;
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a mapping";
  return `${typeof v} ${String(v)}`;
}

function modelWarnings(rules: RoutingRules, locate: Locator, known: ParseOptions["knownModel"]): RuleProblem[] {
  const out: RuleProblem[] = [];
  rules.rules.forEach((rule, i) => {
    rule.targets.forEach((t, j) => {
      const path = ["rules", i, "targets", j];
      if (t.model !== REQUESTED_MODEL && known && !known(t.model)) {
        out.push({ ...locate(path), path: pathText(path), message: `'${t.model}' is not a model this tenant can call yet (no alias, own provider or catalog entry by that name); calls routed to it fail over to the next target` });
      }
      if (t.weight !== null && rule.strategy !== "weighted") out.push({ ...locate(path), path: pathText(path), message: `weight has no effect with strategy ${rule.strategy}` });
      if (t.canaryPercent !== null && rule.strategy !== "canary") out.push({ ...locate(path), path: pathText(path), message: `canary_percent has no effect with strategy ${rule.strategy}` });
    });
  });
  return out;
}

/** Parses and validates a tenant's routing YAML; errors and warnings point at line, column and path. */
export function parseRoutingRules(yaml: string, opts: ParseOptions = {}): ParseResult {
  const source = readYaml(yaml, "the document is empty: write a `rules:` list (or `rules: []` to route every call to the model it names)");
  if (!source.ok) return { ok: false, errors: source.problems };
  const { value, locate } = source;
  const parsed = RoutingDoc.safeParse(value);
  if (!parsed.success) {
    const errors = parsed.error.issues.flatMap((i) => issueProblems(i, value, locate));
    return { ok: false, errors: errors.sort((a, b) => a.line - b.line || a.column - b.column) };
  }
  const rules = normalize(parsed.data);
  return { ok: true, rules, warnings: modelWarnings(rules, locate, opts.knownModel), document: value };
}

/** Rebuilds rules from their stored form; null when the stored form no longer validates. */
export function rulesFromStored(stored: unknown): RoutingRules | null {
  const parsed = RoutingDoc.safeParse(stored);
  return parsed.success ? normalize(parsed.data) : null;
}

/** The 400 for a routing document with problems: each detail has line, column, path and message. */
export function invalidRules(errors: RuleProblem[]): AppError {
  const first = errors[0];
  const where = first ? `line ${first.line}, column ${first.column} (${first.path}): ${first.message}` : "invalid document";
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : "";
  return new AppError("validation_failed", `The routing rules are not valid: ${where}${more}`, errors);
}
