/**
 * Chat Completions stream -> hub events. Reads only the first choice and keeps the raw
 * JSON so a chat client gets the upstream's bytes unchanged.
 */
import { arr, isObject, nowSeconds, num, obj, str, type JsonObject } from "../json";
import type { SseMessage } from "../sse";
import { isFinishReason, usageFromChat } from "../usage";
import { upstreamError } from "./errors";
import type { HubChunk, HubOut, HubSource, HubToolDelta } from "./hub";

function toolDeltas(calls: unknown[]): HubToolDelta[] {
  const out: HubToolDelta[] = [];
  for (let i = 0; i < calls.length; i++) {
    const call = calls[i];
    if (!isObject(call)) continue;
    const fn = obj(call, "function");
    out.push({
      index: num(call, "index") ?? i,
      id: str(call, "id"),
      name: fn && str(fn, "name"),
      arguments: fn && str(fn, "arguments"),
    });
  }
  return out;
}

function readChoice(choice: JsonObject, chunk: HubChunk): void {
  const delta = obj(choice, "delta");
  if (delta) {
    chunk.content = str(delta, "content");
    chunk.refusal = str(delta, "refusal");
    const calls = arr(delta, "tool_calls");
    if (calls && calls.length > 0) chunk.toolCalls = toolDeltas(calls);
  }
  const finish = choice.finish_reason;
  if (isFinishReason(finish)) chunk.finish = finish;
}

/** Reads a Chat Completions stream into hub events. */
export class ChatSource implements HubSource {
  // A finish_reason followed by the end of the body also ends a chat stream.
  private finished = false;

  push(msg: SseMessage, out: HubOut): void {
    if (msg.data === "[DONE]") {
      out.emit({ kind: "done" });
      return;
    }
    const data: unknown = JSON.parse(msg.data);
    if (!isObject(data)) throw new Error("a chat chunk must be a JSON object");
    const error = obj(data, "error");
    if (error || msg.event === "error") {
      out.emit({ kind: "error", error: upstreamError(error ?? data) });
      return;
    }
    const choices = arr(data, "choices") ?? [];
    const usageJson = obj(data, "usage");
    const usage = usageJson ? usageFromChat(usageJson) : undefined;
    if (usage) out.usage(usage);
    const chunk: HubChunk = {
      kind: "chunk",
      id: str(data, "id") ?? "",
      model: str(data, "model") ?? "",
      created: num(data, "created") ?? nowSeconds(),
      usage,
      usageOnly: choices.length === 0,
      raw: msg.data,
    };
    const first = choices[0];
    if (isObject(first)) readChoice(first, chunk);
    if (chunk.finish) this.finished = true;
    out.emit(chunk);
  }

  end(out: HubOut): void {
    if (this.finished) out.emit({ kind: "done" });
  }
}
