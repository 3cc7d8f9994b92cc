/**
 * Reading the API's error details for forms: field paths to messages, and the problems of
 * an invalid workflow definition (step, path and, for YAML, line and column).
 */
import { ApiError } from "../../api/client";
import { isRecord, listOf } from "./graph/steps";

export type DefinitionProblem = { path: string; stepId: string | null; message: string; line?: number; column?: number };

function details(error: unknown): Record<string, unknown>[] {
  return error instanceof ApiError ? (listOf(error.details) ?? []).filter(isRecord) : [];
}

/** `{ "input.text": "is required", … }` from the details of a validation error. */
export function fieldErrors(error: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const d of details(error)) {
    if (typeof d.path === "string" && typeof d.message === "string" && !(d.path in out)) out[d.path] = d.message;
  }
  return out;
}

/** The first error whose path is `field` or lies under it ("input" matches "input.text"). */
export function errorUnder(errors: Record<string, string>, field: string): string | null {
  for (const [path, message] of Object.entries(errors)) {
    if (path === field || path.startsWith(`${field}.`) || path.startsWith(`${field}[`)) return path === field ? message : `${path}: ${message}`;
  }
  return null;
}

export function definitionProblems(error: unknown): DefinitionProblem[] {
  return details(error)
    .filter((d) => typeof d.path === "string" && typeof d.message === "string")
    .map((d) => ({
      path: d.path as string,
      stepId: typeof d.stepId === "string" ? d.stepId : null,
      message: d.message as string,
      ...(typeof d.line === "number" ? { line: d.line } : {}),
      ...(typeof d.column === "number" ? { column: d.column } : {}),
    }));
}
