import type { Context } from "hono";
import type { z } from "zod";
import { AppError, zodDetails } from "../errors";

/**
 * Reads a JSON body and validates it, turning malformed JSON and schema misses into
 * AppErrors that each route family renders in its callers' format.
 */
export async function parseJsonBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> {
  const type = c.req.header("content-type") ?? "";
  if (type && !type.includes("json")) {
    throw new AppError("unsupported_media_type", `Expected a JSON body (content-type: application/json), got ${type}`);
  }
  const text = await c.req.text();
  if (!text.trim()) throw new AppError("invalid_json", "The request body is empty; expected a JSON object");
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new AppError("invalid_json", `The request body is not valid JSON: ${(e as Error).message}`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const details = zodDetails(parsed.error);
    const first = details[0];
    throw new AppError("validation_failed", first ? `Invalid value at '${first.path}': ${first.message}` : "Invalid request body", details);
  }
  return parsed.data;
}
