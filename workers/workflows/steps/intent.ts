/** `intent`: what a customer's message asks for (faq, booking, sales, support, escalation), from workers/dealership/intent. */
import { z } from "zod";
import { intent } from "../../dealership/intent";
import type { Step } from "../definition/schema";
import { renderStepInput } from "./transform";
import type { StepHandler } from "./types";

const Input = z.object({ text: z.string().max(100_000) });

export const intentStep: StepHandler<Extract<Step, { type: "intent" }>> = {
  inline: true,
  async run(ctx, step) {
    const { text } = renderStepInput(ctx, Input, { text: step.text });
    return { kind: "done", output: intent(text) };
  },
};
