/** `quality_score`: checks a drafted reply before it is sent, from workers/dealership/quality-score. */
import { qualityScore, QualityInputSchema } from "../../dealership/quality-score";
import type { Step } from "../definition/schema";
import { renderStepInput } from "./transform";
import type { StepHandler } from "./types";

export const qualityScoreStep: StepHandler<Extract<Step, { type: "quality_score" }>> = {
  inline: true,
  async run(ctx, step) {
    const input = renderStepInput(ctx, QualityInputSchema, { text: step.text, lead: step.lead });
    return { kind: "done", output: qualityScore(input) };
  },
};
