/** `sentiment`: the tone of a text (a customer's message, a review), from workers/dealership/sentiment. */
import { z } from "zod";
import { sentiment } from "../../dealership/sentiment";
import type { Step } from "../definition/schema";
import { renderStepInput } from "./transform";
import type { StepHandler } from "./types";

const Input = z.object({ text: z.string().max(100_000) });

export const sentimentStep: StepHandler<Extract<Step, { type: "sentiment" }>> = {
  inline: true,
  async run(ctx, step) {
    const { text } = renderStepInput(ctx, Input, { text: step.text });
    return { kind: "done", output: sentiment(text) };
  },
};
