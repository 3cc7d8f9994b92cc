/**
 * OpenAI's error body `{error:{message,type,param,code}}` with its `x-request-id` header.
 */
import type { ServerResponse } from "node:http";
import type { Knobs } from "./faults.ts";
import { randomId, sendJson } from "./http.ts";

/** Sends an OpenAI-format error. */
export function openaiError(
  res: ServerResponse,
  status: number,
  message: string,
  type: string,
  code: string | null = null,
  param: string | null = null,
  headers: Record<string, string> = {},
): void {
  sendJson(res, status, { error: { message, type, param, code } }, { "x-request-id": randomId("req_"), ...headers });
}

const BY_STATUS: Record<number, { type: string; code: string | null; message: string }> = {
  400: { type: "invalid_request_error", code: null, message: "Invalid request." },
  401: { type: "invalid_request_error", code: "invalid_api_key", message: "Incorrect API key provided." },
  403: { type: "invalid_request_error", code: "unsupported_country_region_territory", message: "Country, region, or territory not supported." },
  404: { type: "invalid_request_error", code: "model_not_found", message: "The model does not exist or you do not have access to it." },
  429: { type: "requests", code: "rate_limit_exceeded", message: "Rate limit reached for requests. Please try again in 1s." },
  500: { type: "server_error", code: null, message: "The server had an error while processing your request. Sorry about that!" },
  503: { type: "server_error", code: null, message: "The engine is currently overloaded, please try again later." },
};

/** The error a scenario's `status` asks for, in OpenAI's format (or the scenario's own body). */
export function openaiScenarioError(res: ServerResponse, status: number, knobs: Knobs): void {
  const headers: Record<string, string> = { "x-request-id": randomId("req_") };
  const retryAfter = knobs.retryAfter ?? (status === 429 ? 1 : undefined);
  if (retryAfter !== undefined) {
    headers["retry-after"] = String(retryAfter);
    headers["retry-after-ms"] = String(Math.round(retryAfter * 1000));
  }
  if (knobs.errorBody !== undefined) return sendJson(res, status, knobs.errorBody, headers);
  const e = BY_STATUS[status] ?? (status >= 500 ? BY_STATUS[500]! : BY_STATUS[400]!);
  sendJson(res, status, { error: { message: e.message, type: e.type, param: null, code: e.code } }, headers);
}
