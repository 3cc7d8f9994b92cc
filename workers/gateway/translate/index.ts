/**
 * Wire-format translation between OpenAI Chat Completions, OpenAI Responses and Anthropic
 * Messages, requests, responses and streams. Chat is the hub: a Responses client served by
 * Anthropic goes responses -> chat -> anthropic, and its stream anthropic -> chat -> responses.
 */
import { AppError } from "../../errors";
import { anthropicToChatRequest } from "./anthropic-to-chat";
import { chatToAnthropicRequest } from "./chat-to-anthropic";
import { isObject, obj } from "./json";
import { jsonToolFor } from "./json-mode";
import { anthropicToChatResponse, chatToAnthropicResponse } from "./response-anthropic";
import { chatToResponsesResponse } from "./response-responses";
import { responsesToChatRequest } from "./responses-to-chat";
import { sseEncoder } from "./sse";
import { errorEventText } from "./stream/errors";
import type { WireFormat } from "./types";

export type { StreamEvent, StreamHooks, Usage, WireFormat } from "./types";
export { translateStream } from "./stream";
export { usageOf } from "./usage";

const RESPONSES_ONLY = "Only a Responses client can be served in the Responses format";

/** A streamed chat request always asks for usage: it is how streamed tokens are counted. */
function withStreamUsage(body: Record<string, unknown>): Record<string, unknown> {
  if (body.stream !== true) return body;
  return { ...body, stream_options: { ...obj(body, "stream_options"), include_usage: true } };
}

/**
 * Body for the upstream provider. from === to is a passthrough, except: to === "openai-chat"
 * with stream:true always sets stream_options.include_usage = true (we count streamed tokens
 * from the stream). to === "openai-responses" is only valid when from === "openai-responses".
 */
export function translateRequest(from: WireFormat, to: WireFormat, body: Record<string, unknown>): Record<string, unknown> {
  if (to === "openai-responses") {
    if (from !== to) throw new AppError("not_implemented", RESPONSES_ONLY);
    return body;
  }
  if (from === to) return to === "openai-chat" ? withStreamUsage(body) : body;
  const chat = from === "openai-chat" ? body : from === "anthropic-messages" ? anthropicToChatRequest(body) : responsesToChatRequest(body);
  return to === "anthropic-messages" ? chatToAnthropicRequest(chat) : chat;
}

/** Non-stream upstream response body (format `from`) -> client body (format `to`). */
export function translateResponse(from: WireFormat, to: WireFormat, body: unknown, clientRequest: Record<string, unknown>): Record<string, unknown> {
  if (from === to) return upstreamObject(body);
  if (from === "openai-responses") throw new AppError("not_implemented", RESPONSES_ONLY);
  if (to === "anthropic-messages") return chatToAnthropicResponse(body);
  const chat = from === "anthropic-messages" ? anthropicToChatResponse(body, jsonToolFor(to, clientRequest)) : upstreamObject(body);
  return to === "openai-chat" ? chat : chatToResponsesResponse(chat, clientRequest);
}

function upstreamObject(body: unknown): Record<string, unknown> {
  if (!isObject(body)) throw new AppError("upstream_error", "The provider returned a body that is not a JSON object");
  return body;
}

/** An in-stream error event in the client's format (SSE bytes): what a client sees when a stream dies. */
export function streamErrorEvent(format: WireFormat, message: string, type = "api_error", requestId?: string): Uint8Array {
  return sseEncoder.encode(errorEventText(format, { message, type, code: null, ...(requestId === undefined ? {} : { requestId }) }));
}
