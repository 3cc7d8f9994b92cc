/**
 * What routing looks at in a request, computed once per call from the body and headers:
 * the model asked for, the key's tags, x-auterity-* metadata, a cheap size estimate and
 * which capabilities the request needs. Pure: no I/O, no clock of its own.
 */
import { arr, isObject, obj, str, type JsonObject } from "../translate/json";
import type { WireFormat } from "../translate";

export type RequestFeatures = {
  /** As the client asked. */
  model: string;
  /** The API key's tags. */
  tags: string[];
  /** x-auterity-* request headers, prefix stripped, lower-case (e.g. { task: "lead-reply" }). */
  metadata: Record<string, string>;
  /** Cheap estimate from the body (chars/4 over message text + tools JSON). */
  estimatedPromptTokens: number;
  /** max_tokens / max_completion_tokens / max_output_tokens. */
  maxOutputTokens: number | null;
  needs: { tools: boolean; json: boolean; vision: boolean };
  stream: boolean;
  /** Epoch ms. */
  now: number;
  /** The tenant's IANA zone. */
  timezone: string;
};

export type FeatureContext = { tags: string[]; metadata: Record<string, string>; now: number; timezone: string };

const METADATA_PREFIX = "x-auterity-";
const MAX_METADATA_ENTRIES = 32;
const MAX_METADATA_VALUE = 256;
const CHARS_PER_TOKEN = 4;
// Providers bill an image by its size; without decoding it, a mid-size image is the honest guess.
const TOKENS_PER_IMAGE = 800;
const IMAGE_PARTS = new Set(["image_url", "image", "input_image"]);
// Keys whose strings are identifiers or media payloads, not text the model reads as tokens.
const NOT_TEXT = new Set(["type", "role", "id", "call_id", "tool_call_id", "tool_use_id", "url", "image_url", "data", "media_type", "detail", "file_id", "file_data", "status", "cache_control"]);

/** x-auterity-* headers as routing metadata: prefix stripped, lower-case keys, bounded in count and size. */
export function metadataFromHeaders(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  let count = 0;
  for (const [name, value] of headers) {
    const lower = name.toLowerCase();
    if (!lower.startsWith(METADATA_PREFIX) || lower.length === METADATA_PREFIX.length) continue;
    if (count++ >= MAX_METADATA_ENTRIES) break;
    out[lower.slice(METADATA_PREFIX.length)] = value.trim().slice(0, MAX_METADATA_VALUE);
  }
  return out;
}

type Tally = { chars: number; images: number };

function tallyValue(v: unknown, t: Tally, depth: number): void {
  if (depth > 12) return;
  if (typeof v === "string") t.chars += v.length;
  else if (Array.isArray(v)) for (const item of v) tallyValue(item, t, depth + 1);
  else if (isObject(v)) tallyObject(v, t, depth);
}

function tallyObject(o: JsonObject, t: Tally, depth: number): void {
  const type = str(o, "type");
  if (type && IMAGE_PARTS.has(type)) t.images += 1;
  for (const [k, v] of Object.entries(o)) {
    if (NOT_TEXT.has(k)) continue;
    // Tool inputs are sent back to the model as JSON text.
    if (k === "input" && isObject(v)) t.chars += JSON.stringify(v).length;
    else tallyValue(v, t, depth + 1);
  }
}

/** The parts of a body that reach the model as prompt, per wire format. */
function promptParts(format: WireFormat, body: JsonObject): unknown[] {
  if (format === "anthropic-messages") return [body.system, body.messages];
  if (format === "openai-responses") return [body.instructions, body.input];
  return [body.messages];
}

function toolsOf(body: JsonObject): unknown[] {
  return [...(arr(body, "tools") ?? []), ...(arr(body, "functions") ?? [])];
}

function maxOutputOf(body: JsonObject): number | null {
  for (const k of ["max_tokens", "max_completion_tokens", "max_output_tokens"]) {
    const v = body[k];
    if (typeof v === "number" && Number.isFinite(v) && v > 0) return Math.floor(v);
  }
  return null;
}

function wantsJson(format: WireFormat, body: JsonObject): boolean {
  const fmt = format === "openai-responses" ? obj(obj(body, "text") ?? {}, "format") : obj(body, "response_format");
  const type = fmt ? str(fmt, "type") : undefined;
  return type === "json_object" || type === "json_schema";
}

/** The routing view of one request. */
export function featuresOf(format: WireFormat, body: Record<string, unknown>, ctx: FeatureContext): RequestFeatures {
  const tally: Tally = { chars: 0, images: 0 };
  for (const part of promptParts(format, body)) tallyValue(part, tally, 0);
  const tools = toolsOf(body);
  const toolChars = tools.length > 0 ? JSON.stringify(tools).length : 0;
  return {
    model: typeof body.model === "string" ? body.model : "",
    tags: ctx.tags,
    metadata: ctx.metadata,
    estimatedPromptTokens: Math.ceil((tally.chars + toolChars) / CHARS_PER_TOKEN) + tally.images * TOKENS_PER_IMAGE,
    maxOutputTokens: maxOutputOf(body),
    needs: { tools: tools.length > 0, json: wantsJson(format, body), vision: tally.images > 0 },
    stream: body.stream === true,
    now: ctx.now,
    timezone: ctx.timezone,
  };
}
