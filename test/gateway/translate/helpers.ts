/**
 * Byte-stream helpers for the translation tests: feed recorded SSE text split at awkward
 * places, read what comes out, and build SDK clients whose fetch returns that output.
 */
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { z } from "zod";
import type { StreamHooks, Usage } from "../../../workers/gateway/translate";

const encoder = new TextEncoder();

/** `text` as a byte stream cut every `size` bytes (cuts land inside lines, CRLFs and UTF-8). */
export function byteStream(text: string, size = 7): ReadableStream<Uint8Array> {
  const bytes = encoder.encode(text);
  let at = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (at >= bytes.length) {
        controller.close();
        return;
      }
      controller.enqueue(bytes.slice(at, at + size));
      at += size;
    },
  });
}

/** A stream that yields `text` and then never ends, recording whether it was cancelled. */
export function hangingStream(text: string): { stream: ReadableStream<Uint8Array>; cancelled: () => boolean } {
  let sent = false;
  let cancelled = false;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent) return new Promise<void>(() => undefined);
      sent = true;
      controller.enqueue(encoder.encode(text));
      return undefined;
    },
    cancel() {
      cancelled = true;
    },
  });
  return { stream, cancelled: () => cancelled };
}

/** A stream that yields `text` and then fails like a dropped connection. */
export function failingStream(text: string): ReadableStream<Uint8Array> {
  let sent = false;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent) {
        controller.error(new Error("connection reset"));
        return;
      }
      sent = true;
      controller.enqueue(encoder.encode(text));
    },
  });
}

export async function readText(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

export type SseOut = { event?: string; data: string };

/** Splits well-formed SSE output (as this layer writes it) into events. */
export function events(text: string): SseOut[] {
  return text
    .split("\n\n")
    .filter((block) => block.trim() !== "")
    .map((block) => {
      const out: SseOut = { data: "" };
      for (const line of block.split("\n")) {
        if (line.startsWith("event: ")) out.event = line.slice(7);
        if (line.startsWith("data: ")) out.data = line.slice(6);
      }
      return out;
    });
}

/** Each event's data parsed as JSON (skipping `[DONE]`). */
export function jsonEvents(text: string): unknown[] {
  return events(text)
    .filter((e) => e.data !== "[DONE]")
    .map((e): unknown => JSON.parse(e.data));
}

/** Hooks that record what they were told. */
export function recorder(): {
  hooks: StreamHooks;
  usage: Usage[];
  ends: { completed: boolean; cancelled: boolean; error?: string }[];
  firstTokens: () => number;
} {
  const usage: Usage[] = [];
  const ends: { completed: boolean; cancelled: boolean; error?: string }[] = [];
  let first = 0;
  return {
    usage,
    ends,
    firstTokens: () => first,
    hooks: {
      onUsage: (u) => usage.push(u),
      onEnd: (r) => ends.push(r),
      onFirstToken: () => {
        first++;
      },
    },
  };
}

function sseFetch(stream: ReadableStream<Uint8Array>): typeof fetch {
  return async () => new Response(stream, { headers: { "content-type": "text/event-stream" } });
}

/** An openai client whose only "server" is `stream`. */
export function openaiOver(stream: ReadableStream<Uint8Array>): OpenAI {
  return new OpenAI({ apiKey: "sk-test", baseURL: "http://sdk.invalid/v1", maxRetries: 0, fetch: sseFetch(stream) });
}

/** An Anthropic client whose only "server" is `stream`. */
export function anthropicOver(stream: ReadableStream<Uint8Array>): Anthropic {
  return new Anthropic({ apiKey: "sk-ant-test", baseURL: "http://sdk.invalid", maxRetries: 0, fetch: sseFetch(stream) });
}

const ChatChunkShape = z.looseObject({
  choices: z.array(z.looseObject({ delta: z.looseObject({ content: z.string().nullish() }), finish_reason: z.string().nullish() })),
  usage: z.unknown().optional(),
});

/** The chat chunks of a chat stream's output (a shape check doubles as the parse). */
export function chatChunks(text: string): z.output<typeof ChatChunkShape>[] {
  return jsonEvents(text).map((e) => ChatChunkShape.parse(e));
}
