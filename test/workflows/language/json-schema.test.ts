import { describe, expect, it } from "vitest";
import { checkJsonSchema, validateJsonSchema } from "../../../workers/lib/json-schema";

const paths = (schema: unknown, value: unknown) => validateJsonSchema(schema, value).map((p) => p.path);
const messages = (schema: unknown, value: unknown) => validateJsonSchema(schema, value).map((p) => `${p.path}: ${p.message}`);

const LEAD_INPUT = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  title: "Lead",
  type: "object",
  required: ["leadId", "customer"],
  additionalProperties: false,
  properties: {
    leadId: { type: "string", pattern: "^lead_", description: "Our lead id" },
    customer: {
      type: "object",
      required: ["name"],
      properties: { name: { type: "string", minLength: 1, maxLength: 100 }, email: { type: "string", format: "email" } },
    },
    vehicles: { type: "array", minItems: 1, maxItems: 3, items: { type: "object", properties: { year: { type: "integer", minimum: 1980, maximum: 2030 } } } },
    channel: { enum: ["email", "sms"] },
  },
};

describe("validateJsonSchema", () => {
  it("accepts a conforming value", () => {
    const lead = { leadId: "lead_1", customer: { name: "Dana", email: "dana@example.com" }, vehicles: [{ year: 2024 }], channel: "sms" };
    expect(validateJsonSchema(LEAD_INPUT, lead)).toEqual([]);
  });

  it("reports every problem with a dotted path", () => {
    const lead = { leadId: "L1", customer: { email: "not-an-email" }, vehicles: [{ year: 1970 }, { year: 2024.5 }], channel: "fax", extra: 1 };
    expect(messages(LEAD_INPUT, lead)).toEqual([
      "leadId: must match the pattern ^lead_",
      "customer.name: is required",
      "customer.email: must be a valid email",
      "vehicles.0.year: must be 1980 or more",
      "vehicles.1.year: must be integer, not number",
      'channel: must be one of ["email","sms"]',
      "extra: is not an allowed property",
    ]);
    expect(messages(LEAD_INPUT, [])).toEqual(["(root): must be object, not array"]);
  });

  it("a property holding undefined counts as absent, as it would in JSON", () => {
    const schema = { properties: { leadId: { type: "string" }, rooftopId: { type: ["string", "null"] } }, required: ["leadId"], additionalProperties: false };
    expect(messages(schema, { leadId: "lead_1", rooftopId: undefined })).toEqual([]);
    expect(messages(schema, { leadId: undefined, other: undefined })).toEqual(["leadId: is required"]);
  });

  it("type: names, lists of names, integer vs number, null", () => {
    expect(paths({ type: "integer" }, 3)).toEqual([]);
    expect(paths({ type: "integer" }, 3.5)).toEqual(["(root)"]);
    expect(paths({ type: "number" }, 3)).toEqual([]);
    expect(paths({ type: ["string", "null"] }, null)).toEqual([]);
    expect(messages({ type: ["string", "null"] }, 1)).toEqual(["(root): must be string or null, not number"]);
    expect(paths({ type: "boolean" }, "true")).toEqual(["(root)"]);
    expect(paths({ type: "object" }, null)).toEqual(["(root)"]);
  });

  it("string keywords: minLength / maxLength count characters, not UTF-16 units; pattern searches", () => {
    expect(paths({ minLength: 2 }, "🚗")).toEqual(["(root)"]);
    expect(paths({ maxLength: 2 }, "🚗🚗")).toEqual([]);
    expect(paths({ pattern: "\\d{5}" }, "zip 78701")).toEqual([]);
    expect(paths({ pattern: "^\\d{5}$" }, "zip 78701")).toEqual(["(root)"]);
    expect(paths({ minLength: 3, type: "string" }, 12)).toEqual(["(root)"]);
    expect(paths({ minLength: 3 }, 12)).toEqual([]);
  });

  it("formats: email, date, date-time, uri", () => {
    const ok = (format: string, v: string) => expect(paths({ format }, v), `${format} ${v}`).toEqual([]);
    const bad = (format: string, v: string) => expect(paths({ format }, v), `${format} ${v}`).toEqual(["(root)"]);
    ok("email", "dana.reyes+leads@sunrise-toyota.example");
    for (const v of ["dana", "dana@", "@example.com", "dana@example", "dana@exa mple.com", "da na@example.com"]) bad("email", v);
    ok("date", "2024-02-29");
    for (const v of ["2023-02-29", "2024-13-01", "2024-1-1", "2024-01-01T00:00:00Z"]) bad("date", v);
    ok("date-time", "2025-03-14T15:30:00Z");
    ok("date-time", "2025-03-14T15:30:00.123-05:00");
    for (const v of ["2025-03-14 15:30:00Z", "2025-03-14T25:00:00Z", "2025-03-14T15:30:00", "2025-02-30T00:00:00Z"]) bad("date-time", v);
    ok("uri", "https://dealer.example/leads?id=1");
    ok("uri", "mailto:dana@example.com");
    for (const v of ["dealer.example/leads", "https://exa mple.com", "/relative/path"]) bad("uri", v);
  });

  it("numbers: minimum / maximum are inclusive", () => {
    expect(paths({ minimum: 0, maximum: 100 }, 0)).toEqual([]);
    expect(paths({ minimum: 0, maximum: 100 }, 100)).toEqual([]);
    expect(messages({ minimum: 0, maximum: 100 }, 101)).toEqual(["(root): must be 100 or less"]);
  });

  it("arrays: items, minItems, maxItems", () => {
    expect(messages({ type: "array", items: { type: "string" }, maxItems: 2 }, ["a", 1, "c"])).toEqual(["(root): must have at most 2 items", "1: must be string, not number"]);
    expect(messages({ minItems: 1 }, [])).toEqual(["(root): must have at least 1 items"]);
  });

  it("enum and const compare deeply and strictly", () => {
    expect(paths({ enum: [1, "1", { a: [1] }] }, { a: [1] })).toEqual([]);
    expect(paths({ enum: [1, 2] }, "1")).toEqual(["(root)"]);
    expect(paths({ const: { a: 1 } }, { a: 1 })).toEqual([]);
    expect(messages({ const: "adf" }, "web")).toEqual(['(root): must be "adf"']);
    expect(paths({ const: null }, null)).toEqual([]);
  });

  it("anyOf needs one match, oneOf exactly one", () => {
    const contact = { anyOf: [{ required: ["email"] }, { required: ["phone"] }] };
    expect(paths(contact, { email: "a@b.co" })).toEqual([]);
    expect(messages(contact, { name: "x" })).toEqual(["(root): must match at least one of the schemas in anyOf"]);
    const one = { oneOf: [{ type: "integer" }, { type: "number", minimum: 1 }] };
    expect(paths(one, 0.5)).toEqual(["(root)"]);
    expect(paths(one, 1.5)).toEqual([]);
    expect(messages(one, 3)).toEqual(["(root): must match exactly one of the schemas in oneOf (matched 2)"]);
  });

  it("boolean schemas and additionalProperties: true", () => {
    expect(paths({ properties: { a: true, b: false } }, { a: 1 })).toEqual([]);
    expect(messages({ properties: { b: false } }, { b: 1 })).toEqual(["b: is not allowed"]);
    expect(paths({ properties: { a: {} }, additionalProperties: true }, { z: 1 })).toEqual([]);
  });
});

