/**
 * Shared types of the translation layer. Chat Completions is the hub format: every other
 * wire format is translated to and from chat, so each new format costs two translators.
 */

export type WireFormat = "openai-chat" | "anthropic-messages" | "openai-responses";

/** Token counts of one call. `inputTokens` includes `cachedTokens`. */
export type Usage = { inputTokens: number; outputTokens: number; cachedTokens: number };

/** One server-sent event: `data` is parsed JSON, or the raw string for `[DONE]`. */
export type StreamEvent = { event?: string; data: unknown };

export type StreamHooks = {
  /** The first content or tool delta reached the client. */
  onFirstToken?: () => void;
  /** Usage became known; may be called more than once and the last call wins. */
  onUsage?: (u: Usage) => void;
  /** Called exactly once, when the client stream ends for whatever reason. */
  onEnd?: (r: { completed: boolean; cancelled: boolean; error?: string }) => void;
};

/** An error to show a client inside a stream, in whichever format it speaks; `requestId` is the call's x-request-id. */
export type ErrorInfo = { message: string; type: string; code: string | null; requestId?: string };

/** Chat Completions' finish reasons, the hub's vocabulary for why generation stopped. */
export type FinishReason = "stop" | "length" | "tool_calls" | "content_filter" | "function_call";

export const ZERO_USAGE: Usage = { inputTokens: 0, outputTokens: 0, cachedTokens: 0 };
