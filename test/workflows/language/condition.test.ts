import { describe, expect, it } from "vitest";
import { ConditionSchema, type Condition } from "../../../workers/workflows/definition/condition-schema";
import { evaluateCondition, isTruthy } from "../../../workers/workflows/condition";
import { TemplateError } from "../../../workers/workflows/template";

const data = {
  input: { threshold: 70, source: "adf", tags: ["vip", "spanish"], zip: "78701", count: 10, none: null, empty: "", list: [], obj: {}, zero: 0 },
  steps: {
    score: { score: 82, grade: "hot" },
    intent: { intent: "booking", confidence: 0.8 },
    lead: { vehicle: { make: "Toyota", model: "RAV4", year: 2024 }, comments: "Is the RAV4 available this weekend?" },
  },
};

const check = (cond: Condition) => evaluateCondition(ConditionSchema.parse(cond), data);

describe("comparisons", () => {
  it("eq / ne: numbers numerically, strings exactly, objects and arrays deeply", () => {
    expect(check({ path: "steps.score.score", op: "eq", value: 82 })).toBe(true);
    expect(check({ path: "steps.score.score", op: "eq", value: 82.0 })).toBe(true);
    expect(check({ path: "steps.score.grade", op: "eq", value: "Hot" })).toBe(false);
    expect(check({ path: "steps.lead.vehicle", op: "eq", value: { year: 2024, model: "RAV4", make: "Toyota" } })).toBe(true);
    expect(check({ path: "steps.lead.vehicle", op: "eq", value: { make: "Toyota", model: "RAV4" } })).toBe(false);
    expect(check({ path: "input.tags", op: "eq", value: ["vip", "spanish"] })).toBe(true);
    expect(check({ path: "input.tags", op: "eq", value: ["spanish", "vip"] })).toBe(false);
    expect(check({ path: "steps.score.grade", op: "ne", value: "cold" })).toBe(true);
  });

  it("never equates or orders mixed types", () => {
    expect(check({ path: "input.zip", op: "eq", value: 78701 })).toBe(false);
    expect(check({ path: "input.zip", op: "ne", value: 78701 })).toBe(true);
    expect(check({ path: "input.count", op: "eq", value: "10" })).toBe(false);
    expect(check({ path: "input.count", op: "gt", value: "9" })).toBe(false);
    expect(check({ path: "input.count", op: "lt", value: "9" })).toBe(false);
    expect(check({ path: "input.zero", op: "eq", value: false })).toBe(false);
    expect(check({ path: "input.empty", op: "eq", value: 0 })).toBe(false);
    expect(check({ path: "input.none", op: "gte", value: 0 })).toBe(false);
  });

  it("treats a missing value as null", () => {
    expect(check({ path: "input.missing", op: "eq", value: null })).toBe(true);
    expect(check({ path: "input.none", op: "eq", value: null })).toBe(true);
    expect(check({ path: "input.missing", op: "eq" })).toBe(true);
    expect(check({ path: "input.missing", op: "ne", value: "x" })).toBe(true);
    expect(check({ path: "input.missing", op: "gt", value: 1 })).toBe(false);
  });

  it("gt / gte / lt / lte on numbers and on strings by code point", () => {
    expect(check({ path: "steps.score.score", op: "gte", value: 82 })).toBe(true);
    expect(check({ path: "steps.score.score", op: "gt", value: 82 })).toBe(false);
    expect(check({ path: "steps.score.score", op: "lt", value: 100 })).toBe(true);
    expect(check({ path: "steps.score.score", op: "lte", value: 81.9 })).toBe(false);
    // "10" < "9" as text: strings are not numbers.
    expect(evaluateCondition({ path: "input.a", op: "lt", value: "9" }, { input: { a: "10" } })).toBe(true);
    expect(evaluateCondition({ path: "input.d", op: "gt", value: "2025-01-31" }, { input: { d: "2025-02-01" } })).toBe(true);
    expect(evaluateCondition({ path: "input.a", op: "lt", value: "B" }, { input: { a: "a" } })).toBe(false);
    // An emoji (one code point past U+FFFF) sorts after every character of the basic plane.
    expect(evaluateCondition({ path: "input.a", op: "gt", value: "\uff5a" }, { input: { a: "🚗" } })).toBe(true);
  });

  it("in: membership of a list, or a substring of a text", () => {
    expect(check({ path: "steps.intent.intent", op: "in", value: ["booking", "sales"] })).toBe(true);
    expect(check({ path: "steps.intent.intent", op: "in", value: ["faq"] })).toBe(false);
    expect(check({ path: "input.count", op: "in", value: ["10"] })).toBe(false);
    expect(check({ path: "input.source", op: "in", value: "adf,web" })).toBe(true);
    expect(check({ path: "input.count", op: "in", value: "10" })).toBe(false);
    expect(check({ path: "input.source", op: "in", value: 5 })).toBe(false);
  });

  it("contains: a substring of text, or an element of a list", () => {
    expect(check({ path: "steps.lead.comments", op: "contains", value: "RAV4" })).toBe(true);
    expect(check({ path: "steps.lead.comments", op: "contains", value: "rav4" })).toBe(false);
    expect(check({ path: "input.tags", op: "contains", value: "vip" })).toBe(true);
    expect(check({ path: "input.tags", op: "contains", value: "vi" })).toBe(false);
    expect(check({ path: "input.count", op: "contains", value: 1 })).toBe(false);
    expect(check({ path: "input.missing", op: "contains", value: "x" })).toBe(false);
  });

  it("exists, truthy and falsy", () => {
    expect(check({ path: "steps.score", op: "exists" })).toBe(true);
    expect(check({ path: "input.zero", op: "exists" })).toBe(true);
    expect(check({ path: "input.none", op: "exists" })).toBe(false);
    expect(check({ path: "steps.nope.score", op: "exists" })).toBe(false);
    for (const path of ["input.zero", "input.empty", "input.none", "input.missing", "input.list", "input.obj"]) {
      expect(check({ path, op: "falsy" }), path).toBe(true);
      expect(check({ path, op: "truthy" }), path).toBe(false);
    }
    for (const v of ["0", "false", " ", -1, true, ["x"], { a: 1 }]) expect(isTruthy(v), JSON.stringify(v)).toBe(true);
  });
});

