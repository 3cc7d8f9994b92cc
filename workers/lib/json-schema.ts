/**
 * A practical subset of JSON Schema, interpreted directly: Workers forbid eval, so
 * compiling validators (ajv) is out. Supported: type (a name or a list, "integer"
 * included), properties, required, additionalProperties (true/false), items, enum,
 * const, minLength, maxLength, pattern, minimum, maximum, minItems, maxItems, format
 * (email, date, date-time, uri), anyOf, oneOf, and the annotations (title, description,
 * default, examples, $comment, $schema, $id). Anything else is refused by checkJsonSchema,
 * so a schema never silently checks less than its author meant.
 */

export type SchemaProblem = { path: string; message: string };

const TYPES = ["string", "number", "integer", "boolean", "object", "array", "null"] as const;
const FORMATS = ["email", "date", "date-time", "uri"] as const;
const ANNOTATIONS = new Set(["title", "description", "default", "examples", "$comment", "$schema", "$id", "deprecated", "readOnly", "writeOnly"]);
const COUNTS = ["minLength", "maxLength", "minItems", "maxItems"] as const;
const HINTS: Record<string, string> = {
  $ref: "references are not supported; write the sub-schema inline",
  $defs: "definitions are not supported; write the sub-schema inline",
  definitions: "definitions are not supported; write the sub-schema inline",
  allOf: "allOf is not supported; merge the schemas into one",
  exclusiveMinimum: "use minimum",
  exclusiveMaximum: "use maximum",
};
const MAX_DEPTH = 32;

type Schema = Record<string, unknown>;

function isObject(v: unknown): v is Schema {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** Deep, type-strict equality of JSON values; undefined is treated as null. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  const x = a === undefined ? null : a;
  const y = b === undefined ? null : b;
  if (x === y) return true;
  if (Array.isArray(x) && Array.isArray(y)) return x.length === y.length && x.every((v, i) => jsonEqual(v, y[i]));
  if (isObject(x) && isObject(y)) {
    const keys = Object.keys(x).filter((k) => x[k] !== undefined);
    if (keys.length !== Object.keys(y).filter((k) => y[k] !== undefined).length) return false;
    return keys.every((k) => Object.hasOwn(y, k) && jsonEqual(x[k], y[k]));
  }
  return false;
}

const join = (path: string, key: string | number) => (path === "(root)" ? String(key) : `${path}.${key}`);

const patterns = new Map<string, RegExp | null>();

function regexOf(pattern: string): RegExp | null {
  let re = patterns.get(pattern);
  if (re === undefined) {
    try {
      re = new RegExp(pattern, "u");
    } catch {
      re = null;
    }
    if (patterns.size >= 1_000) patterns.clear();
    patterns.set(pattern, re);
  }
  return re;
}

function checkKeyword(key: string, v: unknown, at: string, depth: number, out: SchemaProblem[]): void {
  const bad = (message: string) => out.push({ path: at, message });
  switch (key) {
    case "type": {
      const list = Array.isArray(v) ? v : [v];
      if (!list.length || !list.every((t) => (TYPES as readonly unknown[]).includes(t))) bad(`must be one of ${TYPES.join(", ")}, or a list of them`);
      else if (new Set(list).size !== list.length) bad("lists a type twice");
      return;
    }
    case "properties":
      if (!isObject(v)) return void bad("must be an object of schemas");
      for (const [name, sub] of Object.entries(v)) checkAt(sub, join(at, name), depth + 1, out);
      return;
    case "required":
      if (!Array.isArray(v) || !v.every((r) => typeof r === "string")) bad("must be a list of property names");
      else if (new Set(v).size !== v.length) bad("lists a property twice");
      return;
    case "additionalProperties":
      if (typeof v !== "boolean") bad("only true or false is supported");
      return;
    case "items":
      return Array.isArray(v) ? void bad("tuple items are not supported; give one schema") : checkAt(v, at, depth + 1, out);
    case "enum":
      if (!Array.isArray(v) || v.length === 0) bad("must be a non-empty list");
      return;
    case "const":
      return;
    case "pattern":
      if (typeof v !== "string" || v.length > 1000 || !regexOf(v)) bad("must be a valid regular expression (at most 1,000 characters)");
      return;
    case "minimum":
    case "maximum":
      if (typeof v !== "number" || !Number.isFinite(v)) bad("must be a number");
      return;
    case "format":
      if (!(FORMATS as readonly unknown[]).includes(v)) bad(`must be one of ${FORMATS.join(", ")}`);
      return;
    case "anyOf":
    case "oneOf":
      if (!Array.isArray(v) || v.length === 0) return void bad("must be a non-empty list of schemas");
      v.forEach((sub, i) => checkAt(sub, join(at, i), depth + 1, out));
      return;
    default:
      if ((COUNTS as readonly string[]).includes(key) && !(typeof v === "number" && Number.isInteger(v) && v >= 0)) bad("must be a whole number, 0 or more");
  }
}

