/**
 * Server-sent events both ways: reading the gateway's Chat Completions stream (in process,
 * as bytes) and writing the chat endpoint's own events.
 */
import { z } from "zod";
import { AppError } from "../../errors";
import type { PipelineEvent, TurnUsage } from "./types";

const encoder = new TextEncoder();

/** One SSE frame: `event: <name>` and its JSON data. */
export function sseFrame(e: PipelineEvent): Uint8Array {
  return encoder.encode(`event: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`);
}

const Chunk = z.object({
  choices: z.array(z.object({ delta: z.object({ content: z.string().nullish() }).partial().nullish() })).nullish(),
  usage: z.object({ prompt_tokens: z.number().int().nonnegative(), completion_tokens: z.number().int().nonnegative() }).nullish(),
  error: z.object({ message: z.string() }).nullish(),
});

/** The data lines of an SSE byte stream, one parsed JSON value each ([DONE] ends it). */
async function* dataOf(stream: ReadableStream<Uint8Array>): AsyncGenerator<unknown> {
  const decoder = new TextDecoder();
  let buffer = "";
  for await (const bytes of stream) {
    buffer += decoder.decode(bytes, { stream: true });
    let end = buffer.indexOf("\n\n");
    while (end >= 0) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      end = buffer.indexOf("\n\n");
      const data = frame.split("\n").filter((l) => l.startsWith("data:")).map((l) => l.slice(5).trimStart()).join("\n");
      if (data === "[DONE]") return;
      if (data) yield JSON.parse(data);
    }
  }
}

/**
 * Reads a Chat Completions stream: calls `onText` for each piece of the answer, and answers
 * the usage the stream reported. An in-stream error becomes an AppError.
 */
export async function readChatStream(stream: ReadableStream<Uint8Array>, onText: (text: string) => void): Promise<TurnUsage> {
  let usage: TurnUsage = { inputTokens: 0, outputTokens: 0 };
  for await (const raw of dataOf(stream)) {
    const chunk = Chunk.safeParse(raw);
    if (!chunk.success) continue;
    if (chunk.data.error) throw new AppError("upstream_error", chunk.data.error.message);
    const text = chunk.data.choices?.[0]?.delta?.content;
    if (text) onText(text);
    if (chunk.data.usage) usage = { inputTokens: chunk.data.usage.prompt_tokens, outputTokens: chunk.data.usage.completion_tokens };
  }
  return usage;
}
