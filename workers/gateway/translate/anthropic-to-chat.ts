/**
 * Anthropic Messages request -> Chat Completions request. Tool results, which Anthropic
 * carries inside a user turn, become `role: "tool"` messages ahead of that turn's text.
 */
import type {
  ChatCompletionContentPart,
  ChatCompletionCreateParams,
  ChatCompletionFunctionTool,
  ChatCompletionMessageFunctionToolCall,
  ChatCompletionMessageParam,
  ChatCompletionToolChoiceOption,
} from "openai/resources/chat/completions";
import { AppError } from "../../errors";
import { AnthropicBlock, AnthropicRequest, parseRequest } from "./schemas";

type Source = NonNullable<AnthropicBlock["source"]>;

function imageUrl(source: Source | undefined): string {
  if (source?.type === "base64" && source.media_type && source.data !== undefined) return `data:${source.media_type};base64,${source.data}`;
  if (source?.type === "url" && source.url) return source.url;
  throw new AppError("bad_request", "Image blocks need a base64 or url source");
}

function toolResultText(block: AnthropicBlock): string {
  const content = block.content ?? "";
  const text =
    typeof content === "string"
      ? content
      : content
          .map((b) => {
            if (b.type !== "text" || b.text === undefined) throw new AppError("bad_request", "Only text is supported inside tool_result for this model's provider");
            return b.text;
          })
          .join("\n");
  return block.is_error ? `Error: ${text}` : text;
}

function userMessages(content: AnthropicBlock[]): ChatCompletionMessageParam[] {
  const out: ChatCompletionMessageParam[] = [];
  const parts: ChatCompletionContentPart[] = [];
  for (const b of content) {
    if (b.type === "tool_result") {
      if (!b.tool_use_id) throw new AppError("bad_request", "tool_result blocks need tool_use_id");
      out.push({ role: "tool", tool_call_id: b.tool_use_id, content: toolResultText(b) });
    } else if (b.type === "text" && b.text !== undefined) {
      parts.push({ type: "text", text: b.text });
    } else if (b.type === "image") {
      parts.push({ type: "image_url", image_url: { url: imageUrl(b.source) } });
    } else {
      throw new AppError("bad_request", `Content block type '${b.type}' in a user turn is not supported by this model's provider`);
    }
  }
  if (parts.length === 1 && parts[0]?.type === "text") out.push({ role: "user", content: parts[0].text });
  else if (parts.length > 0) out.push({ role: "user", content: parts });
  return out;
}

function assistantMessage(content: AnthropicBlock[]): ChatCompletionMessageParam | undefined {
  let text = "";
  const toolCalls: ChatCompletionMessageFunctionToolCall[] = [];
  for (const b of content) {
    if (b.type === "text") text += b.text ?? "";
    else if (b.type === "tool_use" && b.id && b.name) {
      toolCalls.push({ id: b.id, type: "function", function: { name: b.name, arguments: JSON.stringify(b.input ?? {}) } });
    } else if (b.type !== "thinking" && b.type !== "redacted_thinking") {
      // Thinking is the model's own scratchpad and has no chat equivalent; anything else does matter.
      throw new AppError("bad_request", `Content block type '${b.type}' in an assistant turn is not supported by this model's provider`);
    }
  }
  if (!text && toolCalls.length === 0) return undefined;
  return { role: "assistant", content: text || null, ...(toolCalls.length ? { tool_calls: toolCalls } : {}) };
}

function messagesOf(req: AnthropicRequest): ChatCompletionMessageParam[] {
  const out: ChatCompletionMessageParam[] = [];
  const system = typeof req.system === "string" ? req.system : req.system?.map((b) => b.text).join("\n\n");
  if (system) out.push({ role: "system", content: system });
  for (const m of req.messages) {
    if (typeof m.content === "string") out.push({ role: m.role, content: m.content });
    else if (m.role === "user") out.push(...userMessages(m.content));
    else {
      const msg = assistantMessage(m.content);
      if (msg) out.push(msg);
    }
  }
  return out;
}

function toolsOf(req: AnthropicRequest): ChatCompletionFunctionTool[] {
  return (req.tools ?? []).map((t) => {
    if (t.type != null && t.type !== "custom") throw new AppError("bad_request", `Server tool '${t.type}' is not supported by this model's provider`);
    return {
      type: "function",
      function: { name: t.name, ...(t.description ? { description: t.description } : {}), parameters: t.input_schema ?? { type: "object", properties: {} } },
    };
  });
}

function toolChoiceOf(req: AnthropicRequest): ChatCompletionToolChoiceOption | undefined {
  const tc = req.tool_choice;
  if (!tc) return undefined;
  if (tc.type === "auto") return "auto";
  if (tc.type === "any") return "required";
  if (tc.type === "none") return "none";
  if (!tc.name) throw new AppError("bad_request", "tool_choice of type 'tool' needs a name");
  return { type: "function", function: { name: tc.name } };
}

/** Translates an Anthropic request; a streamed one always asks for usage. */
export function anthropicToChatRequest(body: Record<string, unknown>): Record<string, unknown> {
  const req = parseRequest(AnthropicRequest, body, "messages");
  const tools = toolsOf(req);
  const toolChoice = toolChoiceOf(req);
  const out: ChatCompletionCreateParams = {
    model: req.model ?? "",
    messages: messagesOf(req),
    // max_completion_tokens rather than max_tokens: OpenAI's reasoning models refuse the latter.
    max_completion_tokens: req.max_tokens,
    ...(req.stop_sequences?.length ? { stop: req.stop_sequences } : {}),
    ...(req.temperature != null ? { temperature: req.temperature } : {}),
    ...(req.top_p != null ? { top_p: req.top_p } : {}),
    ...(req.metadata?.user_id ? { user: req.metadata.user_id } : {}),
    ...(tools.length ? { tools } : {}),
    ...(toolChoice && tools.length ? { tool_choice: toolChoice } : {}),
    ...(tools.length && req.tool_choice?.disable_parallel_tool_use ? { parallel_tool_calls: false } : {}),
    ...(req.stream ? { stream: true, stream_options: { include_usage: true } } : {}),
  };
  return { ...out };
}
