/**
 * Deterministic sample values for a JSON Schema: tool arguments and structured outputs
 * that validate against what the caller declared (required properties, types, enums,
 * bounds, $ref, anyOf/oneOf/allOf).
 */

/** A JSON value. */
export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Schema = Record<string, unknown>;

function isRecord(v: unknown): v is Schema {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function num(v: unknown): number | undefined {
  return typeof v === "number" ? v : undefined;
}

const NAMED_STRINGS: ReadonlyArray<[RegExp, string]> = [
  [/location|city|address/i, "Austin, TX"],
  [/email/i, "customer@example.com"],
  [/phone/i, "+1-512-555-0100"],
  [/vin/i, "1HGCM82633A004352"],
  [/make/i, "Toyota"],
  [/model/i, "Camry"],
  [/unit/i, "celsius"],
  [/date/i, "2025-01-15"],
  [/name/i, "Jordan Lee"],
];

const FORMATS: Record<string, string> = {
  date: "2025-01-15",
  "date-time": "2025-01-15T10:00:00Z",
  time: "10:00:00",
  email: "customer@example.com",
  uri: "https://example.com/",
  url: "https://example.com/",
  uuid: "00000000-0000-4000-8000-000000000000",
  ipv4: "192.0.2.1",
};

function resolveRef(ref: string, root: Schema): Schema {
  const m = /^#\/(\$defs|definitions)\/(.+)$/.exec(ref);
  const defs = m ? root[m[1]!] : undefined;
  const target = m && isRecord(defs) ? defs[decodeURIComponent(m[2]!)] : undefined;
  return isRecord(target) ? target : {};
}

function sampleString(s: Schema, key: string): string {
  const format = typeof s.format === "string" ? FORMATS[s.format] : undefined;
  let out = format ?? NAMED_STRINGS.find(([re]) => re.test(key))?.[1] ?? (key ? `sample ${key.replace(/_/g, " ")}` : "sample");
  const min = num(s.minLength);
  const max = num(s.maxLength);
  if (min !== undefined && out.length < min) out = out.padEnd(min, "x");
  if (max !== undefined && out.length > max) out = out.slice(0, max);
  return out;
}

function sampleNumber(s: Schema, integer: boolean): number {
  const min = num(s.minimum) ?? (num(s.exclusiveMinimum) !== undefined ? num(s.exclusiveMinimum)! + 1 : undefined);
  const max = num(s.maximum) ?? (num(s.exclusiveMaximum) !== undefined ? num(s.exclusiveMaximum)! - 1 : undefined);
  let v = min ?? (max !== undefined ? Math.min(max, 1) : 1);
  if (max !== undefined && v > max) v = max;
  return integer ? Math.ceil(v) : v;
}

function sampleObject(s: Schema, root: Schema, depth: number): { [k: string]: Json } {
  const props = isRecord(s.properties) ? s.properties : {};
  const required = Array.isArray(s.required) ? s.required.filter((k): k is string => typeof k === "string") : [];
  const out: { [k: string]: Json } = {};
  for (const key of required) out[key] = sampleAt(props[key] ?? {}, root, key, depth + 1);
  return out;
}

function pickType(s: Schema): string | undefined {
  if (typeof s.type === "string") return s.type;
  if (Array.isArray(s.type)) return s.type.find((t): t is string => typeof t === "string" && t !== "null") ?? "null";
  if (isRecord(s.properties)) return "object";
  if (isRecord(s.items)) return "array";
  return undefined;
}

function sampleAt(schema: unknown, root: Schema, key: string, depth: number): Json {
  if (!isRecord(schema) || depth > 12) return null;
  if (typeof schema.$ref === "string") return sampleAt(resolveRef(schema.$ref, root), root, key, depth + 1);
  if ("const" in schema) return toJson(schema.const);
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return toJson(schema.enum[0]);
  const union = Array.isArray(schema.anyOf) ? schema.anyOf : Array.isArray(schema.oneOf) ? schema.oneOf : undefined;
  if (union && union.length > 0) {
    const nonNull = union.find((u) => !(isRecord(u) && u.type === "null"));
    return sampleAt(nonNull ?? union[0], root, key, depth + 1);
  }
  if (Array.isArray(schema.allOf)) return sampleAllOf(schema.allOf, root, key, depth);
  switch (pickType(schema)) {
    case "object": return sampleObject(schema, root, depth);
    case "array": {
      const n = Math.max(num(schema.minItems) ?? 1, 1);
      const capped = Math.min(n, num(schema.maxItems) ?? n);
      return Array.from({ length: capped }, () => sampleAt(schema.items ?? {}, root, key, depth + 1));
    }
    case "string": return sampleString(schema, key);
    case "integer": return sampleNumber(schema, true);
    case "number": return sampleNumber(schema, false);
    case "boolean": return true;
    case "null": return null;
    default: return sampleString(schema, key);
  }
}

function sampleAllOf(parts: unknown[], root: Schema, key: string, depth: number): Json {
  const merged: { [k: string]: Json } = {};
  for (const p of parts) {
    const v = sampleAt(p, root, key, depth + 1);
    if (isRecord(v)) Object.assign(merged, v);
  }
  return merged;
}

function toJson(v: unknown): Json {
  if (v === null || typeof v === "boolean" || typeof v === "number" || typeof v === "string") return v;
  if (Array.isArray(v)) return v.map(toJson);
  if (isRecord(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toJson(x)]));
  return null;
}

/** A value valid against `schema` (an object schema gives its required properties). */
export function sampleFromSchema(schema: unknown): Json {
  return sampleAt(isRecord(schema) ? schema : { type: "object" }, isRecord(schema) ? schema : {}, "", 0);
}
