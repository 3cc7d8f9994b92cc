import { describe, expect, it } from "vitest";
import { z } from "zod";
import { sampleFromSchema } from "../../sim/schema-sample.ts";
import { applyStop, countTokens, sliceChunks, splitChunks, truncateToTokens } from "../../sim/text.ts";
import { planToolCalls, type ToolSpec } from "../../sim/tools.ts";

describe("schema samples", () => {
  it("satisfies nested objects, refs, unions, bounds and formats", () => {
    const address = z.object({ street: z.string(), zip: z.string().length(5) });
    const schema = z.object({
      id: z.uuid(),
      when: z.iso.datetime(),
      count: z.number().int().min(3).max(9),
      ratio: z.number().gt(0.5).lte(2),
      kind: z.union([z.literal("new"), z.literal("used")]),
      maybe: z.string().nullable(),
      home: address,
      others: z.array(address).min(2),
      flags: z.object({ a: z.boolean() }).and(z.object({ b: z.number() })),
    });
    const json = z.toJSONSchema(schema, { reused: "ref" });
    expect(schema.safeParse(sampleFromSchema(json)).success).toBe(true);
  });

  it("follows $ref into $defs and fills only required properties", () => {
    const schema = {
      type: "object",
      properties: { car: { $ref: "#/$defs/car" }, note: { type: "string" } },
      required: ["car"],
      $defs: { car: { type: "object", properties: { year: { type: ["integer", "null"], minimum: 1990 } }, required: ["year"] } },
    };
    expect(sampleFromSchema(schema)).toEqual({ car: { year: 1990 } });
    expect(sampleFromSchema(undefined)).toEqual({});
    expect(sampleFromSchema({ type: "string", enum: ["b", "a"] })).toBe("b");
  });
});

describe("tool decision", () => {
  const tools: ToolSpec[] = [
    { name: "lookup_vin", description: "Decode a VIN", parameters: {} },
    { name: "forecast", description: "Weather forecast", parameters: {} },
  ];
  const names = (text: string, extra: Partial<Parameters<typeof planToolCalls>[0]> = {}) =>
    planToolCalls({ tools, choice: { mode: "auto" }, parallel: true, lastUserText: text, endsWithToolResult: false, ...extra }).map((c) => c.name);

  it("picks tools by name, by spaced name or by the documented keywords", () => {
    expect(names("please lookup vin 123")).toEqual(["lookup_vin"]);
    expect(names("will it rain? weather please")).toEqual(["forecast"]);
    expect(names("search for it")).toEqual(["lookup_vin"]);
    expect(names("hello")).toEqual([]);
    expect(names("forecast and lookup_vin")).toEqual(["lookup_vin", "forecast"]);
    expect(names("forecast and lookup_vin", { parallel: false })).toEqual(["lookup_vin"]);
  });

  it("answers tool results in text unless a tool is forced, and never calls with none", () => {
    expect(names("forecast", { endsWithToolResult: true })).toEqual([]);
    expect(names("hello", { endsWithToolResult: true, choice: { mode: "named", name: "forecast" } })).toEqual(["forecast"]);
    expect(names("forecast", { choice: { mode: "none" } })).toEqual([]);
    expect(names("hello", { choice: { mode: "required" } })).toEqual(["lookup_vin"]);
    expect(names("hello", { choice: { mode: "named", name: "missing" } })).toEqual([]);
  });
});

describe("text", () => {
  it("counts, truncates and stops consistently", () => {
    expect(countTokens("")).toBe(0);
    expect(countTokens("abcde")).toBe(2);
    const cut = truncateToTokens("a".repeat(40), 3);
    expect(cut).toEqual({ text: "a".repeat(12), truncated: true });
    expect(countTokens(cut.text)).toBe(3);
    expect(applyStop("one two three", ["three", "two"])).toEqual({ text: "one ", stop: "two" });
    expect(applyStop("one", ["", "x"])).toEqual({ text: "one", stop: null });
  });

  it("splits into pieces that join back to the original", () => {
    const text = "Thanks for reaching out about your lease, we can help today.";
    expect(splitChunks(text).join("")).toBe(text);
    expect(splitChunks(text).length).toBeGreaterThan(2);
    expect(sliceChunks('{"a":"bcdefghijklmnop"}').join("")).toBe('{"a":"bcdefghijklmnop"}');
  });
});
