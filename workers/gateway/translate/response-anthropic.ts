/**
 * Non-streamed responses between Chat Completions and Anthropic Messages.
 */
import type { StopReason } from "@anthropic-ai/sdk/resources/messages";
import type { ChatCompletion, ChatCompletionMessageFunctionToolCall } from "openai/resources/chat/completions";
import { argumentsObject, nowSeconds } from "./json";
import { AnthropicMessageBody, ChatCompletionBody, parseUpstream } from "./response-schemas";
import type { FinishReason } from "./types";
import { anthropicUsage, chatUsage, finishFromStop, isFinishReason, stopFromFinish, usageOf } from "./usage";

/**
 * Anthropic message -> chat completion. A call of the schema tool that stands in for
 * `response_format: json_schema` becomes the message text, finishing with "stop".
 */
export function anthropicToChatResponse(body: unknown, jsonTool: string | undefined): Record<string, unknown> {
  const msg = parseUpstream(AnthropicMessageBody, body, "message");
  let text = "";
  const toolCalls: ChatCompletionMessageFunctionToolCall[] = [];
  for (const block of msg.content) {
    if (block.type === "text") text += block.text ?? "";
    else if (block.type === "tool_use" && block.name === jsonTool) text += JSON.stringify(block.input ?? {});
    else if (block.type === "tool_use" && block.id && block.name) {
      toolCalls.push({ id: block.id, type: "function", function: { name: block.name, arguments: JSON.stringify(block.input ?? {}) } });
    }
  }
  let finish: FinishReason = finishFromStop(msg.stop_reason ?? undefined);
  if (finish === "tool_calls" && toolCalls.length === 0) finish = "stop";
  const out: ChatCompletion = {
    id: msg.id,
    object: "chat.completion",
    created: nowSeconds(),
    model: msg.model,
    choices: [
      {
        index: 0,
        message: { role: "assistant", content: text || (toolCalls.length ? null : ""), refusal: null, ...(toolCalls.length ? { tool_calls: toolCalls } : {}) },
        finish_reason: finish,
        logprobs: null,
      },
    ],
    usage: chatUsage(usageOf("anthropic-messages", body)),
  };
  return { ...out };
}

type AnthropicOutBlock = { type: "text"; text: string } | { type: "tool_use"; id: string; name: string; input: Record<string, unknown> };

/** Chat completion (its first choice) -> Anthropic message. */
export function chatToAnthropicResponse(body: unknown): Record<string, unknown> {
  const completion = parseUpstream(ChatCompletionBody, body, "chat completion");
  const choice = completion.choices[0];
  const content: AnthropicOutBlock[] = [];
  const text = choice?.message.content || choice?.message.refusal;
  if (text) content.push({ type: "text", text });
  for (const call of choice?.message.tool_calls ?? []) {
    content.push({ type: "tool_use", id: call.id, name: call.function.name, input: argumentsObject(call.function.arguments) });
  }
  const finish = choice?.finish_reason;
  const stop: StopReason = choice?.message.refusal && !choice.message.content ? "refusal" : stopFromFinish(isFinishReason(finish) ? finish : undefined);
  return {
    id: completion.id,
    type: "message",
    role: "assistant",
    model: completion.model,
    content,
    stop_reason: stop,
    stop_sequence: null,
    usage: anthropicUsage(usageOf("openai-chat", body)),
  };
}
