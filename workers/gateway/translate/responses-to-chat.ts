/**
 * OpenAI Responses request -> Chat Completions request, for serving a Responses client
 * from a chat-speaking (or, through chat, an Anthropic) provider.
 */
import type {
  ChatCompletionContentPart,
  ChatCompletionCreateParams,
  ChatCompletionFunctionTool,
  ChatCompletionMessageParam,
  ChatCompletionToolChoiceOption,
} from "openai/resources/chat/completions";
import type { ResponseFormatJSONObject, ResponseFormatJSONSchema } from "openai/resources/shared";
import { z } from "zod";
import { AppError } from "../../errors";
import { parseRequest } from "./schemas";

const jsonSchema = z.record(z.string(), z.unknown());

const InputPart = z.looseObject({ type: z.string(), text: z.string().optional(), image_url: z.string().nullish(), refusal: z.string().optional() });
type InputPart = z.output<typeof InputPart>;

const InputItem = z.looseObject({
  type: z.string().optional(),
  role: z.enum(["user", "assistant", "system", "developer"]).optional(),
  content: z.union([z.string(), z.array(InputPart)]).optional(),
  call_id: z.string().optional(),
  name: z.string().optional(),
  arguments: z.string().optional(),
  output: z.union([z.string(), z.array(InputPart)]).optional(),
});
type InputItem = z.output<typeof InputItem>;

const ResponsesRequest = z.looseObject({
  model: z.string().optional(),
  input: z.union([z.string(), z.array(InputItem)]),
  instructions: z.string().nullish(),
  tools: z
    .array(z.looseObject({ type: z.string(), name: z.string().optional(), description: z.string().nullish(), parameters: jsonSchema.nullish(), strict: z.boolean().nullish() }))
    .optional(),
  tool_choice: z.union([z.enum(["auto", "none", "required"]), z.looseObject({ type: z.string(), name: z.string().optional() })]).optional(),
  parallel_tool_calls: z.boolean().nullish(),
  max_output_tokens: z.number().int().positive().nullish(),
  temperature: z.number().nullish(),
  top_p: z.number().nullish(),
  stream: z.boolean().nullish(),
  user: z.string().optional(),
  text: z
    .looseObject({
      format: z
        .looseObject({ type: z.string(), name: z.string().optional(), schema: jsonSchema.optional(), description: z.string().optional(), strict: z.boolean().nullish() })
        .optional(),
    })
    .nullish(),
  previous_response_id: z.string().nullish(),
  background: z.boolean().nullish(),
});
type ResponsesRequest = z.output<typeof ResponsesRequest>;

function partText(p: InputPart): string {
  if ((p.type === "input_text" || p.type === "output_text") && p.text !== undefined) return p.text;
  if (p.type === "refusal" && p.refusal !== undefined) return p.refusal;
  throw new AppError("bad_request", `Content type '${p.type}' is only supported in user messages as input_text or input_image`);
}

function textOf(content: string | InputPart[] | undefined): string {
  if (content === undefined) return "";
  return typeof content === "string" ? content : content.map(partText).join("\n");
}

function userPart(p: InputPart): ChatCompletionContentPart {
  if (p.type === "input_text" && p.text !== undefined) return { type: "text", text: p.text };
  if (p.type === "input_image" && p.image_url) return { type: "image_url", image_url: { url: p.image_url } };
  throw new AppError("bad_request", `Input content '${p.type}' is not supported here (input_image needs image_url; files are not supported)`);
}

function messageOf(item: InputItem): ChatCompletionMessageParam {
  const role = item.role ?? "user";
  if (role === "user") {
    const content = typeof item.content === "string" ? item.content : (item.content ?? []).map(userPart);
    return { role, content };
  }
  return { role: role === "developer" ? "system" : role, content: textOf(item.content) };
}

