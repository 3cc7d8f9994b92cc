/**
 * Evaluates branch conditions and trigger filters. Comparisons are strict about types:
 * numbers compare as numbers, strings by code point, and a number never equals or
 * orders against a string ("10" is not 10), so no JavaScript coercion leaks into a
 * dealership's workflow. A missing value counts as null.
 */
import { jsonEqual } from "../lib/json-schema";
import type { Comparison, Condition } from "./definition/condition-schema";
import { readPath, renderTemplate } from "./template";

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

// JavaScript's < compares UTF-16 units, which puts emoji before "ｚ"; compare code points instead.
function codePointOrder(a: string, b: string): number {
  let i = 0;
  for (;;) {
    const x = a.codePointAt(i);
    const y = b.codePointAt(i);
    if (x === undefined || y === undefined) return x === y ? 0 : x === undefined ? -1 : 1;
    if (x !== y) return x < y ? -1 : 1;
    i += x > 0xffff ? 2 : 1;
  }
}

// -1, 0 or 1 for two numbers or two strings; null when they cannot be ordered.
function order(a: unknown, b: unknown): number | null {
  if (typeof a === "number" && typeof b === "number" && !Number.isNaN(a) && !Number.isNaN(b)) return Math.sign(a - b);
  if (typeof a === "string" && typeof b === "string") return codePointOrder(a, b);
  return null;
}

/** Empty strings, 0, false, null, missing, [] and {} are falsy; everything else is truthy. */
export function isTruthy(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === "" || Number.isNaN(v)) return false;
  if (Array.isArray(v)) return v.length > 0;
  if (isPlainObject(v)) return Object.keys(v).length > 0;
  return true;
}

function compare(op: Comparison, actual: unknown, expected: unknown): boolean {
  switch (op) {
    case "eq":
      return jsonEqual(actual, expected);
    case "ne":
      return !jsonEqual(actual, expected);
    case "gt":
    case "gte":
    case "lt":
    case "lte": {
      const o = order(actual, expected);
      if (o === null) return false;
      return op === "gt" ? o > 0 : op === "gte" ? o >= 0 : op === "lt" ? o < 0 : o <= 0;
    }
    case "in":
      if (Array.isArray(expected)) return expected.some((v) => jsonEqual(actual, v));
      return typeof expected === "string" && typeof actual === "string" && expected.includes(actual);
    case "contains":
      if (Array.isArray(actual)) return actual.some((v) => jsonEqual(v, expected));
      return typeof actual === "string" && typeof expected === "string" && actual.includes(expected);
    case "exists":
      return actual !== undefined && actual !== null;
    case "truthy":
      return isTruthy(actual);
    case "falsy":
      return !isTruthy(actual);
  }
}

/**
 * True when `cond` holds for `data`. `value` may be a template (a lone "{{ input.limit }}"
 * keeps its type). `all` needs every condition, `any` at least one, `not` inverts.
 * Throws TemplateError for a malformed path or template.
 */
export function evaluateCondition(cond: Condition, data: unknown): boolean {
  if ("all" in cond) return cond.all.every((c) => evaluateCondition(c, data));
  if ("any" in cond) return cond.any.some((c) => evaluateCondition(c, data));
  if ("not" in cond) return !evaluateCondition(cond.not, data);
  return compare(cond.op, readPath(data, cond.path), renderTemplate(cond.value, data));
}
