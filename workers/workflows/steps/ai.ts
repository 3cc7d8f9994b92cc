/**
 * The `ai` step: one chat completion through the gateway, in process. It is an API call in
 * every way that matters (routing rules, budgets, rate limits, failover, the usage log), made
 * on behalf of the workflow: usage rows carry the tags `workflow` and `workflow:<id>`.
 */
import { z } from "zod";
import { templateCallHeaders } from "../../models/prompts/gateway";
import { toAppError } from "../../errors";
import { gatewayDepsOf, generate, type CallInput, type CallResult } from "../../gateway/call";
import type { Step } from "../definition/schema";
import { permanentFailure, StepFailure, stepErrorOf } from "./errors";
import type { StepContext, StepHandler } from "./types";

type AiStep = Extract<Step, { type: "ai" }>;

/** What `steps.<id>` holds after an ai step. */
export type AiOutput = {
  text: string;
  json?: unknown;
  model: string;
  provider: string;
  usage: { inputTokens: number; outputTokens: number };
  costNanoUsd: number;
};

const ENDPOINT = "/v1/chat/completions";
// OpenAI refuses json_object mode unless a message mentions JSON; say it once if the prompt does not.
const JSON_HINT = "Answer with a single JSON object and nothing else.";

const Scalar = z.union([z.string(), z.number(), z.boolean()]);
const ModelName = z.string().trim().min(1).max(200);
const Tags = z.array(z.string().trim().min(1).max(64)).max(10);

const ChatAnswer = z.object({
  choices: z.array(z.object({ message: z.object({ content: z.string().nullable().optional() }) })).min(1),
  usage: z.object({ prompt_tokens: z.number().int().nonnegative(), completion_tokens: z.number().int().nonnegative() }).optional(),
});

/**
 * The x-auterity-cost-usd header (dollars with up to nine decimals) as integer nano-USD,
 * read digit by digit so no float rounding creeps in; 0 when absent or malformed.
 */
export function nanoUsdFromHeader(value: string | undefined): number {
  const m = /^(\d{1,9})(?:\.(\d{1,9}))?$/.exec(value?.trim() ?? "");
  if (!m) return 0;
  return Number(m[1]) * 1_000_000_000 + Number((m[2] ?? "").padEnd(9, "0"));
}

/** A rendered text field: strings as they are, numbers and booleans as text, anything else as JSON. */
function textOf(value: unknown): string {
  const scalar = Scalar.safeParse(value);
  if (scalar.success) return String(scalar.data);
  return value === undefined || value === null ? "" : JSON.stringify(value);
}

function messagesOf(ctx: StepContext, step: AiStep): { role: "system" | "user"; content: string }[] {
  const prompt = textOf(ctx.render(step.prompt));
  if (prompt.trim() === "") throw permanentFailure("invalid_step_input", "The prompt rendered to an empty text");
  let system = step.system === undefined ? "" : textOf(ctx.render(step.system));
  if (step.output === "json" && !/json/i.test(`${system} ${prompt}`)) system = system ? `${system}\n\n${JSON_HINT}` : JSON_HINT;
  return [...(system ? [{ role: "system" as const, content: system }] : []), { role: "user" as const, content: prompt }];
}

const Variables = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));

function templateVariables(ctx: StepContext, step: AiStep): z.infer<typeof Variables> {
  const parsed = Variables.safeParse(ctx.render(step.variables ?? {}));
  if (!parsed.success) throw permanentFailure("invalid_step_input", "variables must render to text, numbers or booleans");
  return parsed.data;
}

