/**
 * `adf_parse`: reads an ADF document into a lead; usually `{{ input.adf }}`, since a run
 * started by lead.created gets the event's data as its input. Pure and quick, so it runs
 * inline. A document that cannot be a lead fails the step for good: parsing it again would
 * not change the answer.
 */
import { z } from "zod";
import type { Step } from "../definition/schema";
import { parseAdf } from "../../leads/adf/parse";
import { permanentFailure } from "./errors";
import type { StepHandler } from "./types";

export const adfParseStep: StepHandler<Extract<Step, { type: "adf_parse" }>> = {
  inline: true,
  async run(ctx, step) {
    const xml = z.string().safeParse(ctx.render(step.xml));
    if (!xml.success) throw permanentFailure("invalid_adf", "xml did not render to text; point it at the ADF document, e.g. {{ input.adf }}");
    const parsed = parseAdf(xml.data);
    if (!parsed.ok) throw permanentFailure("invalid_adf", `Not a lead: ${parsed.problems.map((p) => `${p.path}: ${p.message}`).join("; ")}`);
    return { kind: "done", output: { lead: parsed.lead, warnings: parsed.warnings } };
  },
};
