/**
 * The `ai` step against the simulator, through the gateway in process: the rendered prompt
 * reaches the model, the answer and its exact cost come back, the usage log says which
 * workflow spent the money, and routing, budgets and provider faults apply as for an API call.
 */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { Step } from "../../../workers/workflows/definition/schema";
import { aiStep, nanoUsdFromHeader } from "../../../workers/workflows/steps/ai";
import { createTestTenant } from "../../helpers/fixtures";
import { addAlias, addScenario, api, createBudget, listCost, marker, ownProviderKeys, putRouting, upstreamRequests, waitForUsage } from "../../gateway/helpers";
import { failureOf, stepContext } from "../step-context";

type AiStep = Extract<Step, { type: "ai" }>;

function aiStepOf(fields: Partial<AiStep> & { prompt: string }): AiStep {
  return { id: "draft", type: "ai", model: "gpt-4o-mini", output: "text", ...fields };
}

const AiOutput = z.object({
  text: z.string(),
  json: z.unknown().optional(),
  model: z.string(),
  provider: z.string(),
  usage: z.object({ inputTokens: z.number(), outputTokens: z.number() }),
  costNanoUsd: z.number().int(),
});

const Done = z.object({ kind: z.literal("done"), output: AiOutput, costNanoUsd: z.number().int() });

const ChatBody = z.object({
  messages: z.array(z.object({ role: z.string(), content: z.string() })),
  response_format: z.object({ type: z.string() }).optional(),
  max_tokens: z.number().optional(),
  temperature: z.number().optional(),
});

