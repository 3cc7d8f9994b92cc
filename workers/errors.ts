/**
 * One error type for the whole Worker, one code-to-status map, and the three
 * bodies callers expect: the platform API's, OpenAI's and Anthropic's.
 */
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { ZodError } from "zod";
import type { AppEnv } from "./env";
import { log } from "./lib/log";

const STATUS = {
  bad_request: 400,
  invalid_json: 400,
  validation_failed: 400,
  unauthorized: 401,
  invalid_api_key: 401,
  invalid_token: 401,
  payment_required: 402,
  budget_exceeded: 402,
  forbidden: 403,
  insufficient_scope: 403,
  guard_blocked: 400,
  not_found: 404,
  model_not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unprocessable: 422,
  upgrade_required: 426,
  rate_limited: 429,
  internal_error: 500,
  not_implemented: 501,
  upstream_error: 502,
  provider_unavailable: 503,
  upstream_timeout: 504,
} as const;

export type ErrorCode = keyof typeof STATUS;
export type ErrorStatus = (typeof STATUS)[ErrorCode];

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    /** For upstream errors: pass the provider's status through (e.g. 429, 529). */
    status?: number,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.status = status ?? STATUS[code];
  }
}

/** Turns a ZodError into details a caller can act on: where and what. */
export function zodDetails(err: ZodError): { path: string; message: string }[] {
  return err.issues.map((i) => ({ path: i.path.map(String).join(".") || "(root)", message: i.message }));
}

export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof ZodError) {
    const first = zodDetails(err)[0];
    return new AppError("validation_failed", first ? `${first.path}: ${first.message}` : "Invalid request", zodDetails(err));
  }
  if (err instanceof HTTPException) {
    const code = (Object.keys(STATUS) as ErrorCode[]).find((k) => STATUS[k] === err.status) ?? "bad_request";
    return new AppError(code, err.message || "Request failed", undefined, err.status);
  }
  return new AppError("internal_error", "Internal error");
}

type Body = Record<string, unknown>;

/** `{error: {code, message, requestId, details?}}` — the platform API's one error body. */
export function apiErrorBody(err: AppError, requestId: string): Body {
  return { error: { code: err.code, message: err.message, requestId, ...(err.details === undefined ? {} : { details: err.details }) } };
}

const OPENAI_TYPE: Partial<Record<number, string>> = {
  400: "invalid_request_error",
  401: "authentication_error",
  402: "insufficient_quota",
  403: "permission_error",
  404: "not_found_error",
  409: "conflict_error",
  413: "invalid_request_error",
  422: "invalid_request_error",
  429: "rate_limit_error",
};

/**
 * OpenAI's error object, as the openai SDK parses it, plus `request_id` (the SDK ignores
 * fields it does not know and reads the id from the x-request-id header too).
 */
export function openAIErrorBody(err: AppError, requestId: string): Body {
  const param = Array.isArray(err.details) ? (err.details[0] as { path?: string } | undefined)?.path ?? null : null;
  return { error: { message: err.message, type: OPENAI_TYPE[err.status] ?? "api_error", param, code: err.code, request_id: requestId } };
}

const ANTHROPIC_TYPE: Partial<Record<number, string>> = {
  400: "invalid_request_error",
  401: "authentication_error",
  402: "billing_error",
  403: "permission_error",
  404: "not_found_error",
  413: "request_too_large",
  429: "rate_limit_error",
  529: "overloaded_error",
};

/** Anthropic's error body, as @anthropic-ai/sdk parses it, with a top-level `request_id` as Anthropic's API sends. */
export function anthropicErrorBody(err: AppError, requestId: string): Body {
  return { type: "error", error: { type: ANTHROPIC_TYPE[err.status] ?? "api_error", message: err.message }, request_id: requestId };
}

export type ErrorFormat = "api" | "openai" | "anthropic";

/** Which body a path's callers expect. */
export function errorFormatFor(path: string): ErrorFormat {
  if (path === "/v1/messages" || path.startsWith("/v1/messages/")) return "anthropic";
  if (path.startsWith("/v1/")) return "openai";
  return "api";
}

export function errorBody(format: ErrorFormat, err: AppError, requestId: string): Body {
  if (format === "openai") return openAIErrorBody(err, requestId);
  if (format === "anthropic") return anthropicErrorBody(err, requestId);
  return apiErrorBody(err, requestId);
}

/** The one `app.onError`. Unknown errors are logged and become a 500 without internals. */
export function renderError(err: unknown, c: Context<AppEnv>): Response {
  const appErr = toAppError(err);
  const requestId = c.get("requestId") ?? "unknown";
  if (appErr.code === "internal_error") {
    log.error("unhandled error", { method: c.req.method, path: c.req.path, err });
  }
  const headers = new Headers(appErr.headers);
  headers.set("content-type", "application/json");
  const format = errorFormatFor(c.req.path);
  headers.set("x-request-id", requestId);
  // Anthropic's API names its header request-id, and @anthropic-ai/sdk reads that one.
  if (format === "anthropic") headers.set("request-id", requestId);
  return new Response(JSON.stringify(errorBody(format, appErr, requestId)), { status: appErr.status, headers });
}
