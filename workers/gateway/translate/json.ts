/**
 * Narrowing helpers for upstream JSON on the streaming hot path, where a full schema
 * parse per token would cost more than the translation itself.
 */

export type JsonObject = Record<string, unknown>;

/** A plain JSON object (not null, not an array). */
export function isObject(v: unknown): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** `o[k]` when it is a string. */
export function str(o: JsonObject, k: string): string | undefined {
  const v = o[k];
  return typeof v === "string" ? v : undefined;
}

/** `o[k]` when it is a finite number. */
export function num(o: JsonObject, k: string): number | undefined {
  const v = o[k];
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}

/** `o[k]` when it is an object. */
export function obj(o: JsonObject, k: string): JsonObject | undefined {
  const v = o[k];
  return isObject(v) ? v : undefined;
}

/** `o[k]` when it is an array. */
export function arr(o: JsonObject, k: string): unknown[] | undefined {
  const v = o[k];
  return Array.isArray(v) ? v : undefined;
}

/** Parses tool-call arguments into the object Anthropic wants; anything else becomes `{}`. */
export function argumentsObject(args: string): JsonObject {
  if (!args.trim()) return {};
  try {
    const v: unknown = JSON.parse(args);
    return isObject(v) ? v : {};
  } catch {
    return {};
  }
}

/** Seconds since the epoch, the unit OpenAI's `created` fields use. */
export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
