/**
 * The Responses API event stream, numbered by `sequence_number`: response.created,
 * response.in_progress, then per output item its added / delta / done events, then
 * response.completed (or response.incomplete when max_output_tokens cut the text).
 */
import { type SseEvent, sseFrame } from "./sse.ts";
import { countTokens, sliceChunks, splitChunks } from "./text.ts";

type OutputText = { type: "output_text"; text: string; annotations: never[]; logprobs: never[] };
/** An item of a response's `output`. */
export type OutputItem =
  | { type: "message"; id: string; status: string; role: "assistant"; content: OutputText[] }
  | { type: "function_call"; id: string; status: string; call_id: string; name: string; arguments: string };

/** What the event stream is built from. */
export interface ResponseStreamInput {
  base: Record<string, unknown>;
  output: OutputItem[];
  usage: Record<string, unknown>;
}

class Sequencer {
  private n = 0;
  readonly events: SseEvent[] = [];

  push(type: string, data: Record<string, unknown>, tokens = 0): void {
    this.events.push({ text: sseFrame({ type, sequence_number: this.n++, ...data }, type), tokens });
  }
}

function messageEvents(seq: Sequencer, item: Extract<OutputItem, { type: "message" }>, output_index: number): void {
  const item_id = item.id;
  const text = item.content[0]?.text ?? "";
  seq.push("response.output_item.added", { output_index, item: { ...item, status: "in_progress", content: [] } });
  const emptyPart = { type: "output_text", text: "", annotations: [], logprobs: [] };
  seq.push("response.content_part.added", { item_id, output_index, content_index: 0, part: emptyPart });
  for (const delta of splitChunks(text)) {
    seq.push("response.output_text.delta", { item_id, output_index, content_index: 0, delta, logprobs: [] }, countTokens(delta));
  }
  seq.push("response.output_text.done", { item_id, output_index, content_index: 0, text, logprobs: [] });
  seq.push("response.content_part.done", { item_id, output_index, content_index: 0, part: { ...emptyPart, text } });
  seq.push("response.output_item.done", { output_index, item });
}

function callEvents(seq: Sequencer, item: Extract<OutputItem, { type: "function_call" }>, output_index: number): void {
  const item_id = item.id;
  seq.push("response.output_item.added", { output_index, item: { ...item, status: "in_progress", arguments: "" } }, countTokens(item.name));
  for (const delta of sliceChunks(item.arguments)) {
    seq.push("response.function_call_arguments.delta", { item_id, output_index, delta }, countTokens(delta));
  }
  seq.push("response.function_call_arguments.done", { item_id, output_index, name: item.name, arguments: item.arguments });
  seq.push("response.output_item.done", { output_index, item });
}

/** The full event list for one streamed response. */
export function responseStreamEvents(s: ResponseStreamInput): SseEvent[] {
  const seq = new Sequencer();
  const pending = { ...s.base, status: "in_progress", incomplete_details: null };
  seq.push("response.created", { response: pending });
  seq.push("response.in_progress", { response: pending });
  s.output.forEach((item, i) => (item.type === "message" ? messageEvents(seq, item, i) : callEvents(seq, item, i)));
  const final = { ...s.base, output: s.output, usage: s.usage };
  seq.push(s.base.status === "incomplete" ? "response.incomplete" : "response.completed", { response: final });
  return seq.events;
}
