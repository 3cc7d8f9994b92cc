/** The dry-run form's text fields turned into the API's request body. */
import { ApiError, type paths } from "../../api/client";
import { splitList } from "../settings/lists";

export type DryRunBody = paths["/gateway/routing/dry-run"]["post"]["requestBody"]["content"]["application/json"];

export type DryRunForm = {
  model: string;
  tags: string;
  /** One `key: value` (or `key=value`) per line. */
  metadata: string;
  prompt: string;
  maxTokens: string;
  at: string;
  stream: boolean;
  json: boolean;
};

export const EMPTY_FORM: DryRunForm = { model: "gpt-4o-mini", tags: "", metadata: "", prompt: "", maxTokens: "", at: "", stream: false, json: false };

function invalid(path: string, message: string): ApiError {
  return new ApiError(400, "validation_failed", message, undefined, [{ path, message }]);
}

export function parseMetadata(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [i, raw] of text.split("\n").entries()) {
    const line = raw.trim();
    if (!line) continue;
    const m = /^([^:=\s]+)\s*[:=]\s*(.*)$/.exec(line);
    if (!m) throw invalid("metadata", `Line ${i + 1}: write key: value`);
    out[m[1] as string] = (m[2] as string).trim();
  }
  return out;
}

/** The body for the form, planned against `draft` when given (else the saved rules). */
export function dryRunBody(f: DryRunForm, draft: string | undefined): DryRunBody {
  const metadata = parseMetadata(f.metadata);
  const tags = splitList(f.tags);
  const maxTokens = f.maxTokens.trim() ? Number(f.maxTokens) : undefined;
  if (maxTokens !== undefined && !(Number.isInteger(maxTokens) && maxTokens > 0)) throw invalid("maxTokens", "A whole number above 0");
  const at = f.at ? new Date(f.at).getTime() : undefined;
  return {
    model: f.model.trim(),
    ...(tags.length ? { tags } : {}),
    ...(Object.keys(metadata).length ? { metadata } : {}),
    ...(f.prompt.trim() ? { messages: [{ role: "user", content: f.prompt }] } : {}),
    ...(maxTokens !== undefined ? { maxTokens } : {}),
    ...(at !== undefined && Number.isFinite(at) ? { at } : {}),
    ...(f.stream ? { stream: true } : {}),
    ...(f.json ? { responseFormat: "json_object" as const } : {}),
    ...(draft !== undefined ? { yaml: draft } : {}),
  };
}
