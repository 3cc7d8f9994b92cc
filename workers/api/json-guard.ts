/**
 * Gives malformed JSON bodies the platform API's own error (`invalid_json`) before the
 * route validators see them; they would otherwise answer a bare "Malformed JSON".
 * Only strict JSON media types are read here, so NDJSON or file uploads pass untouched.
 */
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env";
import { AppError } from "../errors";

const JSON_MEDIA = /^application\/([\w.-]+\+)?json$/i;
const BODY_METHODS = new Set(["POST", "PUT", "PATCH"]);

export const jsonGuard = createMiddleware<AppEnv>(async (c, next) => {
  const mediaType = (c.req.header("content-type") ?? "").split(";")[0]?.trim() ?? "";
  if (!BODY_METHODS.has(c.req.method) || !JSON_MEDIA.test(mediaType)) return next();
  // Reading through c.req caches the text, so the validators that run later parse the same bytes.
  const text = await c.req.text();
  if (!text.trim()) throw new AppError("invalid_json", "The request body is empty; expected a JSON object");
  try {
    JSON.parse(text);
  } catch (e) {
    throw new AppError("invalid_json", `The request body is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  return next();
});
