/**
 * What an approval step asks (its rendered title, summary and proposed data), and the
 * proposed data as editable text fields and back.
 */
import { isRecord } from "./graph/steps";

export type ApprovalAsk = { title: string; summary: string | null; data: unknown };

export function readAsk(request: unknown, fallback: string): ApprovalAsk {
  if (!isRecord(request)) return { title: fallback, summary: null, data: request ?? null };
  return {
    title: typeof request.title === "string" && request.title ? request.title : fallback,
    summary: typeof request.summary === "string" && request.summary ? request.summary : null,
    data: request.data ?? null,
  };
}

/** The proposed data's text fields, which the approver may edit ("" names a bare string). */
export function editableFields(data: unknown): Record<string, string> {
  if (typeof data === "string") return { "": data };
  if (!isRecord(data)) return {};
  return Object.fromEntries(Object.entries(data).filter((e): e is [string, string] => typeof e[1] === "string"));
}

/** The data with the edits applied, or undefined when nothing changed (the proposal stands). */
export function editedData(data: unknown, edits: Record<string, string>): unknown {
  const original = editableFields(data);
  const changed = Object.entries(edits).some(([k, v]) => original[k] !== v);
  if (!changed) return undefined;
  if (typeof data === "string") return edits[""] ?? data;
  return { ...(isRecord(data) ? data : {}), ...edits };
}

/** "response" → "Response", "follow_up_at" → "Follow up at". */
export function fieldLabel(key: string): string {
  const words = key.replace(/([a-z])([A-Z])/g, "$1 $2").replace(/[_-]+/g, " ").trim().toLowerCase();
  return words ? words[0]?.toUpperCase() + words.slice(1) : "Proposed text";
}