const KNOWN = new Set(["type", "properties", "required", "additionalProperties", "items", "enum", "const", "pattern", "minimum", "maximum", "format", "anyOf", "oneOf", ...COUNTS]);

function checkAt(schema: unknown, path: string, depth: number, out: SchemaProblem[]): void {
  if (typeof schema === "boolean") return;
  if (!isObject(schema)) return void out.push({ path, message: "must be a schema object (or true / false)" });
  if (depth > MAX_DEPTH) return void out.push({ path, message: `nests deeper than ${MAX_DEPTH} levels` });
  for (const [key, v] of Object.entries(schema)) {
    if (ANNOTATIONS.has(key)) continue;
    if (!KNOWN.has(key)) out.push({ path: join(path, key), message: `unsupported keyword "${key}"${Object.hasOwn(HINTS, key) ? `: ${HINTS[key]}` : ""}` });
    else checkKeyword(key, v, join(path, key), depth, out);
  }
  for (const [min, max] of [["minLength", "maxLength"], ["minItems", "maxItems"], ["minimum", "maximum"]] as const) {
    const lo = schema[min];
    const hi = schema[max];
    if (typeof lo === "number" && typeof hi === "number" && lo > hi) out.push({ path: join(path, min), message: `is greater than ${max}` });
  }
}

/** Problems that make `schema` unusable or outside the supported subset; [] when it is fine. Paths are schema locations. */
export function checkJsonSchema(schema: unknown): SchemaProblem[] {
  const out: SchemaProblem[] = [];
  checkAt(schema, "(root)", 0, out);
  return out;
}

function typeOf(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeof v;
}

function hasType(v: unknown, t: unknown): boolean {
  const actual = typeOf(v);
  return actual === t || (t === "number" && actual === "integer");
}

function codePoints(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xdc00 || c > 0xdfff) n++;
  }
  return n;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4}-\d{2}-\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(?:[Zz]|[+-](\d{2}):(\d{2}))$/;
const EMAIL_LOCAL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}$/;
const LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

