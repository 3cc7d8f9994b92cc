/**
 * Which failures say something about a provider's health. The adapters turn every upstream
 * failure into an AppError (workers/gateway/providers/errors.ts); this reads those back.
 * A caller's own mistakes (400, 404, 413, 422), a client hanging up (499) and our own
 * configuration gaps (no key: 503) are not the provider's fault and count for nothing.
 */
import { z } from "zod";
import { AppError } from "../../errors";
import type { FailureKind } from "./window";

const STREAM_CUT = z.object({ reason: z.literal("stream_cut") });

/**
 * The error for an upstream stream that ended before its first event. Thrown before a result
 * exists, so the call fails over; `classifyFailure` reads it as `stream_cut`.
 */
export function streamCutError(provider: string): AppError {
  return new AppError("upstream_error", `${provider} ended the stream before sending anything`, { reason: "stream_cut" }, 502);
}

function classifyAppError(err: AppError): FailureKind | null {
  if (STREAM_CUT.safeParse(err.details).success) return "stream_cut";
  if (err.status === 429) return "rate_limited";
  if (err.code === "upstream_timeout" || err.status === 408) return "timeout";
  // The adapters report an unreachable host as 502; a 503 of ours means nothing is configured.
  if (err.code === "provider_unavailable") return err.status === 502 ? "connection" : null;
  if (err.code === "upstream_error" || (err.status >= 500 && err.code !== "internal_error")) return "server_error";
  return null;
}

/** The kind of provider failure `err` is, or null when it says nothing about the provider's health. */
export function classifyFailure(err: unknown): FailureKind | null {
  if (err instanceof AppError) return classifyAppError(err);
  // fetch's own deadline (AbortSignal.timeout) rejects with a TimeoutError.
  if (err instanceof Error && err.name === "TimeoutError") return "timeout";
  return null;
}