/** Appends one input item; function calls join the assistant message before them. */
function addItem(out: ChatCompletionMessageParam[], item: InputItem): void {
  const type = item.type ?? "message";
  if (type === "message") out.push(messageOf(item));
  else if (type === "function_call") {
    if (!item.call_id || !item.name) throw new AppError("bad_request", "function_call items need call_id and name");
    const call = { id: item.call_id, type: "function" as const, function: { name: item.name, arguments: item.arguments ?? "{}" } };
    const last = out[out.length - 1];
    if (last?.role === "assistant") last.tool_calls = [...(last.tool_calls ?? []), call];
    else out.push({ role: "assistant", content: null, tool_calls: [call] });
  } else if (type === "function_call_output") {
    if (!item.call_id) throw new AppError("bad_request", "function_call_output items need call_id");
    out.push({ role: "tool", tool_call_id: item.call_id, content: textOf(item.output) });
  } else if (type !== "reasoning") {
    throw new AppError("bad_request", `Input item type '${type}' is not supported by this model's provider`);
  }
}

function messagesOf(req: ResponsesRequest): ChatCompletionMessageParam[] {
  const out: ChatCompletionMessageParam[] = [];
  if (req.instructions) out.push({ role: "system", content: req.instructions });
  if (typeof req.input === "string") out.push({ role: "user", content: req.input });
  else for (const item of req.input) addItem(out, item);
  return out;
}

function toolsOf(req: ResponsesRequest): ChatCompletionFunctionTool[] {
  return (req.tools ?? []).map((t) => {
    if (t.type !== "function" || !t.name) throw new AppError("bad_request", `Tool type '${t.type}' is not supported by this model's provider`);
    const fn = { name: t.name, ...(t.description ? { description: t.description } : {}), ...(t.parameters ? { parameters: t.parameters } : {}) };
    return { type: "function", function: t.strict != null ? { ...fn, strict: t.strict } : fn };
  });
}

function toolChoiceOf(req: ResponsesRequest): ChatCompletionToolChoiceOption | undefined {
  const tc = req.tool_choice;
  if (tc === undefined || typeof tc === "string") return tc;
  if (tc.type === "function" && tc.name) return { type: "function", function: { name: tc.name } };
  throw new AppError("bad_request", `tool_choice type '${tc.type}' is not supported by this model's provider`);
}

function responseFormatOf(req: ResponsesRequest): ResponseFormatJSONSchema | ResponseFormatJSONObject | undefined {
  const f = req.text?.format;
  if (!f || f.type === "text") return undefined;
  if (f.type === "json_object") return { type: "json_object" };
  if (f.type === "json_schema" && f.name) {
    const { name, schema, description, strict } = f;
    return { type: "json_schema", json_schema: { name, ...(schema ? { schema } : {}), ...(description ? { description } : {}), ...(strict != null ? { strict } : {}) } };
  }
  throw new AppError("bad_request", `text.format type '${f.type}' is not supported (json_schema needs a name)`);
}

/** Translates a Responses request; conversation state must travel in `input`. */
export function responsesToChatRequest(body: Record<string, unknown>): Record<string, unknown> {
  const req = parseRequest(ResponsesRequest, body, "responses");
  if (req.previous_response_id) {
    throw new AppError("bad_request", "previous_response_id is not supported: responses are not stored; send the whole conversation in input");
  }
  if (req.background) throw new AppError("bad_request", "background responses are not supported");
  const tools = toolsOf(req);
  const toolChoice = toolChoiceOf(req);
  const format = responseFormatOf(req);
  const out: ChatCompletionCreateParams = {
    model: req.model ?? "",
    messages: messagesOf(req),
    ...(req.max_output_tokens != null ? { max_completion_tokens: req.max_output_tokens } : {}),
    ...(req.temperature != null ? { temperature: req.temperature } : {}),
    ...(req.top_p != null ? { top_p: req.top_p } : {}),
    ...(req.user ? { user: req.user } : {}),
    ...(tools.length ? { tools } : {}),
    ...(toolChoice ? { tool_choice: toolChoice } : {}),
    ...(tools.length && req.parallel_tool_calls != null ? { parallel_tool_calls: req.parallel_tool_calls } : {}),
    ...(format ? { response_format: format } : {}),
    ...(req.stream ? { stream: true, stream_options: { include_usage: true } } : {}),
  };
  return { ...out };
}
