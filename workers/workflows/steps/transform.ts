/**
 * `transform`: the step's `output`, rendered against the run data, becomes its output:
 * reshaping data for later steps costs no outside call. Also home to the one way the
 * signal steps read their fields: render, then parse.
 */
import type { z } from "zod";
import type { Step } from "../definition/schema";
import { permanentFailure } from "./errors";
import type { StepContext, StepHandler } from "./types";

/**
 * Renders `fields` and parses the result with `schema`. What does not fit fails the step
 * for good ("invalid_step_input"), naming each field and what was wrong with it.
 */
export function renderStepInput<S extends z.ZodType>(ctx: StepContext, schema: S, fields: Record<string, unknown>): z.output<S> {
  const parsed = schema.safeParse(ctx.render(fields));
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.slice(0, 5).map((i) => `${i.path.map(String).join(".") || "input"}: ${i.message}`);
  throw permanentFailure("invalid_step_input", `Step "${ctx.stepId}" has invalid input after rendering its templates: ${problems.join("; ")}`);
}

export const transformStep: StepHandler<Extract<Step, { type: "transform" }>> = {
  inline: true,
  async run(ctx, step) {
    return { kind: "done", output: ctx.render(step.output) };
  },
};
