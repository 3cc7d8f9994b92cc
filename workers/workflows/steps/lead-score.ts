/**
 * `lead_score`: how hot a lead is, from workers/dealership/lead-score. Purchase dates are
 * measured from the engine's clock, so a replayed run scores the same.
 */
import { leadScore, LeadScoreInputSchema } from "../../dealership/lead-score";
import type { Step } from "../definition/schema";
import { renderStepInput } from "./transform";
import type { StepHandler } from "./types";

const Input = LeadScoreInputSchema.omit({ now: true });

export const leadScoreStep: StepHandler<Extract<Step, { type: "lead_score" }>> = {
  inline: true,
  async run(ctx, step) {
    const input = renderStepInput(ctx, Input, { lead: step.lead, sentiment: step.sentiment, intent: step.intent });
    return { kind: "done", output: leadScore({ ...input, now: ctx.deps.now() }) };
  },
};
