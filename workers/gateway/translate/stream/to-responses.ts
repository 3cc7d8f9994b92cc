/**
 * Hub events -> Responses API stream: the lifecycle and item events the openai SDK's
 * `responses.stream` accumulates, each with its sequence number. Text goes to a message
 * item that closes when a tool call starts; tool calls stay open until the end.
 */
import type { ResponseFunctionToolCall, ResponseOutputMessage } from "openai/resources/responses/responses";
import { newId } from "../../../lib/ids";
import { str } from "../json";
import { functionCallItem, newResponseState, responseObject, statusFor, type ResponseState } from "../responses-envelope";
import { sseJson } from "../sse";
import type { ErrorInfo, Usage } from "../types";
import { responsesUsage } from "../usage";
import { errorEventText } from "./errors";
import type { HubChunk, HubSink, HubToolDelta } from "./hub";

type Write = (text: string) => void;
type PartKind = "output_text" | "refusal";
type OpenMessage = { outputIndex: number; item: ResponseOutputMessage; kind: PartKind; text: string };
type OpenTool = { outputIndex: number; item: ResponseFunctionToolCall };

function part(kind: PartKind, text: string): ResponseOutputMessage["content"][number] {
  return kind === "output_text" ? { type: "output_text", text, annotations: [], logprobs: [] } : { type: "refusal", refusal: text };
}

/** Writes a Responses API stream from hub events. */
export class ResponsesSink implements HubSink {
  private seq = 0;
  private state: ResponseState | undefined;
  private message: OpenMessage | undefined;
  private readonly tools = new Map<number, OpenTool>();
  private usage: Usage | undefined;

  constructor(private readonly clientRequest: Record<string, unknown>) {}

  chunk(c: HubChunk, write: Write): void {
    const state = this.begin(c.model, write);
    if (c.usage) this.usage = c.usage;
    if (c.content) this.textDelta("output_text", c.content, write);
    if (c.refusal) this.textDelta("refusal", c.refusal, write);
    for (const t of c.toolCalls ?? []) this.toolDelta(t, write);
    if (c.finish) state.finish = c.finish;
  }

  done(write: Write): void {
    const state = this.begin(str(this.clientRequest, "model") ?? "", write);
    this.closeMessage(write);
    for (const { outputIndex, item } of this.tools.values()) {
      this.send(write, "response.function_call_arguments.done", { item_id: item.id, output_index: outputIndex, name: item.name, arguments: item.arguments });
      item.status = "completed";
      this.send(write, "response.output_item.done", { output_index: outputIndex, item });
    }
    state.status = statusFor(state.finish).status;
    state.usage = responsesUsage(this.usage ?? { inputTokens: 0, outputTokens: 0, cachedTokens: 0 });
    const type = state.status === "incomplete" ? "response.incomplete" : "response.completed";
    this.send(write, type, { response: responseObject(state, this.clientRequest) });
  }

  /** The error event, then `response.failed` so a reader of the raw events sees the end too. */
  error(err: ErrorInfo, write: Write): void {
    write(errorEventText("openai-responses", err, this.seq++));
    if (!this.state) return;
    this.state.status = "failed";
    this.state.error = { code: "server_error", message: err.message };
    this.send(write, "response.failed", { response: responseObject(this.state, this.clientRequest) });
  }

  private send(write: Write, type: string, fields: Record<string, unknown>): void {
    write(sseJson({ type, sequence_number: this.seq++, ...fields }, type));
  }

  private begin(model: string, write: Write): ResponseState {
    if (this.state) return this.state;
    const state = newResponseState(model);
    this.state = state;
    this.send(write, "response.created", { response: responseObject(state, this.clientRequest) });
    this.send(write, "response.in_progress", { response: responseObject(state, this.clientRequest) });
    return state;
  }

  private textDelta(kind: PartKind, delta: string, write: Write): void {
    if (this.message && this.message.kind !== kind) this.closeMessage(write);
    const m = this.message ?? this.openMessage(kind, write);
    m.text += delta;
    const type = kind === "output_text" ? "response.output_text.delta" : "response.refusal.delta";
    const extra = kind === "output_text" ? { logprobs: [] } : {};
    this.send(write, type, { item_id: m.item.id, output_index: m.outputIndex, content_index: 0, delta, ...extra });
  }

  private openMessage(kind: PartKind, write: Write): OpenMessage {
    const state = this.state ?? this.begin("", write);
    const item: ResponseOutputMessage = { type: "message", id: newId("msg"), status: "in_progress", role: "assistant", content: [] };
    const m: OpenMessage = { outputIndex: state.output.length, item, kind, text: "" };
    state.output.push(item);
    this.message = m;
    this.send(write, "response.output_item.added", { output_index: m.outputIndex, item });
    this.send(write, "response.content_part.added", { item_id: item.id, output_index: m.outputIndex, content_index: 0, part: part(kind, "") });
    return m;
  }

  private closeMessage(write: Write): void {
    const m = this.message;
    if (!m) return;
    this.message = undefined;
    const where = { item_id: m.item.id, output_index: m.outputIndex, content_index: 0 };
    if (m.kind === "output_text") this.send(write, "response.output_text.done", { ...where, text: m.text, logprobs: [] });
    else this.send(write, "response.refusal.done", { ...where, refusal: m.text });
    const done = part(m.kind, m.text);
    this.send(write, "response.content_part.done", { ...where, part: done });
    m.item.content = [done];
    m.item.status = "completed";
    this.send(write, "response.output_item.done", { output_index: m.outputIndex, item: m.item });
  }

  private toolDelta(t: HubToolDelta, write: Write): void {
    let tool = this.tools.get(t.index);
    if (!tool) {
      this.closeMessage(write);
      const state = this.state ?? this.begin("", write);
      const item = functionCallItem(t.id || newId("call"), t.name ?? "", "", "in_progress");
      tool = { outputIndex: state.output.length, item };
      state.output.push(item);
      this.tools.set(t.index, tool);
      this.send(write, "response.output_item.added", { output_index: tool.outputIndex, item });
    }
    if (!t.arguments) return;
    tool.item.arguments += t.arguments;
    this.send(write, "response.function_call_arguments.delta", { item_id: tool.item.id, output_index: tool.outputIndex, delta: t.arguments });
  }
}
