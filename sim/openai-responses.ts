/**
 * POST /openai/v1/responses (Responses API): string or item input, instructions, function
 * tools, structured text formats, max_output_tokens; a `response` object or its event stream.
 */
import type { ServerResponse } from "node:http";
import { z } from "zod";
import type { Knobs } from "./faults.ts";
import { nowSeconds, randomId } from "./http.ts";
import { OPENAI_CHAT_MODELS, isOpenModel } from "./models.ts";
import { type OutputItem, responseStreamEvents } from "./openai-responses-stream.ts";
import type { OpenAIEndpoint } from "./openai.ts";
import { planReply, type OutputFormat, type ReplyPlan } from "./reply.ts";
import { sendJsonMaybeCut, sendSse } from "./sse.ts";
import { countTokens, IMAGE_TOKENS, MESSAGE_OVERHEAD_TOKENS } from "./text.ts";
import type { ToolMode } from "./tools.ts";

const part = z.looseObject({ type: z.string(), text: z.string().optional() });
const content = z.union([z.string(), z.array(part)]);
const item = z.looseObject({
  type: z.string().optional(),
  role: z.string().optional(),
  content: content.optional(),
  name: z.string().optional(),
  arguments: z.string().optional(),
  output: content.optional(),
});
const tool = z.looseObject({ type: z.string(), name: z.string().optional(), description: z.string().nullish(), parameters: z.unknown().optional() });
const format = z.discriminatedUnion("type", [
  z.looseObject({ type: z.literal("text") }),
  z.looseObject({ type: z.literal("json_object") }),
  z.looseObject({ type: z.literal("json_schema"), name: z.string(), schema: z.unknown() }),
]);
const responsesBody = z.looseObject({
  model: z.string().min(1),
  input: z.union([z.string(), z.array(item).min(1)]),
  instructions: z.string().nullish(),
  tools: z.array(tool).optional(),
  tool_choice: z.union([z.enum(["auto", "none", "required"]), z.looseObject({ type: z.literal("function"), name: z.string() })]).optional(),
  parallel_tool_calls: z.boolean().nullish(),
  max_output_tokens: z.number().int().min(16).nullish(),
  stream: z.boolean().nullish(),
  text: z.looseObject({ format: format.optional() }).nullish(),
});
type ResponsesBody = z.infer<typeof responsesBody>;
type Item = z.infer<typeof item>;

function textOf(c: z.infer<typeof content> | undefined): string {
  if (c === undefined) return "";
  return typeof c === "string" ? c : c.map((p) => p.text ?? "").join("");
}

function items(body: ResponsesBody): Item[] {
  return typeof body.input === "string" ? [{ role: "user", content: body.input }] : body.input;
}

function itemTokens(it: Item): number {
  const images = Array.isArray(it.content) ? it.content.filter((p) => p.type === "input_image").length * IMAGE_TOKENS : 0;
  return MESSAGE_OVERHEAD_TOKENS + countTokens(textOf(it.content)) + images + countTokens(it.name ?? "") + countTokens(it.arguments ?? "") + countTokens(textOf(it.output));
}

function inputTokens(body: ResponsesBody): number {
  const tools = body.tools ? countTokens(JSON.stringify(body.tools)) : 0;
  return countTokens(body.instructions ?? "") + items(body).reduce((n, it) => n + itemTokens(it), 0) + tools;
}

function toolMode(choice: ResponsesBody["tool_choice"]): ToolMode {
  if (choice === undefined || choice === "auto") return { mode: "auto" };
  return typeof choice === "string" ? { mode: choice } : { mode: "named", name: choice.name };
}

function outputFormat(f: z.infer<typeof format> | undefined): OutputFormat {
  if (!f || f.type === "text") return { type: "text" };
  return f.type === "json_object" ? { type: "json_object" } : { type: "json_schema", schema: f.schema };
}

function plan(body: ResponsesBody): ReplyPlan {
  const all = items(body);
  const lastUser = all.filter((it) => it.role === "user").at(-1);
  const firstOutput = all.findLastIndex((it) => it.type !== "function_call_output") + 1;
  const outputs = all.slice(firstOutput);
  return planReply({
    seed: `${body.model}\n${body.instructions ?? ""}\n${JSON.stringify(body.input)}`,
    lastUserText: textOf(lastUser?.content),
    toolResult: outputs.length > 0 ? outputs.map((o) => textOf(o.output)).join("; ") : null,
    format: outputFormat(body.text?.format),
    stops: [],
    maxTokens: body.max_output_tokens ?? undefined,
    tools: (body.tools ?? []).flatMap((t) => (t.type === "function" && t.name ? [{ name: t.name, description: t.description ?? undefined, parameters: t.parameters }] : [])),
    toolChoice: toolMode(body.tool_choice),
    parallelTools: body.parallel_tool_calls !== false,
  });
}

function outputItems(p: ReplyPlan): OutputItem[] {
  if (p.calls.length > 0) {
    return p.calls.map((c) => ({ type: "function_call", id: randomId("fc_", 24), status: "completed", call_id: randomId("call_", 18), name: c.name, arguments: c.arguments }));
  }
  const status = p.stop === "length" ? "incomplete" : "completed";
  return [{ type: "message", id: randomId("msg_", 24), status, role: "assistant", content: [{ type: "output_text", text: p.text, annotations: [], logprobs: [] }] }];
}

/** The `response` object; `output` and `usage` are filled once generation ends. */
function responseObject(body: ResponsesBody, id: string, p: ReplyPlan): Record<string, unknown> {
  return {
    id,
    object: "response",
    created_at: nowSeconds(),
    status: p.stop === "length" ? "incomplete" : "completed",
    error: null,
    incomplete_details: p.stop === "length" ? { reason: "max_output_tokens" } : null,
    instructions: body.instructions ?? null,
    max_output_tokens: body.max_output_tokens ?? null,
    model: body.model,
    output: [],
    parallel_tool_calls: body.parallel_tool_calls !== false,
    previous_response_id: null,
    reasoning: { effort: null, summary: null },
    store: true,
    temperature: 1,
    text: { format: body.text?.format ?? { type: "text" } },
    tool_choice: body.tool_choice ?? "auto",
    tools: body.tools ?? [],
    top_p: 1,
    truncation: "disabled",
    usage: null,
    user: null,
    metadata: {},
  };
}

async function answer(res: ServerResponse, body: ResponsesBody, knobs: Knobs | undefined): Promise<void> {
  const p = plan(body);
  const input = inputTokens(body);
  const usage = { input_tokens: input, input_tokens_details: { cached_tokens: 0 }, output_tokens: p.outputTokens, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: input + p.outputTokens };
  const base = responseObject(body, randomId("resp_", 24), p);
  const output = outputItems(p);
  const headers = { "x-request-id": randomId("req_") };
  if (body.stream) return sendSse(res, responseStreamEvents({ base, output, usage }), knobs, headers);
  return sendJsonMaybeCut(res, { ...base, output, usage }, knobs, headers);
}

const MODELS = new Set<string>(OPENAI_CHAT_MODELS);

/** The Responses endpoint. */
export const responsesEndpoint: OpenAIEndpoint<ResponsesBody> = {
  schema: responsesBody,
  serves: (model) => MODELS.has(model) || isOpenModel(model),
  answer,
};