describe("checkJsonSchema", () => {
  it("accepts the supported subset with annotations", () => {
    expect(checkJsonSchema(LEAD_INPUT)).toEqual([]);
    expect(checkJsonSchema({ anyOf: [{ type: "string", format: "uri" }, { type: "null" }], default: null, examples: [null] })).toEqual([]);
    expect(checkJsonSchema(true)).toEqual([]);
  });

  it("refuses unsupported keywords, naming where and suggesting what to use", () => {
    expect(checkJsonSchema({ properties: { a: { $ref: "#/$defs/a" } }, $defs: {} })).toEqual([
      { path: "properties.a.$ref", message: 'unsupported keyword "$ref": references are not supported; write the sub-schema inline' },
      { path: "$defs", message: 'unsupported keyword "$defs": definitions are not supported; write the sub-schema inline' },
    ]);
    expect(checkJsonSchema({ allOf: [{}], exclusiveMinimum: 1, uniqueItems: true }).map((p) => p.path)).toEqual(["allOf", "exclusiveMinimum", "uniqueItems"]);
    expect(checkJsonSchema({ type: "string", nullable: true })[0]?.message).toBe('unsupported keyword "nullable"');
    expect(checkJsonSchema({ constructor: 1, toString: 2 }).map((p) => p.message)).toEqual(['unsupported keyword "constructor"', 'unsupported keyword "toString"']);
  });

  it.each([
    [{ type: "text" }, "type", "must be one of string, number, integer, boolean, object, array, null, or a list of them"],
    [{ type: [] }, "type", "must be one of string, number, integer, boolean, object, array, null, or a list of them"],
    [{ type: ["string", "string"] }, "type", "lists a type twice"],
    [{ properties: [] }, "properties", "must be an object of schemas"],
    [{ properties: { a: "string" } }, "properties.a", "must be a schema object (or true / false)"],
    [{ required: "name" }, "required", "must be a list of property names"],
    [{ required: ["a", "a"] }, "required", "lists a property twice"],
    [{ additionalProperties: { type: "string" } }, "additionalProperties", "only true or false is supported"],
    [{ items: [{ type: "string" }] }, "items", "tuple items are not supported; give one schema"],
    [{ items: { type: "nope" } }, "items.type", "must be one of string, number, integer, boolean, object, array, null, or a list of them"],
    [{ enum: [] }, "enum", "must be a non-empty list"],
    [{ pattern: "([a-z" }, "pattern", "must be a valid regular expression (at most 1,000 characters)"],
    [{ minimum: "5" }, "minimum", "must be a number"],
    [{ minLength: -1 }, "minLength", "must be a whole number, 0 or more"],
    [{ maxItems: 1.5 }, "maxItems", "must be a whole number, 0 or more"],
    [{ minLength: 5, maxLength: 2 }, "minLength", "is greater than maxLength"],
    [{ minimum: 10, maximum: 1 }, "minimum", "is greater than maximum"],
    [{ format: "phone" }, "format", "must be one of email, date, date-time, uri"],
    [{ oneOf: [] }, "oneOf", "must be a non-empty list of schemas"],
    [{ anyOf: [{ type: "string" }, 5] }, "anyOf.1", "must be a schema object (or true / false)"],
    ["string", "(root)", "must be a schema object (or true / false)"],
    [[{ type: "string" }], "(root)", "must be a schema object (or true / false)"],
  ])("%j → %s: %s", (schema, path, message) => {
    expect(checkJsonSchema(schema)).toEqual([{ path, message }]);
  });

  it("refuses schemas nested absurdly deep", () => {
    let schema: Record<string, unknown> = { type: "string" };
    for (let i = 0; i < 40; i++) schema = { items: schema };
    expect(checkJsonSchema(schema).map((p) => p.message)).toEqual(["nests deeper than 32 levels"]);
  });
});
