/**
 * What the pages show about a definition besides its steps: its triggers in words, and a
 * starting input for a run built from its input schema.
 */
import { isRecord, listOf } from "./graph/steps";

/** "api", "event: lead.created", "cron: 0 9 * * 1". */
export function triggersOf(definition: unknown): string[] {
  const triggers = isRecord(definition) ? listOf(definition.triggers) : null;
  if (!triggers) return ["api"];
  return triggers.filter(isRecord).map((t) => {
    if (t.type === "event" && typeof t.event === "string") return `event: ${t.event}`;
    if (t.type === "cron" && typeof t.schedule === "string") return `cron: ${t.schedule}`;
    return String(t.type);
  });
}

function sample(schema: unknown, depth: number): unknown {
  if (!isRecord(schema) || depth > 4) return null;
  const choices = listOf(schema.enum);
  if (choices?.length) return choices[0];
  const type = listOf(schema.type)?.[0] ?? schema.type;
  switch (type) {
    case "object": {
      const properties = isRecord(schema.properties) ? schema.properties : {};
      const required = new Set(listOf(schema.required) ?? []);
      // Required fields first; optional ones only at the top level, where they are worth a hint.
      const keys = Object.keys(properties).filter((k) => required.has(k) || depth === 0);
      return Object.fromEntries(keys.map((k) => [k, sample(properties[k], depth + 1)]));
    }
    case "array":
      return [];
    case "integer":
    case "number":
      return typeof schema.minimum === "number" ? schema.minimum : 0;
    case "boolean":
      return false;
    case "string":
      return schema.format === "date" ? new Date().toISOString().slice(0, 10) : "";
    default:
      return null;
  }
}

/** A skeleton input: every property of the input schema with an empty value of its type. */
export function inputSkeleton(definition: unknown): unknown {
  if (!isRecord(definition) || !isRecord(definition.input)) return {};
  return sample(definition.input, 0) ?? {};
}
