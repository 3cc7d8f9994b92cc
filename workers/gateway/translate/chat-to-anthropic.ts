/**
 * Chat Completions request -> Anthropic Messages request.
 */
import type { MessageCreateParamsBase, Tool, ToolChoice } from "@anthropic-ai/sdk/resources/messages";
import { AppError } from "../../errors";
import { toAnthropicMessages } from "./chat-to-anthropic-messages";
import { jsonModeOf } from "./json-mode";
import { ChatRequest, parseRequest } from "./schemas";

/** Anthropic requires max_tokens; OpenAI callers often leave it out. */
export const DEFAULT_MAX_TOKENS = 4096;

function refuseUnsupported(req: ChatRequest): void {
  if (req.n != null && req.n > 1) throw new AppError("bad_request", "n > 1 is not supported by this model's provider; send one request per choice");
  if (req.logprobs || req.top_logprobs != null) throw new AppError("bad_request", "logprobs and top_logprobs are not supported by this model's provider");
  if (req.audio != null || req.modalities?.includes("audio")) throw new AppError("bad_request", "Audio output is not supported by this model's provider");
}

function toolsOf(req: ChatRequest): Tool[] {
  return (req.tools ?? []).map((t) => {
    if (t.type !== "function" || !t.function) throw new AppError("bad_request", `Tool type '${t.type}' is not supported by this model's provider`);
    const { name, description, parameters } = t.function;
    return { name, ...(description ? { description } : {}), input_schema: { ...(parameters ?? {}), type: "object" } };
  });
}

function clientToolChoice(req: ChatRequest): ToolChoice | undefined {
  const parallel = req.parallel_tool_calls === false ? { disable_parallel_tool_use: true } : {};
  const tc = req.tool_choice;
  if (tc === undefined) return req.parallel_tool_calls === false ? { type: "auto", ...parallel } : undefined;
  if (tc === "auto") return { type: "auto", ...parallel };
  if (tc === "required") return { type: "any", ...parallel };
  if (tc === "none") return { type: "none" };
  if (tc.type === "function" && tc.function) return { type: "tool", name: tc.function.name, ...parallel };
  throw new AppError("bad_request", `tool_choice type '${tc.type}' is not supported by this model's provider`);
}

/**
 * With a schema tool the model must answer through it, unless the client's own tools may
 * be called instead; then any tool is required and the schema tool is one of them.
 */
function toolChoiceOf(req: ChatRequest, jsonTool: string | undefined): ToolChoice | undefined {
  const choice = clientToolChoice(req);
  if (!jsonTool || choice?.type === "tool") return choice;
  const parallel = req.parallel_tool_calls === false ? { disable_parallel_tool_use: true } : {};
  if (!req.tools?.length || choice?.type === "none") return { type: "tool", name: jsonTool, ...parallel };
  return { type: "any", ...parallel };
}

function stopSequences(stop: ChatRequest["stop"]): string[] | undefined {
  if (stop == null) return undefined;
  const list = typeof stop === "string" ? [stop] : stop;
  return list.length > 0 ? list : undefined;
}

/** Translates a chat request; throws AppError for what Anthropic cannot do. */
export function chatToAnthropicRequest(body: Record<string, unknown>): Record<string, unknown> {
  const req = parseRequest(ChatRequest, body, "chat completions");
  refuseUnsupported(req);
  const { system, messages } = toAnthropicMessages(req.messages);
  const json = jsonModeOf(req);
  if (json.instruction) system.push(json.instruction);
  const tools = [...toolsOf(req), ...(json.tool ? [json.tool] : [])];
  const toolChoice = toolChoiceOf(req, json.tool?.name);
  const stop = stopSequences(req.stop);
  const out: MessageCreateParamsBase = {
    model: req.model ?? "",
    max_tokens: req.max_completion_tokens ?? req.max_tokens ?? DEFAULT_MAX_TOKENS,
    messages,
    ...(system.length ? { system: system.join("\n\n") } : {}),
    ...(tools.length ? { tools } : {}),
    ...(toolChoice ? { tool_choice: toolChoice } : {}),
    ...(stop ? { stop_sequences: stop } : {}),
    // Anthropic's range is 0..1 where OpenAI's is 0..2.
    ...(req.temperature != null ? { temperature: Math.min(req.temperature, 1) } : {}),
    ...(req.top_p != null ? { top_p: req.top_p } : {}),
    ...(req.user ? { metadata: { user_id: req.user } } : {}),
    ...(req.stream ? { stream: true } : {}),
  };
  return { ...out };
}
