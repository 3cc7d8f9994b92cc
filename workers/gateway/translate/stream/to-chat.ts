/**
 * Hub events -> Chat Completions stream. The usage-only chunk reaches the client only if
 * it asked for `stream_options.include_usage`; we always ask upstream, to count tokens.
 */
import type { ChatCompletionChunk } from "openai/resources/chat/completions";
import { sseJson, sseText } from "../sse";
import type { ErrorInfo } from "../types";
import { chatUsage } from "../usage";
import { errorEventText } from "./errors";
import type { HubChunk, HubSink } from "./hub";

function delta(c: HubChunk, withRole: boolean): ChatCompletionChunk.Choice.Delta {
  return {
    ...(withRole ? { role: "assistant" } : {}),
    ...(c.content !== undefined ? { content: c.content } : {}),
    ...(c.refusal !== undefined ? { refusal: c.refusal } : {}),
    ...(c.toolCalls
      ? {
          tool_calls: c.toolCalls.map((t) => ({
            index: t.index,
            ...(t.id !== undefined ? { id: t.id, type: "function" as const } : {}),
            function: { ...(t.name !== undefined ? { name: t.name } : {}), ...(t.arguments !== undefined ? { arguments: t.arguments } : {}) },
          })),
        }
      : {}),
  };
}

/** Writes a Chat Completions stream from hub events. */
export class ChatSink implements HubSink {
  private roleSent = false;

  constructor(private readonly includeUsage: boolean) {}

  chunk(c: HubChunk, write: (text: string) => void): void {
    if (c.usageOnly && !this.includeUsage) return;
    if (c.raw !== undefined) {
      write(sseText(c.raw));
      return;
    }
    const chunk: ChatCompletionChunk = {
      id: c.id,
      object: "chat.completion.chunk",
      created: c.created,
      model: c.model,
      choices: c.usageOnly ? [] : [{ index: 0, delta: delta(c, !this.roleSent), finish_reason: c.finish ?? null, logprobs: null }],
      ...(c.usage ? { usage: chatUsage(c.usage) } : {}),
    };
    if (!c.usageOnly) this.roleSent = true;
    write(sseJson(chunk));
  }

  done(write: (text: string) => void): void {
    write("data: [DONE]\n\n");
  }

  error(err: ErrorInfo, write: (text: string) => void): void {
    write(errorEventText("openai-chat", err));
  }
}
