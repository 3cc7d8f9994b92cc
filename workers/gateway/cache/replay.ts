/**
 * Replays a cached (non-streamed) answer as a stream in the client's format: the body is
 * read into chat-shaped hub chunks and written by the same sinks that translate live
 * streams, so a cache hit streams exactly as a provider's answer would.
 */
import { z } from "zod";
import { AppError } from "../../errors";
import { isObject, nowSeconds, obj, type JsonObject } from "../translate/json";
import { AnthropicMessageBody, ChatCompletionBody } from "../translate/response-schemas";
import { sseEncoder } from "../translate/sse";
import type { HubChunk, HubSink } from "../translate/stream/hub";
import { AnthropicSink } from "../translate/stream/to-anthropic";
import { ChatSink } from "../translate/stream/to-chat";
import { ResponsesSink } from "../translate/stream/to-responses";
import type { FinishReason, Usage, WireFormat } from "../translate/types";
import { finishFromStop, isFinishReason, usageOf } from "../translate/usage";

type Part = { kind: "text"; text: string } | { kind: "refusal"; text: string } | { kind: "tool"; id: string; name: string; arguments: string };
type Replay = { id: string; model: string; created: number; parts: Part[]; finish: FinishReason; usage: Usage };

const ResponsesBody = z.looseObject({
  id: z.string(),
  model: z.string(),
  created_at: z.number().optional(),
  status: z.string().nullish(),
  incomplete_details: z.looseObject({ reason: z.string().nullish() }).nullish(),
  output: z.array(
    z.looseObject({
      type: z.string(),
      call_id: z.string().optional(),
      name: z.string().optional(),
      arguments: z.string().optional(),
      content: z.array(z.looseObject({ type: z.string(), text: z.string().optional(), refusal: z.string().optional() })).optional(),
    }),
  ),
});

function unreadable(format: WireFormat): AppError {
  return new AppError("internal_error", `A cached ${format} answer could not be replayed as a stream`);
}

function fromChat(body: unknown): Replay | null {
  const parsed = ChatCompletionBody.safeParse(body);
  if (!parsed.success) return null;
  const { id, model, created, choices } = parsed.data;
  const choice = choices[0];
  const parts: Part[] = [];
  if (choice?.message.content) parts.push({ kind: "text", text: choice.message.content });
  if (choice?.message.refusal) parts.push({ kind: "refusal", text: choice.message.refusal });
  for (const call of choice?.message.tool_calls ?? []) parts.push({ kind: "tool", id: call.id, name: call.function.name, arguments: call.function.arguments });
  const finish = choice?.finish_reason;
  return { id, model, created: created ?? nowSeconds(), parts, finish: isFinishReason(finish) ? finish : "stop", usage: usageOf("openai-chat", body) };
}

function fromAnthropic(body: unknown): Replay | null {
  const parsed = AnthropicMessageBody.safeParse(body);
  if (!parsed.success) return null;
  const parts: Part[] = [];
  for (const block of parsed.data.content) {
    if (block.type === "text" && block.text) parts.push({ kind: "text", text: block.text });
    else if (block.type === "tool_use" && block.id && block.name) {
      parts.push({ kind: "tool", id: block.id, name: block.name, arguments: JSON.stringify(block.input ?? {}) });
    }
  }
  const finish = finishFromStop(parsed.data.stop_reason ?? undefined);
  return { id: parsed.data.id, model: parsed.data.model, created: nowSeconds(), parts, finish, usage: usageOf("anthropic-messages", body) };
}

function responsesFinish(r: z.output<typeof ResponsesBody>, parts: Part[]): FinishReason {
  if (r.status === "incomplete") return r.incomplete_details?.reason === "content_filter" ? "content_filter" : "length";
  return parts.some((p) => p.kind === "tool") ? "tool_calls" : "stop";
}

function fromResponses(body: unknown): Replay | null {
  const parsed = ResponsesBody.safeParse(body);
  if (!parsed.success) return null;
  const parts: Part[] = [];
  for (const item of parsed.data.output) {
    if (item.type === "function_call" && item.call_id && item.name !== undefined) {
      parts.push({ kind: "tool", id: item.call_id, name: item.name, arguments: item.arguments ?? "" });
    } else if (item.type === "message") {
      for (const c of item.content ?? []) {
        if (c.type === "output_text" && c.text) parts.push({ kind: "text", text: c.text });
        else if (c.type === "refusal" && c.refusal) parts.push({ kind: "refusal", text: c.refusal });
      }
    }
  }
  const created = parsed.data.created_at ?? nowSeconds();
  return { id: parsed.data.id, model: parsed.data.model, created, parts, finish: responsesFinish(parsed.data, parts), usage: usageOf("openai-responses", body) };
}

/** The hub chunks a provider's stream of this answer would have produced. */
function chunksOf(r: Replay): HubChunk[] {
  const base: HubChunk = { kind: "chunk", id: r.id, model: r.model, created: r.created };
  const out: HubChunk[] = [];
  let toolIndex = 0;
  for (const p of r.parts) {
    if (p.kind === "text") out.push({ ...base, content: p.text });
    else if (p.kind === "refusal") out.push({ ...base, refusal: p.text });
    else out.push({ ...base, toolCalls: [{ index: toolIndex++, id: p.id, name: p.name, arguments: p.arguments }] });
  }
  // A chat stream opens with the assistant's role even when there is no text.
  if (out.length === 0) out.push({ ...base, content: "" });
  out.push({ ...base, finish: r.finish });
  out.push({ ...base, usageOnly: true, usage: r.usage });
  return out;
}

function replayOf(format: WireFormat, body: unknown): Replay | null {
  if (format === "openai-chat") return fromChat(body);
  if (format === "anthropic-messages") return fromAnthropic(body);
  return fromResponses(body);
}

function sinkFor(format: WireFormat, body: JsonObject, clientRequest: JsonObject | undefined): HubSink {
  if (format === "openai-chat") return new ChatSink(obj(clientRequest ?? {}, "stream_options")?.include_usage === true);
  if (format === "anthropic-messages") return new AnthropicSink();
  // A Responses object echoes the request's settings under the same names the sink reads.
  return new ResponsesSink(clientRequest ?? body);
}

/**
 * A cached answer (`body`, in `format`) as the SSE stream a client of that format reads.
 * `clientRequest` decides chat's usage chunk (`stream_options.include_usage`) and the
 * settings a Responses stream echoes. Throws an internal_error if `body` is not an answer
 * in `format`, before any byte is produced, so the caller can treat it as a miss.
 */
export function cachedAsStream(format: WireFormat, body: unknown, clientRequest?: Record<string, unknown>): ReadableStream<Uint8Array> {
  const replay = isObject(body) ? replayOf(format, body) : null;
  if (!replay || !isObject(body)) throw unreadable(format);
  const sink = sinkFor(format, body, clientRequest);
  const events: string[] = [];
  const write = (text: string): void => {
    events.push(text);
  };
  for (const chunk of chunksOf(replay)) sink.chunk(chunk, write);
  sink.done(write);
  let next = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const event = events[next++];
      if (event === undefined) controller.close();
      else controller.enqueue(sseEncoder.encode(event));
    },
  });
}
