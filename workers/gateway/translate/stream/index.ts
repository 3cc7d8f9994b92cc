/**
 * Picks the stage for an upstream/client format pair.
 */
import { AppError } from "../../../errors";
import { obj } from "../json";
import { jsonToolFor } from "../json-mode";
import type { StreamHooks, WireFormat } from "../types";
import { AnthropicSource } from "./from-anthropic";
import { ChatSource } from "./from-chat";
import { hubStage, type HubSink, type Stage } from "./hub";
import { AnthropicPassthrough, ResponsesPassthrough } from "./passthrough";
import { runStream } from "./pipe";
import { AnthropicSink } from "./to-anthropic";
import { ChatSink } from "./to-chat";
import { ResponsesSink } from "./to-responses";

function sinkFor(to: WireFormat, clientRequest: Record<string, unknown>): HubSink {
  if (to === "openai-chat") return new ChatSink(obj(clientRequest, "stream_options")?.include_usage === true);
  if (to === "anthropic-messages") return new AnthropicSink();
  return new ResponsesSink(clientRequest);
}

function stageFor(from: WireFormat, to: WireFormat, clientRequest: Record<string, unknown>): Stage {
  if (from === "openai-responses") {
    if (to !== from) throw new AppError("not_implemented", "A Responses upstream can only serve a Responses client");
    return new ResponsesPassthrough();
  }
  if (from === "anthropic-messages" && to === from) return new AnthropicPassthrough();
  const source = from === "openai-chat" ? new ChatSource() : new AnthropicSource(jsonToolFor(to, clientRequest));
  return hubStage(source, sinkFor(to, clientRequest));
}

/** Upstream SSE bytes (format `from`) -> client SSE bytes (format `to`); our error events carry `requestId`. */
export function translateStream(
  upstream: ReadableStream<Uint8Array>,
  from: WireFormat,
  to: WireFormat,
  clientRequest: Record<string, unknown>,
  hooks?: StreamHooks,
  requestId?: string,
): ReadableStream<Uint8Array> {
  return runStream(upstream, stageFor(from, to, clientRequest), hooks, requestId);
}
