/**
 * The `adf_parse` workflow step: reads the ADF a template points at (usually `input.adf`,
 * the lead.created event's ADF) into `steps.<id>.lead`, and fails for good on what is not a lead.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { makeDb } from "../../workers/db";
import { AdfLeadSchema } from "../../workers/leads/adf/parse";
import { type Step, StepSchema } from "../../workers/workflows/definition/schema";
import { renderTemplate } from "../../workers/workflows/template";
import { adfParseStep } from "../../workers/workflows/steps/adf-parse";
import { stepErrorOf } from "../../workers/workflows/steps/errors";
import type { RunData, StepContext } from "../../workers/workflows/steps/types";
import { samples } from "./helpers";

type AdfParse = Extract<Step, { type: "adf_parse" }>;

function contextWith(input: unknown): StepContext {
  const data: RunData = {
    input,
    steps: {},
    run: { id: "run_test", workflowId: "wf_test", version: 1, startedAt: 0 },
    tenant: { id: "ten_test", name: "Test Motors", timezone: "America/Phoenix" },
  };
  return {
    deps: { env, db: makeDb(env.DB), waitUntil: () => undefined, now: Date.now },
    tenantId: "ten_test",
    runId: "run_test",
    workflowId: "wf_test",
    stepId: "parse",
    iteration: 0,
    attempt: 1,
    key: "run_test:parse:0",
    data,
    render: (value) => renderTemplate(value, data),
    signal: new AbortController().signal,
    startChild: () => Promise.reject(new Error("adf_parse starts no child runs")),
  };
}

function step(xml: string): AdfParse {
  const parsed = StepSchema.parse({ id: "parse", type: "adf_parse", xml });
  if (parsed.type !== "adf_parse") throw new Error("not an adf_parse step");
  return parsed;
}

const Output = z.object({ lead: AdfLeadSchema, warnings: z.array(z.string()) });

describe("adf_parse", () => {
  it("runs inline and outputs the lead and its warnings", async () => {
    expect(adfParseStep.inline).toBe(true);
    const outcome = await adfParseStep.run(contextWith({ adf: samples.messyLead }), step("{{ input.adf }}"));
    if (outcome.kind !== "done") throw new Error(`expected done, got ${outcome.kind}`);
    const output = Output.parse(outcome.output);
    expect(output.lead.customer.name).toBe("Marcus O'Neil");
    expect(output.lead.vehicles[0]?.interest).toBe("test-drive");
    expect(output.warnings).toContain("an '&' that starts no entity was read as text");
  });

  it("reads ADF written into the template around other text", async () => {
    const outcome = await adfParseStep.run(contextWith({ name: "Dana" }), step(samples.newLead.replace("Dana", "{{ input.name }}")));
    if (outcome.kind !== "done") throw new Error("expected done");
    expect(Output.parse(outcome.output).lead.customer.firstName).toBe("Dana");
  });

  it("fails for good, with the problem, on a document that is not a lead", async () => {
    const err = await adfParseStep.run(contextWith({ adf: "<adf><prospect><customer/></prospect></adf>" }), step("{{ input.adf }}")).then(
      () => null,
      (e: unknown) => stepErrorOf(e),
    );
    expect(err).toEqual({ code: "invalid_adf", message: "Not a lead: adf.prospect.customer.contact: the customer has no name, email or phone", retryable: false });
  });

  it("fails for good when the template does not render to text", async () => {
    for (const input of [{}, { adf: { nested: true } }]) {
      const err = await adfParseStep.run(contextWith(input), step("{{ input.adf }}")).then(
        () => null,
        (e: unknown) => stepErrorOf(e),
      );
      expect(err).toMatchObject({ code: "invalid_adf", retryable: false });
    }
  });
});
