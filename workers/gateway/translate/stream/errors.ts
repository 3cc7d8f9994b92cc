/**
 * In-stream error events in each client format, and reading the upstream's own.
 */
import { obj, str, type JsonObject } from "../json";
import { sseJson } from "../sse";
import type { ErrorInfo, WireFormat } from "../types";

/** The upstream closed without its terminal marker. */
export function cutError(message = "The upstream stream ended before the response was complete"): ErrorInfo {
  return { message, type: "api_error", code: "stream_cut" };
}

/** `{message, type, code}` from an upstream error object, whichever format it came in. */
export function upstreamError(e: JsonObject | undefined): ErrorInfo {
  const type = (e && str(e, "type")) ?? "api_error";
  return { message: (e && str(e, "message")) ?? "The upstream provider reported an error", type, code: (e && str(e, "code")) ?? type };
}

/** A Responses `error` event: documented flat, sent nested by OpenAI; both shapes are given. */
function responsesError(err: ErrorInfo, sequence: number): JsonObject {
  return {
    type: "error",
    sequence_number: sequence,
    code: err.code,
    message: err.message,
    param: null,
    error: { type: err.type, code: err.code, message: err.message, param: null },
    ...requestIdOf(err),
  };
}

// Where the error bodies carry it: OpenAI's inside the error object, Anthropic's and Responses' at the top.
function requestIdOf(err: ErrorInfo): { request_id?: string } {
  return err.requestId === undefined ? {} : { request_id: err.requestId };
}

/**
 * The error event a client of `format` reads as a failed stream: the openai SDK throws on
 * a chunk with `error`, the Anthropic SDK on `event: error`.
 */
export function errorEventText(format: WireFormat, err: ErrorInfo, sequence = 0): string {
  if (format === "openai-chat") return sseJson({ error: { message: err.message, type: err.type, param: null, code: err.code, ...requestIdOf(err) } });
  if (format === "anthropic-messages") return sseJson({ type: "error", error: { type: err.type, message: err.message }, ...requestIdOf(err) }, "error");
  return sseJson(responsesError(err, sequence), "error");
}

/** Reads an upstream Responses `error` event in either shape. */
export function responsesUpstreamError(data: JsonObject): ErrorInfo {
  const nested = obj(data, "error");
  if (nested) return upstreamError(nested);
  const message = str(data, "message") ?? "The upstream provider reported an error";
  const code = str(data, "code") ?? null;
  return { message, type: "api_error", code };
}
