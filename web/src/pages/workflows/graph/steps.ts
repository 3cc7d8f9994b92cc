/**
 * A workflow definition (JSON from the API, typed `unknown`) read into the step tree the
 * graph draws: each step with its nested lists (branch cases and else, parallel branches).
 * Unknown shapes are skipped, never guessed.
 */

export type StepSpec = {
  id: string;
  type: string;
  name?: string;
  /** The step as written, for showing its configuration. */
  raw: Record<string, unknown>;
  cases?: { when: unknown; steps: StepSpec[] }[];
  else?: StepSpec[];
  branches?: { name: string; steps: StepSpec[] }[];
};

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The value as a list of unknowns (never `any[]`), or null when it is not a list. */
export function listOf(value: unknown): unknown[] | null {
  return Array.isArray(value) ? (value as unknown[]) : null;
}

const countOf = (value: unknown) => `${listOf(value)?.length ?? 0} step(s)`;

function readStep(value: unknown): StepSpec | null {
  if (!isRecord(value) || typeof value.id !== "string" || typeof value.type !== "string") return null;
  const step: StepSpec = { id: value.id, type: value.type, raw: value };
  if (typeof value.name === "string") step.name = value.name;
  const cases = listOf(value.cases);
  if (value.type === "branch" && cases) {
    step.cases = cases.filter(isRecord).map((c) => ({ when: c.when, steps: readSteps(c.steps) }));
    if (value.else !== undefined) step.else = readSteps(value.else);
  }
  if (value.type === "parallel" && isRecord(value.branches)) {
    step.branches = Object.entries(value.branches).map(([name, steps]) => ({ name, steps: readSteps(steps) }));
  }
  return step;
}

/** The steps of a list (the definition's `steps`, a case's, a branch's). */
export function readSteps(value: unknown): StepSpec[] {
  return (listOf(value) ?? []).map(readStep).filter((s): s is StepSpec => s !== null);
}

/** The definition's top-level steps. */
export function stepsOf(definition: unknown): StepSpec[] {
  return isRecord(definition) ? readSteps(definition.steps) : [];
}

/** Every step of the tree, depth first, in the order the definition lists them. */
export function flattenSteps(steps: StepSpec[]): StepSpec[] {
  const out: StepSpec[] = [];
  const walk = (list: StepSpec[]) => {
    for (const step of list) {
      out.push(step);
      for (const c of step.cases ?? []) walk(c.steps);
      if (step.else) walk(step.else);
      for (const b of step.branches ?? []) walk(b.steps);
    }
  };
  walk(steps);
  return out;
}

/** A step's own configuration, without its nested step lists (those are nodes of their own). */
export function ownConfig(step: StepSpec): Record<string, unknown> {
  const { cases, else: _else, branches, ...own } = step.raw;
  const caseList = listOf(cases);
  if (caseList) own.cases = caseList.map((c) => (isRecord(c) ? { when: c.when, steps: countOf(c.steps) } : c));
  if (listOf(_else)) own.else = countOf(_else);
  if (isRecord(branches)) own.branches = Object.fromEntries(Object.entries(branches).map(([k, v]) => [k, countOf(v)]));
  return own;
}

const OPS: Record<string, string> = { eq: "=", ne: "≠", gt: ">", gte: "≥", lt: "<", lte: "≤", in: "in", contains: "contains", exists: "exists", truthy: "is set", falsy: "is not set" };

/** A branch condition in words: "contacted_5m.timedOut is set", "score.score ≥ 70", "any of 2". */
export function conditionText(when: unknown, short = false): string {
  if (!isRecord(when)) return "when…";
  const all = listOf(when.all);
  const any = listOf(when.any);
  if (all) return `all of ${all.length}`;
  if (any) return `any of ${any.length}`;
  if (when.not !== undefined) return `not (${conditionText(when.not)})`;
  const full = typeof when.path === "string" ? when.path.replace(/^steps\./, "") : "?";
  // Short form (edge labels): only the last part of a long path.
  const path = short && full.length > 12 ? (full.split(".").pop() ?? full) : full;
  const op = typeof when.op === "string" ? (OPS[when.op] ?? when.op) : "?";
  return when.value === undefined ? `${path} ${op}` : `${path} ${op} ${JSON.stringify(when.value)}`;
}
