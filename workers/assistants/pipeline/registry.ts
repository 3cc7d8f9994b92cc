/**
 * Pipeline steps by name. An assistant's pipeline is a list of these names: adding, removing
 * or reordering a step is a change to the assistant, not to the engine.
 */
import { guard } from "./steps/guard";
import { loadContext } from "./steps/load-context";
import { modelCall } from "./steps/model-call";
import { persistence } from "./steps/persistence";
import { retrieval } from "./steps/retrieval";
import { intentStep, leadScoreStep, qualityStep, sentimentStep } from "./steps/signals";
import type { PipelineStep } from "./types";

export const STEPS = {
  load_context: loadContext,
  guard,
  retrieval,
  model_call: modelCall,
  sentiment: sentimentStep,
  intent: intentStep,
  quality_score: qualityStep,
  lead_score: leadScoreStep,
  persistence,
} satisfies Record<string, PipelineStep>;

export type StepName = keyof typeof STEPS;

export const STEP_NAMES = Object.keys(STEPS) as StepName[];

/** Every step, in the order that makes sense end to end. */
export const DEFAULT_PIPELINE: readonly StepName[] = STEP_NAMES;

function isStepName(name: string): name is StepName {
  return Object.hasOwn(STEPS, name);
}

/** The names in `pipeline` that are not steps. */
export function unknownSteps(pipeline: readonly string[]): string[] {
  return pipeline.filter((s) => !isStepName(s));
}

/** The step called `name`; throws for a name that is not one. */
export function stepNamed(name: string): PipelineStep {
  if (!isStepName(name)) throw new Error(`unknown pipeline step '${name}'`);
  return STEPS[name];
}
