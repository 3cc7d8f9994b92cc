/**
 * The chat endpoint's server-sent events, read from a fetch body: `thread`, `delta`…,
 * `citations`, then `done` or `error`. EventSource cannot POST or send a bearer token,
 * so the stream is read by hand.
 */
import { type Signals, signalsOf } from "./signals";
import type { Citation } from "./types";

export type ChatEvent =
  | { event: "thread"; threadId: string }
  | { event: "delta"; text: string }
  | { event: "citations"; citations: Citation[] }
  | { event: "done"; messageId: string; costNanoUsd: number; inputTokens: number; outputTokens: number; signals: Signals }
  | { event: "error"; code: string; message: string; requestId?: string };

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;

function isCitation(v: unknown): v is Citation {
  return isObj(v) && typeof v.n === "number" && typeof v.documentId === "string" && typeof v.documentName === "string" && typeof v.chunkIndex === "number";
}

/** One frame's event in our terms; frames we do not know are skipped. */
export function toChatEvent(name: string, data: unknown): ChatEvent | null {
  if (name === "thread" && isObj(data) && typeof data.threadId === "string") return { event: "thread", threadId: data.threadId };
  if (name === "delta" && isObj(data) && typeof data.text === "string") return { event: "delta", text: data.text };
  if (name === "citations" && Array.isArray(data)) return { event: "citations", citations: data.filter(isCitation) };
  if (name === "done" && isObj(data)) {
    const usage = isObj(data.usage) ? data.usage : {};
    return {
      event: "done",
      messageId: typeof data.messageId === "string" ? data.messageId : "",
      costNanoUsd: typeof data.costNanoUsd === "number" ? data.costNanoUsd : 0,
      inputTokens: typeof usage.inputTokens === "number" ? usage.inputTokens : 0,
      outputTokens: typeof usage.outputTokens === "number" ? usage.outputTokens : 0,
      signals: signalsOf(data.signals),
    };
  }
  if (name === "error" && isObj(data)) {
    return { event: "error", code: String(data.code ?? "error"), message: String(data.message ?? "The answer failed"), ...(typeof data.requestId === "string" ? { requestId: data.requestId } : {}) };
  }
  return null;
}

function parseFrame(frame: string): ChatEvent | null {
  let name = "message";
  const data: string[] = [];
  for (const line of frame.split("\n")) {
    if (line.startsWith("event:")) name = line.slice(6).trim();
    else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
  }
  if (!data.length) return null;
  try {
    return toChatEvent(name, JSON.parse(data.join("\n")));
  } catch {
    return null;
  }
}

/** Calls `onEvent` for every event of the stream, in order, until it ends. */
export async function readChatEvents(body: ReadableStream<Uint8Array>, onEvent: (e: ChatEvent) => void): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true }).replace(/\r\n/g, "\n");
    let end = buffer.indexOf("\n\n");
    while (end >= 0) {
      const e = parseFrame(buffer.slice(0, end));
      buffer = buffer.slice(end + 2);
      if (e) onEvent(e);
      end = buffer.indexOf("\n\n");
    }
  }
  const last = buffer.trim() ? parseFrame(buffer) : null;
  if (last) onEvent(last);
}
