/**
 * POST /openai/v1/chat/completions: `chat.completion`, or `chat.completion.chunk` SSE
 * ending in `data: [DONE]`, with tools, structured outputs, stop and max-token limits.
 */
import type { ServerResponse } from "node:http";
import { z } from "zod";
import type { Knobs } from "./faults.ts";
import { nowSeconds, randomId } from "./http.ts";
import { OPENAI_CHAT_MODELS, isOpenModel } from "./models.ts";
import { chatStreamEvents, finishReason } from "./openai-chat-stream.ts";
import type { OpenAIEndpoint } from "./openai.ts";
import { planReply, type OutputFormat, type ReplyPlan } from "./reply.ts";
import { sendJsonMaybeCut, sendSse } from "./sse.ts";
import { countTokens, IMAGE_TOKENS, MESSAGE_OVERHEAD_TOKENS } from "./text.ts";
import type { ToolMode } from "./tools.ts";

const part = z.looseObject({ type: z.string(), text: z.string().optional() });
const message = z.looseObject({
  role: z.enum(["system", "developer", "user", "assistant", "tool", "function"]),
  content: z.union([z.string(), z.array(part), z.null()]).optional(),
  tool_calls: z.array(z.looseObject({ id: z.string(), function: z.looseObject({ name: z.string(), arguments: z.string() }) })).optional(),
});
const tool = z.looseObject({
  type: z.literal("function"),
  function: z.looseObject({ name: z.string().min(1), description: z.string().optional(), parameters: z.unknown().optional() }),
});
const responseFormat = z.discriminatedUnion("type", [
  z.looseObject({ type: z.literal("text") }),
  z.looseObject({ type: z.literal("json_object") }),
  z.looseObject({ type: z.literal("json_schema"), json_schema: z.looseObject({ name: z.string(), schema: z.unknown().optional() }) }),
]);
const chatBody = z.looseObject({
  model: z.string().min(1),
  messages: z.array(message).min(1),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullish(),
  max_tokens: z.number().int().positive().nullish(),
  max_completion_tokens: z.number().int().positive().nullish(),
  tools: z.array(tool).optional(),
  tool_choice: z.union([z.enum(["auto", "none", "required"]), z.looseObject({ type: z.literal("function"), function: z.object({ name: z.string() }) })]).optional(),
  parallel_tool_calls: z.boolean().nullish(),
  response_format: responseFormat.optional(),
  stop: z.union([z.string(), z.array(z.string())]).nullish(),
});
type ChatBody = z.infer<typeof chatBody>;
type Message = z.infer<typeof message>;

/** Text of a message's content (text parts joined). */
function textOf(m: Message): string {
  if (typeof m.content === "string") return m.content;
  return (m.content ?? []).map((p) => p.text ?? "").join("");
}

/** Prompt tokens: text, images and tool calls of every message, plus the tool definitions. */
export function chatPromptTokens(body: ChatBody): number {
  let n = 3;
  for (const m of body.messages) {
    n += MESSAGE_OVERHEAD_TOKENS + countTokens(textOf(m));
    if (Array.isArray(m.content)) n += m.content.filter((p) => p.type === "image_url").length * IMAGE_TOKENS;
    for (const c of m.tool_calls ?? []) n += countTokens(c.function.name) + countTokens(c.function.arguments);
  }
  if (body.tools) n += countTokens(JSON.stringify(body.tools));
  return n;
}

function toolMode(choice: ChatBody["tool_choice"]): ToolMode {
  if (choice === undefined || choice === "auto") return { mode: "auto" };
  if (typeof choice === "string") return { mode: choice };
  return { mode: "named", name: choice.function.name };
}

function outputFormat(rf: ChatBody["response_format"]): OutputFormat {
  if (!rf || rf.type === "text") return { type: "text" };
  if (rf.type === "json_object") return { type: "json_object" };
  return { type: "json_schema", schema: rf.json_schema.schema ?? { type: "object" } };
}

function plan(body: ChatBody): ReplyPlan {
  const last = body.messages[body.messages.length - 1]!;
  const lastUser = [...body.messages].reverse().find((m) => m.role === "user");
  const trailingTools = last.role === "tool" ? body.messages.slice(body.messages.findLastIndex((m) => m.role !== "tool") + 1) : [];
  return planReply({
    seed: `${body.model}\n${JSON.stringify(body.messages)}`,
    lastUserText: lastUser ? textOf(lastUser) : "",
    toolResult: trailingTools.length > 0 ? trailingTools.map(textOf).join("; ") : null,
    format: outputFormat(body.response_format),
    stops: typeof body.stop === "string" ? [body.stop] : (body.stop ?? []),
    maxTokens: body.max_completion_tokens ?? body.max_tokens ?? undefined,
    tools: (body.tools ?? []).map((t) => ({ name: t.function.name, description: t.function.description, parameters: t.function.parameters })),
    toolChoice: toolMode(body.tool_choice),
    parallelTools: body.parallel_tool_calls !== false,
  });
}

/** OpenAI's `usage` object for a prompt and completion size. */
export function chatUsage(promptTokens: number, completionTokens: number): Record<string, unknown> {
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  };
}

function completion(body: ChatBody, p: ReplyPlan, id: string): Record<string, unknown> {
  const toolCalls = p.calls.map((c) => ({ id: randomId("call_", 18), type: "function", function: { name: c.name, arguments: c.arguments } }));
  const msg = { role: "assistant", content: p.calls.length > 0 ? null : p.text, refusal: null, annotations: [], ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}) };
  return {
    id,
    object: "chat.completion",
    created: nowSeconds(),
    model: body.model,
    choices: [{ index: 0, message: msg, logprobs: null, finish_reason: finishReason(p) }],
    usage: chatUsage(chatPromptTokens(body), p.outputTokens),
    service_tier: "default",
    system_fingerprint: "fp_sim",
  };
}

async function answer(res: ServerResponse, body: ChatBody, knobs: Knobs | undefined): Promise<void> {
  const p = plan(body);
  const id = randomId("chatcmpl-", 21);
  const headers = { "x-request-id": randomId("req_"), "openai-processing-ms": "1" };
  if (!body.stream) return sendJsonMaybeCut(res, completion(body, p, id), knobs, headers);
  const usage = body.stream_options?.include_usage ? chatUsage(chatPromptTokens(body), p.outputTokens) : undefined;
  await sendSse(res, chatStreamEvents({ id, model: body.model, created: nowSeconds(), plan: p, usage }), knobs, headers);
}

const CHAT_MODELS = new Set<string>(OPENAI_CHAT_MODELS);

/** The chat completions endpoint. */
export const chatEndpoint: OpenAIEndpoint<ChatBody> = {
  schema: chatBody,
  serves: (model) => CHAT_MODELS.has(model) || isOpenModel(model),
  answer,
};
