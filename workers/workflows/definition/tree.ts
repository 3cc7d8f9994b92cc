/**
 * A definition as a tree the engine walks: where each step sits (which step list, which
 * position, under which structural step) and what comes after it.
 */
import type { Definition, Step } from "./schema";

/** A step list: the root one (owner null) or a named list of a branch / parallel step. */
export type SequenceRef = { owner: string | null; name: string };

export type Placed = { step: Step; sequence: SequenceRef; index: number; path: string };

export type DefinitionTree = {
  definition: Definition;
  steps: ReadonlyMap<string, Placed>;
  /** The steps of a list, in order. */
  sequence(ref: SequenceRef): readonly Step[];
};

export const ROOT: SequenceRef = { owner: null, name: "main" };

/** The nested step lists of a structural step, by name (case0, case1, else; or parallel branch names). */
export function nestedSequences(step: Step): Record<string, Step[]> {
  if (step.type === "branch") {
    const out: Record<string, Step[]> = {};
    step.cases.forEach((c, i) => (out[`case${i}`] = c.steps));
    if (step.else) out.else = step.else;
    return out;
  }
  if (step.type === "parallel") return step.branches;
  return {};
}

function nestedPath(step: Step, name: string): string {
  if (step.type === "branch") return name === "else" ? "else" : `cases[${name.slice(4)}].steps`;
  return `branches.${name}`;
}

const key = (ref: SequenceRef) => `${ref.owner ?? ""}/${ref.name}`;

/** Indexes a definition; throws on duplicate step ids (parseDefinition reports them first). */
export function buildTree(definition: Definition): DefinitionTree {
  const steps = new Map<string, Placed>();
  const lists = new Map<string, readonly Step[]>();
  const walk = (list: readonly Step[], ref: SequenceRef, prefix: string) => {
    lists.set(key(ref), list);
    list.forEach((step, index) => {
      if (steps.has(step.id)) throw new Error(`duplicate step id ${step.id}`);
      const path = `${prefix}[${index}]`;
      steps.set(step.id, { step, sequence: ref, index, path });
      for (const [name, nested] of Object.entries(nestedSequences(step))) walk(nested, { owner: step.id, name }, `${path}.${nestedPath(step, name)}`);
    });
  };
  walk(definition.steps, ROOT, "steps");
  return { definition, steps, sequence: (ref) => lists.get(key(ref)) ?? [] };
}

export type After =
  | { kind: "step"; step: Step }
  /** The list ended: its owner (a structural step) may complete, or the run (owner null). */
  | { kind: "end"; sequence: SequenceRef };

/** What follows `stepId` in its list. */
export function after(tree: DefinitionTree, stepId: string): After {
  const placed = tree.steps.get(stepId);
  if (!placed) throw new Error(`unknown step ${stepId}`);
  const next = tree.sequence(placed.sequence)[placed.index + 1];
  return next ? { kind: "step", step: next } : { kind: "end", sequence: placed.sequence };
}

/** The step with this id, or throws (a definition version never changes under a run). */
export function stepOf(tree: DefinitionTree, stepId: string): Step {
  const placed = tree.steps.get(stepId);
  if (!placed) throw new Error(`unknown step ${stepId}`);
  return placed.step;
}
