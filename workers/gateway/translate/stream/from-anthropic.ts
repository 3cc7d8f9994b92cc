/**
 * Anthropic Messages stream -> hub events. Tool-use blocks are numbered among tool calls
 * only, as chat numbers them; the schema tool standing in for `response_format:
 * json_schema` streams its input as message text instead.
 */
import { isObject, nowSeconds, num, obj, str, type JsonObject } from "../json";
import type { SseMessage } from "../sse";
import { ZERO_USAGE, type FinishReason, type Usage } from "../types";
import { finishFromStop, usageFromAnthropic } from "../usage";
import { upstreamError } from "./errors";
import type { HubChunk, HubOut, HubSource } from "./hub";

type AnthropicUsage = ReturnType<typeof usageFromAnthropic>;

function plain(u: AnthropicUsage | undefined): Usage {
  return u ? { inputTokens: u.inputTokens, outputTokens: u.outputTokens, cachedTokens: u.cachedTokens } : ZERO_USAGE;
}

/** Reads an Anthropic Messages stream into hub events. */
export class AnthropicSource implements HubSource {
  private id = "";
  private model = "";
  private readonly created = nowSeconds();
  private usage: AnthropicUsage | undefined;
  // Anthropic block index -> chat tool-call index.
  private readonly tools = new Map<number, number>();
  private readonly jsonBlocks = new Set<number>();

  constructor(private readonly jsonTool: string | undefined) {}

  push(msg: SseMessage, out: HubOut): void {
    const data: unknown = JSON.parse(msg.data);
    if (!isObject(data)) throw new Error("an Anthropic event must be a JSON object");
    switch (str(data, "type") ?? msg.event) {
      case "message_start":
        return this.start(data, out);
      case "content_block_start":
        return this.blockStart(data, out);
      case "content_block_delta":
        return this.blockDelta(data, out);
      case "message_delta":
        return this.messageDelta(data, out);
      case "message_stop":
        out.emit({ ...this.base(), usageOnly: true, usage: plain(this.usage) });
        out.emit({ kind: "done" });
        return;
      case "error":
        out.emit({ kind: "error", error: upstreamError(obj(data, "error")) });
        return;
      default:
        // ping, content_block_stop and unknown future events change nothing for chat.
        return;
    }
  }

  end(): void {}

  private base(): HubChunk {
    return { kind: "chunk", id: this.id, model: this.model, created: this.created };
  }

  private start(data: JsonObject, out: HubOut): void {
    const message = obj(data, "message");
    this.id = (message && str(message, "id")) ?? "";
    this.model = (message && str(message, "model")) ?? "";
    const usage = message && obj(message, "usage");
    if (usage) {
      this.usage = usageFromAnthropic(usage);
      out.usage(plain(this.usage));
    }
    out.emit({ ...this.base(), content: "" });
  }

  private blockStart(data: JsonObject, out: HubOut): void {
    const index = num(data, "index") ?? 0;
    const block = obj(data, "content_block");
    if (!block) return;
    const type = str(block, "type");
    if (type === "text") {
      const text = str(block, "text");
      if (text) out.emit({ ...this.base(), content: text });
    } else if (type === "tool_use") {
      const name = str(block, "name") ?? "";
      if (name === this.jsonTool) {
        this.jsonBlocks.add(index);
        return;
      }
      const toolIndex = this.tools.size;
      this.tools.set(index, toolIndex);
      out.emit({ ...this.base(), toolCalls: [{ index: toolIndex, id: str(block, "id") ?? "", name, arguments: "" }] });
    }
  }

  private blockDelta(data: JsonObject, out: HubOut): void {
    const index = num(data, "index") ?? 0;
    const delta = obj(data, "delta");
    if (!delta) return;
    const type = str(delta, "type");
    if (type === "text_delta") {
      const text = str(delta, "text");
      if (text) out.emit({ ...this.base(), content: text });
    } else if (type === "input_json_delta") {
      const part = str(delta, "partial_json");
      if (!part) return;
      if (this.jsonBlocks.has(index)) {
        out.emit({ ...this.base(), content: part });
        return;
      }
      const toolIndex = this.tools.get(index);
      if (toolIndex !== undefined) out.emit({ ...this.base(), toolCalls: [{ index: toolIndex, arguments: part }] });
    }
  }

  private messageDelta(data: JsonObject, out: HubOut): void {
    const usage = obj(data, "usage");
    if (usage) {
      this.usage = usageFromAnthropic(usage, this.usage);
      out.usage(plain(this.usage));
    }
    const delta = obj(data, "delta");
    const stop = delta && str(delta, "stop_reason");
    if (!stop) return;
    let finish: FinishReason = finishFromStop(stop);
    // Only the schema tool was called: to the client that is a plain answer.
    if (finish === "tool_calls" && this.tools.size === 0) finish = "stop";
    out.emit({ ...this.base(), finish });
  }
}
