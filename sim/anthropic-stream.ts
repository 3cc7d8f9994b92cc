/**
 * Anthropic's stream: message_start, ping, then per block content_block_start /
 * content_block_delta (text_delta or input_json_delta) / content_block_stop, then
 * message_delta (stop_reason, output usage) and message_stop, each with its `event:` line.
 */
import type { OutBlock } from "./anthropic-messages.ts";
import { type SseEvent, sseFrame } from "./sse.ts";
import { countTokens, sliceChunks, splitChunks } from "./text.ts";

/** What the event sequence is built from. */
export interface MessageStreamInput {
  id: string;
  model: string;
  content: OutBlock[];
  usage: { input_tokens: number; output_tokens: number; cache_creation_input_tokens: number; cache_read_input_tokens: number };
  stop: { stop_reason: string; stop_sequence: string | null };
}

function ev(type: string, data: Record<string, unknown>, tokens = 0): SseEvent {
  return { text: sseFrame({ type, ...data }, type), tokens };
}

function blockEvents(b: OutBlock, index: number): SseEvent[] {
  if (b.type === "text") {
    return [
      ev("content_block_start", { index, content_block: { type: "text", text: "" } }),
      ...splitChunks(b.text).map((t) => ev("content_block_delta", { index, delta: { type: "text_delta", text: t } }, countTokens(t))),
      ev("content_block_stop", { index }),
    ];
  }
  return [
    ev("content_block_start", { index, content_block: { type: "tool_use", id: b.id, name: b.name, input: {} } }, countTokens(b.name)),
    ...sliceChunks(b.json).map((j) => ev("content_block_delta", { index, delta: { type: "input_json_delta", partial_json: j } }, countTokens(j))),
    ev("content_block_stop", { index }),
  ];
}

/** The full event list for one streamed message. */
export function messageStreamEvents(s: MessageStreamInput): SseEvent[] {
  const start = { id: s.id, type: "message", role: "assistant", model: s.model, content: [], stop_reason: null, stop_sequence: null };
  return [
    ev("message_start", { message: { ...start, usage: { ...s.usage, output_tokens: 1 } } }),
    ev("ping", {}),
    ...s.content.flatMap(blockEvents),
    ev("message_delta", { delta: s.stop, usage: { output_tokens: s.usage.output_tokens } }),
    ev("message_stop", {}),
  ];
}