describe("ai step", { timeout: 30_000 }, () => {
  it("sends the rendered prompt, answers text with its exact cost, and logs usage under the workflow", async () => {
    const tenant = await createTestTenant("Workflow AI Motors");
    const mark = marker();
    const ctx = stepContext({ now: Date.now, tenantId: tenant.tenantId, stepId: "draft", input: { name: "Dana", vehicle: "2024 RAV4" } });
    const step = aiStepOf({
      system: "You write for {{ tenant.name }}.",
      prompt: `Write to {{ input.name }} about the {{ input.vehicle }} ${mark}`,
      temperature: 0.2,
      maxTokens: 200,
      tags: ["lead-reply"],
    });
    const done = Done.parse(await aiStep.run(ctx, step));
    expect(done.output).toMatchObject({ provider: "openai", model: "gpt-4o-mini" });
    expect(done.output.text.length).toBeGreaterThan(10);
    expect(done.output).not.toHaveProperty("json");
    expect(done.output.usage.inputTokens).toBeGreaterThan(0);
    expect(done.output.usage.outputTokens).toBeGreaterThan(0);
    expect(done.costNanoUsd).toBe(done.output.costNanoUsd);

    const [sent] = await upstreamRequests(mark);
    const body = ChatBody.parse(sent?.body);
    expect(body.messages).toEqual([
      { role: "system", content: "You write for Test Motors." },
      { role: "user", content: `Write to Dana about the 2024 RAV4 ${mark}` },
    ]);
    expect(body).toMatchObject({ max_tokens: 200, temperature: 0.2 });

    await ctx.settled();
    const row = await waitForUsage(`${ctx.key}:1`);
    expect(row).toMatchObject({ tenant_id: tenant.tenantId, api_key_id: null, status: 200, model_served: "gpt-4o-mini", provider: "openai" });
    expect(z.array(z.string()).parse(JSON.parse(row.tags))).toEqual(["workflow", `workflow:${ctx.workflowId}`, "lead-reply"]);
    expect(row.cost_nano_usd).toBe(listCost(row));
    expect(done.output.costNanoUsd).toBe(row.cost_nano_usd);
    expect(done.output.usage).toEqual({ inputTokens: row.input_tokens, outputTokens: row.output_tokens });
  });

  it("asks for JSON, says so to the model, and hands back the parsed object", async () => {
    const tenant = await createTestTenant("Workflow JSON Motors");
    const mark = marker();
    const ctx = stepContext({ now: Date.now, tenantId: tenant.tenantId });
    const done = Done.parse(await aiStep.run(ctx, aiStepOf({ prompt: `Classify this lead ${mark}`, output: "json" })));
    expect(done.output.json).toEqual({ answer: expect.any(String), topic: expect.any(String) });
    expect(JSON.parse(done.output.text)).toEqual(done.output.json);
    const body = ChatBody.parse((await upstreamRequests(mark))[0]?.body);
    expect(body.response_format).toEqual({ type: "json_object" });
    expect(body.messages[0]).toEqual({ role: "system", content: expect.stringMatching(/JSON/) });
  });

  it("fails retryably when the model's JSON is cut short", async () => {
    const tenant = await createTestTenant("Workflow Cut Motors");
    const ctx = stepContext({ now: Date.now, tenantId: tenant.tenantId });
    const failure = await failureOf(aiStep.run(ctx, aiStepOf({ prompt: `Reply in JSON ${marker()}`, output: "json", maxTokens: 3 })));
    expect(failure).toMatchObject({ code: "invalid_model_output", retryable: true });
  });

  it("resolves a tenant's model alias", async () => {
    const tenant = await createTestTenant("Workflow Alias Motors");
    await addAlias(tenant.tenantId, "drafter", "anthropic/claude-3-5-haiku-latest");
    const done = Done.parse(await aiStep.run(stepContext({ now: Date.now, tenantId: tenant.tenantId }), aiStepOf({ model: "drafter", prompt: `Hello ${marker()}` })));
    expect(done.output).toMatchObject({ provider: "anthropic", model: "claude-3-5-haiku-latest" });
    expect(done.output.costNanoUsd).toBeGreaterThan(0);
  });

  it("lets routing rules match the step by its metadata", async () => {
    const tenant = await createTestTenant("Workflow Routing Motors");
    await putRouting(tenant.adminKey, "rules:\n  - name: follow-ups-on-haiku\n    match:\n      metadata:\n        step: follow_up\n    targets:\n      - anthropic/claude-3-5-haiku-latest\n");
    const matched = Done.parse(await aiStep.run(stepContext({ now: Date.now, tenantId: tenant.tenantId, stepId: "follow_up" }), aiStepOf({ id: "follow_up", prompt: `Nudge ${marker()}` })));
    expect(matched.output.provider).toBe("anthropic");
    const other = Done.parse(await aiStep.run(stepContext({ now: Date.now, tenantId: tenant.tenantId, stepId: "draft" }), aiStepOf({ prompt: `Draft ${marker()}` })));
    expect(other.output.provider).toBe("openai");
  });

  it("is refused for good by a budget on the workflow's tag, without reaching a provider", async () => {
    const tenant = await createTestTenant("Workflow Budget Motors");
    const ctx = stepContext({ now: Date.now, tenantId: tenant.tenantId });
    await createBudget(tenant.adminKey, { name: "This workflow", scope: "tag", scopeId: `workflow:${ctx.workflowId}`, limitUsd: 0.000001, window: "day", action: "hard" });
    const mark = marker();
    const failure = await failureOf(aiStep.run(ctx, aiStepOf({ prompt: `Expensive ${mark}`, maxTokens: 4000 })));
    expect(failure).toMatchObject({ code: "budget_exceeded", retryable: false });
    expect(failure.message).toContain("This workflow");
    expect(await upstreamRequests(mark)).toHaveLength(0);
    // Another workflow of the same tenant is not under that budget.
    const other = Done.parse(await aiStep.run(stepContext({ now: Date.now, tenantId: tenant.tenantId }), aiStepOf({ prompt: `Cheap ${marker()}`, maxTokens: 4000 })));
    expect(other.output.text.length).toBeGreaterThan(0);
  });

  it.each([
    [503, "upstream_error", true],
    [429, "rate_limited", true],
    [400, "bad_request", false],
  ])("fails on a provider %i as %s, retryable: %s", async (status, code, retryable) => {
    const tenant = await createTestTenant("Workflow Fault Motors");
    // Its own keys: the faults below open only this tenant's circuits.
    await ownProviderKeys(tenant.tenantId);
    const mark = marker();
    await addScenario({ match: { text: mark }, status });
    const failure = await failureOf(aiStep.run(stepContext({ now: Date.now, tenantId: tenant.tenantId }), aiStepOf({ prompt: `Fault ${mark}` })));
    expect(failure).toMatchObject({ code, retryable });
  });

  it("fails retryably when the tenant's own rate limit is reached", async () => {
    const tenant = await createTestTenant("Workflow Rate Motors");
    const res = await api(tenant.adminKey, "POST", "/rate-limits", { scope: "tenant", rpm: 1 });
    expect(res.status, await res.text()).toBe(201);
    await aiStep.run(stepContext({ now: Date.now, tenantId: tenant.tenantId }), aiStepOf({ prompt: `First ${marker()}` }));
    const failure = await failureOf(aiStep.run(stepContext({ now: Date.now, tenantId: tenant.tenantId }), aiStepOf({ prompt: `Second ${marker()}` })));
    expect(failure).toMatchObject({ code: "rate_limited", retryable: true });
  });

  it("fails over on a provider 503 when the tenant's rules name a fallback", async () => {
    const tenant = await createTestTenant("Workflow Failover Motors");
    await ownProviderKeys(tenant.tenantId);
    await putRouting(tenant.adminKey, "rules:\n  - name: fallback\n    strategy: fallback\n    targets:\n      - openai/gpt-4o-mini\n      - anthropic/claude-3-5-haiku-latest\n");
    const mark = marker();
    await addScenario({ match: { text: mark, model: "gpt-4o-mini" }, status: 503 });
    const done = Done.parse(await aiStep.run(stepContext({ now: Date.now, tenantId: tenant.tenantId }), aiStepOf({ prompt: `Failover ${mark}` })));
    expect(done.output).toMatchObject({ provider: "anthropic", model: "claude-3-5-haiku-latest" });
  });

  it("refuses an unknown model for good and reports a timeout as retryable", async () => {
    const tenant = await createTestTenant("Workflow Bad Input Motors");
    const unknown = await failureOf(aiStep.run(stepContext({ now: Date.now, tenantId: tenant.tenantId }), aiStepOf({ model: "nosuchvendor/model-x", prompt: "Hi" })));
    expect(unknown).toMatchObject({ code: "model_not_found", retryable: false });
    const timedOut = await failureOf(aiStep.run(stepContext({ now: Date.now, tenantId: tenant.tenantId, signal: AbortSignal.abort() }), aiStepOf({ prompt: `Late ${marker()}` })));
    expect(timedOut).toMatchObject({ code: "step_timeout", retryable: true });
    const empty = await failureOf(aiStep.run(stepContext({ now: Date.now, tenantId: tenant.tenantId }), aiStepOf({ prompt: "{{ input.missing }}" })));
    expect(empty).toMatchObject({ code: "invalid_step_input", retryable: false });
  });
});

describe("nanoUsdFromHeader", () => {
  it("reads dollars with nine decimals as exact integer nano-USD", () => {
    expect(nanoUsdFromHeader("0.000001234")).toBe(1234);
    expect(nanoUsdFromHeader("12.345678901")).toBe(12_345_678_901);
    expect(nanoUsdFromHeader("0.1")).toBe(100_000_000);
    expect(nanoUsdFromHeader("3")).toBe(3_000_000_000);
    expect(nanoUsdFromHeader("0.000000007")).toBe(7);
    // Through a float this would be 1000000001.0000001.
    expect(nanoUsdFromHeader("1.000000001")).toBe(1_000_000_001);
  });

  it("answers 0 for a missing or malformed header", () => {
    for (const bad of [undefined, "", "-1.0", "1e-9", "0.0000000001", "abc", "1.2.3"]) expect(nanoUsdFromHeader(bad), String(bad)).toBe(0);
  });
});