describe("templated values", () => {
  it("renders the value against the data first, keeping a lone template's type", () => {
    expect(check({ path: "steps.score.score", op: "gte", value: "{{ input.threshold }}" })).toBe(true);
    expect(evaluateCondition({ path: "steps.score.score", op: "gte", value: "{{ input.threshold }}" }, { ...data, input: { threshold: 90 } })).toBe(false);
    expect(check({ path: "steps.lead.comments", op: "contains", value: "{{ steps.lead.vehicle.model }}" })).toBe(true);
    expect(check({ path: "input.tags", op: "contains", value: "{{ input.missing }}" })).toBe(false);
  });

  it("throws TemplateError for a malformed path or value template", () => {
    expect(() => check({ path: "steps..score", op: "exists" })).toThrow(TemplateError);
    expect(() => check({ path: "steps.score", op: "eq", value: "{{ input.x | nope }}" })).toThrow(TemplateError);
  });
});

describe("all / any / not", () => {
  const hot = { path: "steps.score.grade", op: "eq", value: "hot" } as const;
  const faq = { path: "steps.intent.intent", op: "eq", value: "faq" } as const;

  it("combines conditions, nested", () => {
    expect(check({ all: [hot, { not: faq }] })).toBe(true);
    expect(check({ all: [hot, faq] })).toBe(false);
    expect(check({ any: [faq, hot] })).toBe(true);
    expect(check({ any: [faq, { not: hot }] })).toBe(false);
    expect(check({ not: { any: [faq, { all: [hot, { path: "input.tags", op: "contains", value: "vip" }] }] } })).toBe(false);
  });

  it("stops at the first deciding condition, so later broken templates are not reached", () => {
    expect(evaluateCondition({ any: [hot, { path: "x", op: "eq", value: "{{ bad | nope }}" }] }, data)).toBe(true);
  });

  it("the schema refuses empty lists and unknown operators", () => {
    expect(ConditionSchema.safeParse({ all: [] }).success).toBe(false);
    expect(ConditionSchema.safeParse({ path: "x", op: "like", value: 1 }).success).toBe(false);
  });
});
