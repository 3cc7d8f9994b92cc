/**
 * A workflow definition as submitted (a JSON object, or YAML text) -> a validated
 * Definition, or problems that each name the faulty step, the path inside it and, for
 * YAML, the line and column.
 */
import type { z } from "zod";
import { AppError } from "../../errors";
import { checkJsonSchema } from "../../lib/json-schema";
import { templatePaths } from "../template";
import { type Locator, type Path, readYaml, valueAt } from "../../lib/yaml-source";
import { type Definition, DefinitionSchema, type Step } from "./schema";
import { buildTree, nestedSequences } from "./tree";
import { cronTriggerProblem } from "../triggers/cron-expression";

export type DefinitionProblem = { path: string; stepId: string | null; message: string; line?: number; column?: number };

export type ParsedDefinition = { ok: true; definition: Definition } | { ok: false; problems: DefinitionProblem[] };

/** steps[2].cases[0].steps[1].prompt */
function pathOf(path: Path): string {
  let out = "";
  for (const seg of path) out += typeof seg === "number" ? `[${seg}]` : `${out ? "." : ""}${String(seg)}`;
  return out || "(root)";
}

/** The id of the innermost step on `path` (the deepest object with an `id` under a `steps` list). */
function stepIdAt(root: unknown, path: Path): string | null {
  let found: string | null = null;
  for (let i = 1; i <= path.length; i++) {
    const v = valueAt(root, path.slice(0, i));
    if (typeof path[i - 1] === "number" && typeof v === "object" && v !== null && "id" in v && typeof v.id === "string") found = v.id;
  }
  return found;
}

const listed = (values: readonly unknown[]) => values.map((v) => String(v)).join(", ");

function issueMessage(issue: z.core.$ZodIssue, root: unknown): string {
  const given = valueAt(root, issue.path);
  if (issue.code === "invalid_type" && given === undefined) return "is required";
  if (issue.code === "invalid_union" && issue.inclusive !== false && issue.discriminator && issue.options) {
    if (given === undefined) return `is required: one of ${listed(issue.options)}`;
    return `${JSON.stringify(given)} is not a known ${issue.discriminator}; use one of ${listed(issue.options)}`;
  }
  if (issue.code === "invalid_union" && issue.path.at(-1) !== "type") {
    if (typeof given === "object" && given !== null && "type" in given) return `'${String(given.type)}' is not a step type or its fields do not fit it`;
  }
  if (issue.code === "invalid_value") return `must be one of ${listed(issue.values)}; got ${JSON.stringify(given)}`;
  // Our own regexes carry messages that name what is expected ("a duration such as 30s").
  if (issue.code === "invalid_format" && issue.format === "regex") return `must be ${issue.message}; got ${JSON.stringify(given)}`;
  return issue.message;
}

/** Zod reports unknown keys once per object; each gets its own problem so its path (and line) point at it. */
function problemsOf(issue: z.core.$ZodIssue, root: unknown, locate?: Locator): DefinitionProblem[] {
  if (issue.code !== "unrecognized_keys") return [problem(root, issue.path, issueMessage(issue, root), locate)];
  return issue.keys.map((key) => problem(root, [...issue.path, key], "is not a known field", locate && (() => locate(issue.path, key))));
}

function problem(root: unknown, path: Path, message: string, locate?: Locator): DefinitionProblem {
  const stepId = stepIdAt(root, path);
  const where = stepId ? `step '${stepId}'` : pathOf(path);
  const field = path.at(-1);
  const lead = typeof field === "string" && field !== "id" ? `${where}: ${field} ${message}` : `${where}: ${message}`;
  return { path: pathOf(path), stepId, message: lead, ...(locate ? locate(path) : {}) };
}

/** A step without its nested step lists (those are checked as steps of their own). */
function ownFields(step: Step): Record<string, unknown> {
  if (step.type === "branch") {
    const { cases, else: _else, ...own } = step;
    return { ...own, when: cases.map((c) => c.when) };
  }
  if (step.type === "parallel") {
    const { branches: _branches, ...own } = step;
    return own;
  }
  return step;
}

