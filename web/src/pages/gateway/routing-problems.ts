/** Problems in routing YAML, as the API reports them: [{line, column, path, message}]. */
import { ApiError, type Schemas } from "../../api/client";

export type RoutingProblem = Schemas["RoutingProblem"];

function isProblem(d: unknown): d is RoutingProblem {
  if (!d || typeof d !== "object") return false;
  const p = d as Record<string, unknown>;
  return typeof p.line === "number" && typeof p.column === "number" && typeof p.path === "string" && typeof p.message === "string";
}

/** The line-numbered problems of a failed save or dry run; empty when the failure is not about the YAML. */
export function problemsOf(err: unknown): RoutingProblem[] {
  if (!(err instanceof ApiError) || err.code !== "validation_failed" || !Array.isArray(err.details)) return [];
  return (err.details as unknown[]).filter(isProblem);
}

/** Where line `line` (1-based) starts in `text`. */
export function offsetOfLine(text: string, line: number): number {
  let at = 0;
  for (let i = 1; i < line; i++) {
    const next = text.indexOf("\n", at);
    if (next < 0) return text.length;
    at = next + 1;
  }
  return at;
}

export const EXAMPLE_RULES = `rules:
  - name: lead-replies
    description: ADF lead answers go to the fast model first
    match: { task: lead-reply }
    strategy: fallback
    targets: [openai/gpt-4o-mini, anthropic/claude-3-5-haiku-latest]

  - name: gpt-with-backup
    match: { model: "gpt-*" }
    targets: [$requested, anthropic/claude-3-5-haiku-latest]

default: { timeout_ms: 30000 }
`;
