/**
 * Hub events -> Anthropic Messages stream. Chat interleaves nothing, so one content block
 * is open at a time: text, or the tool call whose fragments are arriving.
 */
import { newId } from "../../../lib/ids";
import { sseJson } from "../sse";
import { ZERO_USAGE, type ErrorInfo, type FinishReason, type Usage } from "../types";
import { anthropicUsage, stopFromFinish } from "../usage";
import { errorEventText } from "./errors";
import type { HubChunk, HubSink, HubToolDelta } from "./hub";

type Write = (text: string) => void;

/** Writes an Anthropic Messages stream from hub events. */
export class AnthropicSink implements HubSink {
  private started = false;
  private nextBlock = 0;
  private open: { kind: "text" | "tool"; index: number } | undefined;
  // Chat tool-call index -> Anthropic block index.
  private readonly toolBlocks = new Map<number, number>();
  private finish: FinishReason | undefined;
  private usage: Usage = ZERO_USAGE;

  chunk(c: HubChunk, write: Write): void {
    this.start(c.id, c.model, write);
    if (c.usage) this.usage = c.usage;
    const text = c.content || c.refusal;
    if (text) this.text(text, write);
    for (const t of c.toolCalls ?? []) this.tool(t, write);
    if (c.finish) this.finish = c.finish;
  }

  done(write: Write): void {
    this.start(newId("msg"), "", write);
    this.close(write);
    write(sseJson({ type: "message_delta", delta: { stop_reason: stopFromFinish(this.finish), stop_sequence: null }, usage: anthropicUsage(this.usage) }, "message_delta"));
    write(sseJson({ type: "message_stop" }, "message_stop"));
  }

  error(err: ErrorInfo, write: Write): void {
    write(errorEventText("anthropic-messages", err));
  }

  private start(id: string, model: string, write: Write): void {
    if (this.started) return;
    this.started = true;
    const message = {
      id,
      type: "message",
      role: "assistant",
      model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: 0, output_tokens: 0 },
    };
    write(sseJson({ type: "message_start", message }, "message_start"));
  }

  private openBlock(kind: "text" | "tool", block: Record<string, unknown>, write: Write): number {
    this.close(write);
    const index = this.nextBlock++;
    this.open = { kind, index };
    write(sseJson({ type: "content_block_start", index, content_block: block }, "content_block_start"));
    return index;
  }

  private close(write: Write): void {
    if (!this.open) return;
    write(sseJson({ type: "content_block_stop", index: this.open.index }, "content_block_stop"));
    this.open = undefined;
  }

  private text(text: string, write: Write): void {
    const index = this.open?.kind === "text" ? this.open.index : this.openBlock("text", { type: "text", text: "" }, write);
    write(sseJson({ type: "content_block_delta", index, delta: { type: "text_delta", text } }, "content_block_delta"));
  }

  private tool(t: HubToolDelta, write: Write): void {
    let index = this.toolBlocks.get(t.index);
    if (index === undefined) {
      index = this.openBlock("tool", { type: "tool_use", id: t.id || newId("toolu"), name: t.name ?? "", input: {} }, write);
      this.toolBlocks.set(t.index, index);
    }
    if (t.arguments) {
      write(sseJson({ type: "content_block_delta", index, delta: { type: "input_json_delta", partial_json: t.arguments } }, "content_block_delta"));
    }
  }
}