function validDate(s: string): boolean {
  const m = DATE.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

function parsesAsUrl(s: string): boolean {
  try {
    new URL(s);
    return true;
  } catch {
    return false;
  }
}

const FORMAT_CHECKS: Record<string, (s: string) => boolean> = {
  date: validDate,
  "date-time": (s) => {
    const m = DATE_TIME.exec(s);
    return !!m && validDate(m[1] ?? "") && Number(m[2]) < 24 && Number(m[3]) < 60 && Number(m[4]) < 61 && Number(m[5] ?? 0) < 24 && Number(m[6] ?? 0) < 60;
  },
  email: (s) => {
    const at = s.lastIndexOf("@");
    const labels = s.slice(at + 1).split(".");
    return at > 0 && EMAIL_LOCAL.test(s.slice(0, at)) && labels.length >= 2 && labels.every((l) => LABEL.test(l)) && /[A-Za-z]/.test(labels.at(-1) ?? "");
  },
  uri: (s) => /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$/.test(s) && parsesAsUrl(s),
};

function describe(v: unknown): string {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

function validateString(schema: Schema, s: string, path: string, out: SchemaProblem[]): void {
  const len = codePoints(s);
  if (typeof schema.minLength === "number" && len < schema.minLength) out.push({ path, message: `must be at least ${schema.minLength} characters` });
  if (typeof schema.maxLength === "number" && len > schema.maxLength) out.push({ path, message: `must be at most ${schema.maxLength} characters` });
  const re = typeof schema.pattern === "string" ? regexOf(schema.pattern) : null;
  if (re && !re.test(s)) out.push({ path, message: `must match the pattern ${schema.pattern}` });
  const check = typeof schema.format === "string" && Object.hasOwn(FORMAT_CHECKS, schema.format) ? FORMAT_CHECKS[schema.format] : undefined;
  if (check && !check(s)) out.push({ path, message: `must be a valid ${schema.format}` });
}

function validateObject(schema: Schema, obj: Schema, path: string, out: SchemaProblem[]): void {
  const props = isObject(schema.properties) ? schema.properties : {};
  if (Array.isArray(schema.required)) {
    for (const name of schema.required) if (typeof name === "string" && obj[name] === undefined) out.push({ path: join(path, name), message: "is required" });
  }
  for (const [key, v] of Object.entries(obj)) {
    // A key holding undefined (a template that found nothing) is absent once written as JSON.
    if (v === undefined) continue;
    if (Object.hasOwn(props, key)) validateAt(props[key], v, join(path, key), out);
    else if (schema.additionalProperties === false) out.push({ path: join(path, key), message: "is not an allowed property" });
  }
}

function validateArray(schema: Schema, arr: unknown[], path: string, out: SchemaProblem[]): void {
  if (typeof schema.minItems === "number" && arr.length < schema.minItems) out.push({ path, message: `must have at least ${schema.minItems} items` });
  if (typeof schema.maxItems === "number" && arr.length > schema.maxItems) out.push({ path, message: `must have at most ${schema.maxItems} items` });
  if (schema.items !== undefined) arr.forEach((v, i) => validateAt(schema.items, v, join(path, i), out));
}

function validateCombinators(schema: Schema, value: unknown, path: string, out: SchemaProblem[]): void {
  const passing = (subs: unknown) => (Array.isArray(subs) ? subs.filter((sub) => validateJsonSchema(sub, value).length === 0).length : -1);
  if (passing(schema.anyOf) === 0) out.push({ path, message: "must match at least one of the schemas in anyOf" });
  const one = passing(schema.oneOf);
  if (one === 0 || one > 1) out.push({ path, message: `must match exactly one of the schemas in oneOf (matched ${one})` });
}

function validateAt(schema: unknown, value: unknown, path: string, out: SchemaProblem[]): void {
  if (schema === false) return void out.push({ path, message: "is not allowed" });
  if (!isObject(schema)) return;
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (!types.some((t) => hasType(value, t))) return void out.push({ path, message: `must be ${types.join(" or ")}, not ${typeOf(value) === "integer" ? "number" : typeOf(value)}` });
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((e) => jsonEqual(e, value))) out.push({ path, message: `must be one of ${describe(schema.enum)}` });
  if (Object.hasOwn(schema, "const") && !jsonEqual(schema.const, value)) out.push({ path, message: `must be ${describe(schema.const)}` });
  if (typeof value === "number") {
    if (typeof schema.minimum === "number" && value < schema.minimum) out.push({ path, message: `must be ${schema.minimum} or more` });
    if (typeof schema.maximum === "number" && value > schema.maximum) out.push({ path, message: `must be ${schema.maximum} or less` });
  }
  if (typeof value === "string") validateString(schema, value, path, out);
  else if (Array.isArray(value)) validateArray(schema, value, path, out);
  else if (isObject(value)) validateObject(schema, value, path, out);
  validateCombinators(schema, value, path, out);
}

/**
 * Where `value` breaks `schema` ([] when it conforms). Paths are dotted value locations
 * ("vehicles.0.make", "(root)"). Parts of a schema outside the subset are ignored here;
 * checkJsonSchema refuses them when the schema is saved.
 */
export function validateJsonSchema(schema: unknown, value: unknown): SchemaProblem[] {
  const out: SchemaProblem[] = [];
  validateAt(schema, value, "(root)", out);
  return out;
}
