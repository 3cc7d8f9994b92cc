/**
 * Token usage and stop reasons in each format. Anthropic counts cached and cache-written
 * prompt tokens apart from `input_tokens`; OpenAI's prompt count includes them, and so
 * does our Usage.
 */
import type { StopReason } from "@anthropic-ai/sdk/resources/messages";
import type { CompletionUsage } from "openai/resources/completions";
import type { ResponseUsage } from "openai/resources/responses/responses";
import { isObject, num, obj, type JsonObject } from "./json";
import type { FinishReason, Usage, WireFormat } from "./types";

/** Usage from a chat `usage` object. */
export function usageFromChat(u: JsonObject): Usage {
  const details = obj(u, "prompt_tokens_details");
  return {
    inputTokens: num(u, "prompt_tokens") ?? 0,
    outputTokens: num(u, "completion_tokens") ?? 0,
    cachedTokens: (details && num(details, "cached_tokens")) ?? 0,
  };
}

/** Anthropic usage; `prev` fills counters a message_delta leaves out. */
export function usageFromAnthropic(u: JsonObject, prev?: Usage & { fresh: number; written: number }): Usage & { fresh: number; written: number } {
  const fresh = num(u, "input_tokens") ?? prev?.fresh ?? 0;
  const cached = num(u, "cache_read_input_tokens") ?? prev?.cachedTokens ?? 0;
  const written = num(u, "cache_creation_input_tokens") ?? prev?.written ?? 0;
  return {
    inputTokens: fresh + cached + written,
    outputTokens: num(u, "output_tokens") ?? prev?.outputTokens ?? 0,
    cachedTokens: cached,
    fresh,
    written,
  };
}

/** Usage from a Responses `usage` object. */
export function usageFromResponses(u: JsonObject): Usage {
  const details = obj(u, "input_tokens_details");
  return {
    inputTokens: num(u, "input_tokens") ?? 0,
    outputTokens: num(u, "output_tokens") ?? 0,
    cachedTokens: (details && num(details, "cached_tokens")) ?? 0,
  };
}

/** Usage of a non-streamed response body in `format`; zeros when the body has none. */
export function usageOf(format: WireFormat, body: unknown): Usage {
  const u = isObject(body) ? obj(body, "usage") : undefined;
  if (!u) return { inputTokens: 0, outputTokens: 0, cachedTokens: 0 };
  if (format === "openai-chat") return usageFromChat(u);
  if (format === "openai-responses") return usageFromResponses(u);
  const { inputTokens, outputTokens, cachedTokens } = usageFromAnthropic(u);
  return { inputTokens, outputTokens, cachedTokens };
}

/** Chat `usage` for `u`. */
export function chatUsage(u: Usage): CompletionUsage {
  return {
    prompt_tokens: u.inputTokens,
    completion_tokens: u.outputTokens,
    total_tokens: u.inputTokens + u.outputTokens,
    prompt_tokens_details: { cached_tokens: u.cachedTokens },
  };
}

/** Anthropic's split: cached tokens leave `input_tokens` for `cache_read_input_tokens`. */
export function anthropicUsage(u: Usage): { input_tokens: number; output_tokens: number; cache_read_input_tokens: number; cache_creation_input_tokens: number } {
  return {
    input_tokens: Math.max(0, u.inputTokens - u.cachedTokens),
    output_tokens: u.outputTokens,
    cache_read_input_tokens: u.cachedTokens,
    cache_creation_input_tokens: 0,
  };
}

/** Responses `usage` for `u`. */
export function responsesUsage(u: Usage): ResponseUsage {
  return {
    input_tokens: u.inputTokens,
    input_tokens_details: { cached_tokens: u.cachedTokens, cache_write_tokens: 0 },
    output_tokens: u.outputTokens,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: u.inputTokens + u.outputTokens,
  };
}

const STOP_TO_FINISH: Record<string, FinishReason> = {
  end_turn: "stop",
  stop_sequence: "stop",
  pause_turn: "stop",
  max_tokens: "length",
  model_context_window_exceeded: "length",
  tool_use: "tool_calls",
  refusal: "content_filter",
};

/** Anthropic stop_reason -> chat finish_reason. */
export function finishFromStop(stop: string | undefined): FinishReason {
  return (stop && STOP_TO_FINISH[stop]) || "stop";
}

const FINISH_TO_STOP: Record<FinishReason, StopReason> = {
  stop: "end_turn",
  length: "max_tokens",
  tool_calls: "tool_use",
  function_call: "tool_use",
  content_filter: "refusal",
};

/** Chat finish_reason -> Anthropic stop_reason. */
export function stopFromFinish(finish: FinishReason | undefined): StopReason {
  return finish ? FINISH_TO_STOP[finish] : "end_turn";
}

const FINISH_REASONS = new Set<string>(["stop", "length", "tool_calls", "content_filter", "function_call"]);

/** Whether `v` is one of chat's finish reasons. */
export function isFinishReason(v: unknown): v is FinishReason {
  return typeof v === "string" && FINISH_REASONS.has(v);
}
