/**
 * How upstream failures reach our callers: one table for every provider. Both SDKs throw
 * the same family of errors (status + headers + body), so adapters funnel them through
 * `upstreamError` and the call path only ever sees AppErrors.
 */
import * as AnthropicSdk from "@anthropic-ai/sdk";
import * as OpenAISdk from "openai";
import { z } from "zod";
import { AppError, type ErrorCode } from "../../errors";

/** What is left of an SDK error once the SDK is forgotten. */
export type UpstreamFailure =
  | { kind: "status"; status: number; message: string | null; retryAfter: string | null }
  | { kind: "timeout" }
  | { kind: "connection"; message: string }
  | { kind: "aborted" };

/** Provider statuses a caller can act on are passed through with the provider's words. */
const PASS_THROUGH: Partial<Record<number, ErrorCode>> = {
  400: "bad_request",
  404: "model_not_found",
  413: "payload_too_large",
  422: "unprocessable",
};

/** The table: an upstream failure of `provider` as the error our caller receives. */
export function appErrorFor(provider: string, f: UpstreamFailure): AppError {
  if (f.kind === "timeout") return new AppError("upstream_timeout", `${provider} did not answer in time`);
  // The client went away; 499 is what the usage log records for it.
  if (f.kind === "aborted") return new AppError("bad_request", "The client closed the request", undefined, 499);
  if (f.kind === "connection") return new AppError("provider_unavailable", `Could not reach ${provider}: ${f.message}`, undefined, 502);
  const said = f.message ?? `status ${f.status}`;
  const passed = PASS_THROUGH[f.status];
  if (passed) return new AppError(passed, `${provider}: ${said}`, undefined, f.status);
  if (f.status === 401 || f.status === 403) {
    return new AppError("upstream_error", `The provider rejected the credentials configured for ${provider}`);
  }
  if (f.status === 429) {
    const headers = f.retryAfter ? { "retry-after": f.retryAfter } : undefined;
    return new AppError("rate_limited", `${provider} is rate limiting these requests: ${said}`, undefined, 429, headers);
  }
  if (f.status === 408) return new AppError("upstream_timeout", `${provider} timed out: ${said}`);
  return new AppError("upstream_error", `${provider} failed (${f.status}): ${said}`);
}

const openAIBody = z.object({ message: z.string() });

function failureOf(err: unknown): UpstreamFailure | null {
  if (err instanceof OpenAISdk.APIUserAbortError || err instanceof AnthropicSdk.APIUserAbortError) return { kind: "aborted" };
  if (err instanceof OpenAISdk.APIConnectionTimeoutError || err instanceof AnthropicSdk.APIConnectionTimeoutError) return { kind: "timeout" };
  if (err instanceof OpenAISdk.APIConnectionError || err instanceof AnthropicSdk.APIConnectionError) {
    return { kind: "connection", message: err.cause instanceof Error ? err.cause.message : err.message };
  }
  if (err instanceof OpenAISdk.APIError && err.status !== undefined) {
    const parsed = openAIBody.safeParse(err.error);
    return { kind: "status", status: err.status, message: parsed.success ? parsed.data.message : null, retryAfter: err.headers?.get("retry-after") ?? null };
  }
  if (err instanceof AnthropicSdk.APIError && err.status !== undefined) {
    return { kind: "status", status: err.status, message: err.apiMessage, retryAfter: err.headers?.get("retry-after") ?? null };
  }
  return null;
}

/** Turns whatever an SDK threw into an AppError; anything else is rethrown as it is. */
export function upstreamError(provider: string, err: unknown): never {
  if (err instanceof AppError) throw err;
  const failure = failureOf(err);
  if (!failure) throw err;
  throw appErrorFor(provider, failure);
}

/** Awaits an SDK call, translating its failures. */
export async function viaSdk<T>(provider: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    return upstreamError(provider, err);
  }
}
