import { describe, expect, it } from "vitest";
import { StepSchema, type Step } from "../../../workers/workflows/definition/schema";
import { intentStep } from "../../../workers/workflows/steps/intent";
import { leadScoreStep } from "../../../workers/workflows/steps/lead-score";
import { qualityScoreStep } from "../../../workers/workflows/steps/quality-score";
import { sentimentStep } from "../../../workers/workflows/steps/sentiment";
import { serviceDueStep } from "../../../workers/workflows/steps/service-due";
import { transformStep } from "../../../workers/workflows/steps/transform";
import { failureOf, outputOf, stepContext } from "../step-context";

function isType<T extends Step["type"]>(s: Step, type: T): s is Extract<Step, { type: T }> {
  return s.type === type;
}

/** A step as the definition schema reads it (defaults filled in). */
function step<T extends Step["type"]>(raw: Record<string, unknown> & { type: T }): Extract<Step, { type: T }> {
  const parsed = StepSchema.parse(raw);
  if (!isType(parsed, raw.type)) throw new Error(`parsed a ${parsed.type} step`);
  return parsed;
}

const EVENT = {
  leadId: "lead_1",
  source: "adf",
  customer: { name: "Dana Reyes", email: "dana@example.com", phone: "(512) 867-5309" },
  vehicle: { year: 2024, make: "Toyota", model: "RAV4", vin: "2T3P1RFV8RW123456" },
  comments: "Is the RAV4 still available? I'd love to test drive it this weekend. Thanks!",
};

describe("signal steps in a run", () => {
  it("all of them run inline", () => {
    for (const h of [transformStep, sentimentStep, intentStep, leadScoreStep, qualityScoreStep, serviceDueStep]) expect(h.inline).toBe(true);
  });

  it("transform renders its output against the run data, keeping types", async () => {
    const ctx = stepContext({ event: EVENT, steps: { score: { score: 88, grade: "hot" } } });
    const s = step({ id: "shape", type: "transform", output: { leadId: "{{ event.leadId }}", hot: "{{ steps.score.score }}", greeting: "Hi {{ event.customer.name | first_name }}", tags: ["{{ event.source | upper }}"] } });
    expect(outputOf(await transformStep.run(ctx, s))).toEqual({ leadId: "lead_1", hot: 88, greeting: "Hi Dana", tags: ["ADF"] });
  });

  it("sentiment and intent read the customer's words from a template", async () => {
    const ctx = stepContext({ event: EVENT });
    const tone = outputOf(await sentimentStep.run(ctx, step({ id: "tone", type: "sentiment", text: "{{ event.comments }}" })));
    expect(tone).toMatchObject({ label: "positive" });
    const ask = outputOf(await intentStep.run(ctx, step({ id: "ask", type: "intent", text: "{{ event.comments }}" })));
    expect(ask).toMatchObject({ intent: expect.stringMatching(/^(sales|booking)$/) });
  });

  it("lead_score uses earlier steps' outputs and the engine's clock", async () => {
    const ctx = stepContext({ event: EVENT, steps: { tone: { label: "positive", score: 0.7, signals: [] }, ask: { intent: "sales", confidence: 0.8 } } });
    const s = step({ id: "score", type: "lead_score", lead: "{{ event }}", sentiment: "{{ steps.tone }}", intent: "{{ steps.ask }}" });
    const out = outputOf(await leadScoreStep.run(ctx, s));
    expect(out).toMatchObject({ grade: "hot" });
    expect(out).toEqual(outputOf(await leadScoreStep.run(ctx, s)));
  });

  it("quality_score checks a drafted reply against the lead", async () => {
    const draft = "Hi Dana, the 2024 RAV4 is available and ready for a test drive this weekend. Would Saturday at 10am work for you?";
    const ctx = stepContext({ event: EVENT, steps: { draft: { text: draft } } });
    const out = outputOf(await qualityScoreStep.run(ctx, step({ id: "check", type: "quality_score", text: "{{ steps.draft.text }}", lead: "{{ event }}" })));
    expect(out).toMatchObject({ score: 100 });
  });

  it("service_due fills in the definition's defaults", async () => {
    const ctx = stepContext({ input: { vehicle: { lastServiceAt: "2025-01-10", lastServiceMileage: 40_000, milesPerDay: 10 } } });
    const out = outputOf(await serviceDueStep.run(ctx, step({ id: "due", type: "service_due", vehicle: "{{ input.vehicle }}" })));
    expect(out).toMatchObject({ dueAt: "2025-07-10", reason: "time", milesPerDaySource: "given" });
    const yearly = step({ id: "due", type: "service_due", vehicle: { lastServiceAt: "{{ input.vehicle.lastServiceAt }}", lastServiceMileage: "{{ input.vehicle.lastServiceMileage }}", milesPerDay: 10 }, intervalMonths: 12, intervalMiles: 10_000 });
    expect(outputOf(await serviceDueStep.run(ctx, yearly))).toMatchObject({ dueAt: "2026-01-10" });
  });
});

describe("bad step input fails for good, saying what is wrong", () => {
  it("a text field that rendered to nothing", async () => {
    const f = await failureOf(sentimentStep.run(stepContext({ event: EVENT, stepId: "tone" }), step({ id: "tone", type: "sentiment", text: "{{ event.comment }}" })));
    expect(f).toMatchObject({ code: "invalid_step_input", retryable: false });
    expect(f.message).toContain('Step "tone"');
    expect(f.message).toContain("text:");
  });

  it("a lead that is not an object", async () => {
    const f = await failureOf(leadScoreStep.run(stepContext({ event: EVENT }), step({ id: "score", type: "lead_score", lead: "{{ event.leadId }}" })));
    expect(f).toMatchObject({ code: "invalid_step_input", retryable: false });
    expect(f.message).toContain("lead:");
  });

  it("a service date that is not a date", async () => {
    const ctx = stepContext({ input: { vehicle: { lastServiceAt: "last spring", lastServiceMileage: 40_000 } } });
    const f = await failureOf(serviceDueStep.run(ctx, step({ id: "due", type: "service_due", vehicle: "{{ input.vehicle }}" })));
    expect(f.code).toBe("invalid_step_input");
    expect(f.message).toContain("vehicle.lastServiceAt: expected an ISO 8601 date or epoch milliseconds");
  });

  it("a drafted reply that is an object", async () => {
    const ctx = stepContext({ steps: { draft: { text: "Hi" } } });
    const f = await failureOf(qualityScoreStep.run(ctx, step({ id: "check", type: "quality_score", text: "{{ steps.draft }}" })));
    expect(f).toMatchObject({ code: "invalid_step_input", retryable: false });
  });

  it("a malformed template is a permanent invalid_template failure", async () => {
    const f = await failureOf(intentStep.run(stepContext({ event: EVENT }), step({ id: "ask", type: "intent", text: "{{ event.comments | shout }}" })));
    expect(f).toMatchObject({ code: "invalid_template", retryable: false });
    expect(f.message).toContain('unknown filter "shout"');
    const t = await failureOf(transformStep.run(stepContext(), step({ id: "shape", type: "transform", output: { x: "{{ input.a" } })));
    expect(t.code).toBe("invalid_template");
  });
});
