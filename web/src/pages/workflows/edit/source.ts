/**
 * A definition as editable text, in YAML or JSON, and conversion between the two. The API
 * reads both from its `yaml` field (JSON is YAML), so problems come back with lines either way.
 */
import { parse, stringify } from "yaml";

export type Format = "yaml" | "json";

export function toText(definition: unknown, format: Format): string {
  return format === "json" ? `${JSON.stringify(definition, null, 2)}\n` : stringify(definition, { lineWidth: 0 });
}

/** The text in the other format, or an error saying why it cannot be read. */
export function convert(text: string, to: Format): { ok: true; text: string } | { ok: false; message: string } {
  try {
    return { ok: true, text: toText(parse(text), to) };
  } catch (e) {
    return { ok: false, message: `The text cannot be read, so it stays as it is: ${(e as Error).message}` };
  }
}

export const STARTER = `name: Review sentiment alert
description: Score the sentiment of a review and draft a one-line summary for the team.
triggers:
  - type: api
input:
  type: object
  required: [text]
  properties:
    text: { type: string }
steps:
  - id: sentiment
    type: sentiment
    text: "{{ input.text }}"
  - id: summary
    type: ai
    model: gpt-4o-mini
    prompt: "Summarise this review in one line ({{ steps.sentiment.label }}): {{ input.text }}"
`;

/** Where line `line` (1-based) starts and ends in `text`, for selecting it. */
export function lineRange(text: string, line: number): [number, number] {
  let start = 0;
  for (let i = 1; i < line; i++) {
    const next = text.indexOf("\n", start);
    if (next < 0) break;
    start = next + 1;
  }
  const end = text.indexOf("\n", start);
  return [start, end < 0 ? text.length : end];
}