function callInputOf(ctx: StepContext, step: AiStep): CallInput {
  const model = ModelName.safeParse(ctx.render(step.model));
  if (!model.success) throw permanentFailure("invalid_step_input", "model must render to a model name");
  const tags = Tags.safeParse(ctx.render(step.tags ?? []));
  if (!tags.success) throw permanentFailure("invalid_step_input", "tags must render to at most 10 short strings");
  const body: CallInput["body"] = {
    model: model.data,
    messages: messagesOf(ctx, step),
    ...(step.temperature === undefined ? {} : { temperature: step.temperature }),
    ...(step.maxTokens === undefined ? {} : { max_tokens: step.maxTokens }),
    ...(step.output === "json" ? { response_format: { type: "json_object" } } : {}),
  };
  return {
    // One usage row per attempt, each traceable to its run and step.
    requestId: `${ctx.key}:${ctx.attempt}`,
    caller: { tenantId: ctx.tenantId, apiKeyId: null, userId: null, tags: [...new Set(["workflow", `workflow:${ctx.workflowId}`, ...tags.data])] },
    endpoint: ENDPOINT,
    format: "openai-chat",
    body,
    // Routing rules can match these (match.metadata) as if they were x-auterity-* headers.
    metadata: { workflow: ctx.workflowId, run: ctx.runId, step: ctx.stepId },
    headers: step.template === undefined ? new Headers() : templateCallHeaders(step.template, templateVariables(ctx, step)),
    signal: ctx.signal,
  };
}

/** The gateway's refusal or failure as a step failure; only a timeout, 408, 429 and 5xx are worth another try. */
function failureOf(err: unknown, signal: AbortSignal): StepFailure {
  if (signal.aborted) return new StepFailure("step_timeout", "The model did not answer within the step's timeout", true);
  const info = stepErrorOf(err);
  const status = toAppError(err).status;
  return new StepFailure(info.code, info.message, info.retryable || (status >= 500 && status !== 501));
}

function stripFences(text: string): string {
  const fenced = /^\s*```(?:json)?\s*\n?([\s\S]*?)\n?\s*```\s*$/i.exec(text);
  return fenced?.[1] ?? text;
}

function parseJsonOutput(text: string): unknown {
  try {
    return JSON.parse(stripFences(text));
  } catch {
    throw new StepFailure("invalid_model_output", `The model was asked for JSON and answered something else: ${text.slice(0, 200)}`, true);
  }
}

function outputOf(step: AiStep, result: CallResult): AiOutput {
  if (result.kind !== "json") throw new StepFailure("invalid_model_output", "The gateway answered with a stream", true);
  const answer = ChatAnswer.safeParse(result.body);
  if (!answer.success) throw new StepFailure("invalid_model_output", "The model's answer had no message", true);
  const text = answer.data.choices[0]?.message.content ?? "";
  const usage = answer.data.usage;
  return {
    text,
    ...(step.output === "json" ? { json: parseJsonOutput(text) } : {}),
    model: result.headers["x-auterity-model"] ?? "",
    provider: result.headers["x-auterity-provider"] ?? "",
    usage: { inputTokens: usage?.prompt_tokens ?? 0, outputTokens: usage?.completion_tokens ?? 0 },
    costNanoUsd: nanoUsdFromHeader(result.headers["x-auterity-cost-usd"]),
  };
}

function recordedPrompt(input: CallInput): { model: string; system: string | null; prompt: string } {
  const parsed = z.array(z.object({ role: z.string(), content: z.string() })).safeParse(input.body.messages);
  const messages = parsed.success ? parsed.data : [];
  return {
    model: input.body.model,
    system: messages.find((m) => m.role === "system")?.content ?? null,
    prompt: messages.find((m) => m.role === "user")?.content ?? "",
  };
}

/** Runs an `ai` step: renders the prompt, calls the gateway, returns the answer and its cost. */
export const aiStep: StepHandler<AiStep> = {
  inline: false,
  async run(ctx, step) {
    const input = callInputOf(ctx, step);
    const { env, db, waitUntil } = ctx.deps;
    const result = await generate(gatewayDepsOf(env, db, waitUntil), input).catch((err: unknown) => {
      throw failureOf(err, ctx.signal);
    });
    const output = outputOf(step, result);
    // The rendered prompt is kept on the step run: run history shows it, and datasets are built from it.
    return { kind: "done", output, costNanoUsd: output.costNanoUsd, input: recordedPrompt(input) };
  },
};