/** Problems zod cannot see: repeated ids, templates naming steps that do not exist, an input schema we cannot check. */
function semanticProblems(def: Definition): { path: Path; message: string }[] {
  const out: { path: Path; message: string }[] = [];
  const ids = new Map<string, Path>();
  const byId = new Map<string, Step>();
  const walk = (list: Step[], at: Path) =>
    list.forEach((step, i) => {
      const path = [...at, i];
      if (ids.has(step.id)) out.push({ path: [...path, "id"], message: `'${step.id}' is used by another step too; step ids must be unique` });
      ids.set(step.id, path);
      byId.set(step.id, step);
      for (const [name, nested] of Object.entries(nestedSequences(step))) {
        walk(nested, step.type === "branch" ? (name === "else" ? [...path, "else"] : [...path, "cases", Number(name.slice(4)), "steps"]) : [...path, "branches", name]);
      }
    });
  walk(def.steps, ["steps"]);
  for (const [id, path] of ids) {
    const step = byId.get(id);
    for (const [field, value] of Object.entries(step ? ownFields(step) : {})) {
      // A branch's conditions live under cases[i].when; the step itself is the closest pointer.
      const at = step?.type === "branch" && field === "when" ? path : [...path, field];
      let paths: string[];
      try {
        paths = templatePaths(value);
      } catch (err) {
        // A malformed template or unknown filter is reported at save time, not at run time.
        out.push({ path: at, message: err instanceof Error ? err.message : String(err) });
        continue;
      }
      for (const ref of paths) {
        const target = /^steps\.([a-z][a-z0-9_]*)/.exec(ref)?.[1];
        if (target && !ids.has(target)) out.push({ path: at, message: `refers to steps.${target}, but no step has the id '${target}'` });
      }
    }
  }
  if (def.input) for (const p of checkJsonSchema(def.input)) out.push({ path: ["input", ...p.path.split(".").filter(Boolean)], message: p.message });
  def.triggers.forEach((t, i) => {
    const bad = t.type === "cron" ? cronTriggerProblem(t.schedule, t.timezone) : null;
    if (bad) out.push({ path: ["triggers", i, bad.field], message: bad.message });
  });
  return out;
}

function validate(value: unknown, locate?: Locator): ParsedDefinition {
  const parsed = DefinitionSchema.safeParse(value);
  if (!parsed.success) {
    return { ok: false, problems: parsed.error.issues.flatMap((i) => problemsOf(i, value, locate)).slice(0, 50) };
  }
  const semantic = semanticProblems(parsed.data);
  if (semantic.length > 0) return { ok: false, problems: semantic.map((p) => problem(value, p.path, p.message, locate)) };
  buildTree(parsed.data);
  return { ok: true, definition: parsed.data };
}

/** Validates a definition given as a JSON value or as YAML text. */
export function parseDefinition(source: { definition: unknown } | { yaml: string }): ParsedDefinition {
  if ("definition" in source) return validate(source.definition);
  const doc = readYaml(source.yaml, "the document is empty: a workflow needs at least `name` and `steps`");
  if (!doc.ok) return { ok: false, problems: doc.problems.map((p) => ({ ...p, stepId: null })) };
  return validate(doc.value, doc.locate);
}

/** The 400 for an invalid definition: the message names the first problem, details list them all. */
export function invalidDefinition(problems: DefinitionProblem[]): AppError {
  const first = problems[0];
  const where = first ? `${first.line ? `line ${first.line}, column ${first.column}: ` : ""}${first.message}` : "invalid definition";
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : "";
  return new AppError("validation_failed", `The workflow definition is not valid: ${where}${more}`, problems);
}

/** A definition that must be valid (templates shipped with the product); throws otherwise. */
export function definitionOrThrow(source: { definition: unknown } | { yaml: string }): Definition {
  const parsed = parseDefinition(source);
  if (!parsed.ok) throw invalidDefinition(parsed.problems);
  return parsed.definition;
}
