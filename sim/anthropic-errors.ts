/**
 * Anthropic's error body `{type:"error", error:{type, message}}` with its `request-id` header.
 */
import type { ServerResponse } from "node:http";
import type { Knobs } from "./faults.ts";
import { randomId, sendJson } from "./http.ts";

const TYPES: Record<number, [type: string, message: string]> = {
  400: ["invalid_request_error", "Invalid request."],
  401: ["authentication_error", "invalid x-api-key"],
  403: ["permission_error", "Your API key does not have permission to use the specified resource."],
  404: ["not_found_error", "Not found."],
  413: ["request_too_large", "Request exceeds the maximum allowed number of bytes."],
  429: ["rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit."],
  500: ["api_error", "Internal server error"],
  503: ["api_error", "Service unavailable"],
  529: ["overloaded_error", "Overloaded"],
};

/** Sends an Anthropic-format error. */
export function anthropicError(res: ServerResponse, status: number, type: string, message: string, headers: Record<string, string> = {}): void {
  sendJson(res, status, { type: "error", error: { type, message } }, { "request-id": randomId("req_011", 16), ...headers });
}

/** The error a scenario's `status` asks for, in Anthropic's format (or the scenario's own body). */
export function anthropicScenarioError(res: ServerResponse, status: number, knobs: Knobs): void {
  const headers: Record<string, string> = { "request-id": randomId("req_011", 16) };
  const retryAfter = knobs.retryAfter ?? (status === 429 ? 1 : undefined);
  if (retryAfter !== undefined) headers["retry-after"] = String(retryAfter);
  if (status === 529) headers["x-should-retry"] = "true";
  if (knobs.errorBody !== undefined) return sendJson(res, status, knobs.errorBody, headers);
  const [type, message] = TYPES[status] ?? (status >= 500 ? TYPES[500]! : TYPES[400]!);
  sendJson(res, status, { type: "error", error: { type, message } }, headers);
}
