/**
 * Same-format streams: the upstream's events are forwarded as they came, and only read
 * for accounting, the terminal event and errors.
 */
import { isObject, num, obj, str, type JsonObject } from "../json";
import { sseText, type SseMessage } from "../sse";
import type { ErrorInfo } from "../types";
import { usageFromAnthropic, usageFromResponses } from "../usage";
import { errorEventText, responsesUpstreamError, upstreamError } from "./errors";
import type { Stage, StageCtx } from "./hub";

function parse(msg: SseMessage): JsonObject {
  const data: unknown = JSON.parse(msg.data);
  if (!isObject(data)) throw new Error("an event must be a JSON object");
  return data;
}

/** Anthropic upstream, Anthropic client: forwards events, ends on message_stop. */
export class AnthropicPassthrough implements Stage {
  private usage: ReturnType<typeof usageFromAnthropic> | undefined;

  push(msg: SseMessage, ctx: StageCtx): void {
    const data = parse(msg);
    ctx.write(sseText(msg.data, msg.event));
    const type = str(data, "type") ?? msg.event;
    if (type === "content_block_delta") {
      const delta = obj(data, "delta");
      if (delta && (str(delta, "text") || str(delta, "partial_json") || str(delta, "thinking"))) ctx.firstToken();
    } else if (type === "content_block_start") {
      if (str(obj(data, "content_block") ?? {}, "type") === "tool_use") ctx.firstToken();
    } else if (type === "message_start" || type === "message_delta") {
      const usage = obj(data, "usage") ?? obj(obj(data, "message") ?? {}, "usage");
      if (!usage) return;
      this.usage = usageFromAnthropic(usage, this.usage);
      const { inputTokens, outputTokens, cachedTokens } = this.usage;
      ctx.usage({ inputTokens, outputTokens, cachedTokens });
    } else if (type === "message_stop") {
      ctx.complete();
    } else if (type === "error") {
      ctx.failed(upstreamError(obj(data, "error")));
    }
  }

  end(): void {}

  fail(err: ErrorInfo, ctx: StageCtx): void {
    ctx.write(errorEventText("anthropic-messages", err));
  }
}

const DELTAS = new Set(["response.output_text.delta", "response.refusal.delta", "response.function_call_arguments.delta"]);

/** Responses upstream, Responses client: forwards events, ends on response.completed or .incomplete. */
export class ResponsesPassthrough implements Stage {
  private lastSequence = -1;

  push(msg: SseMessage, ctx: StageCtx): void {
    const data = parse(msg);
    ctx.write(sseText(msg.data, msg.event));
    this.lastSequence = num(data, "sequence_number") ?? this.lastSequence + 1;
    const type = str(data, "type") ?? msg.event ?? "";
    if (DELTAS.has(type)) {
      ctx.firstToken();
      return;
    }
    const response = obj(data, "response");
    const usage = response && obj(response, "usage");
    if (usage) ctx.usage(usageFromResponses(usage));
    if (type === "response.completed" || type === "response.incomplete") ctx.complete();
    else if (type === "response.failed") ctx.failed(upstreamError(response && obj(response, "error")));
    else if (type === "error") ctx.failed(responsesUpstreamError(data));
  }

  end(): void {}

  fail(err: ErrorInfo, ctx: StageCtx): void {
    ctx.write(errorEventText("openai-responses", err, this.lastSequence + 1));
  }
}
