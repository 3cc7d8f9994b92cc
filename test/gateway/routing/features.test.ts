import { describe, expect, it } from "vitest";
import { featuresOf, metadataFromHeaders } from "../../../workers/gateway/routing";

const ctx = { tags: ["sales"], metadata: { task: "lead-reply" }, now: 1_700_000_000_000, timezone: "America/Chicago" };

describe("featuresOf", () => {
  it("reads a Chat Completions body: text size, tools, JSON mode, images, limits, stream", () => {
    const body = {
      model: "gpt-4o",
      stream: true,
      max_completion_tokens: 300,
      response_format: { type: "json_object" },
      tools: [{ type: "function", function: { name: "lookup_vin", parameters: { type: "object" } } }],
      messages: [
        { role: "system", content: "x".repeat(400) },
        { role: "user", content: [{ type: "text", text: "y".repeat(400) }, { type: "image_url", image_url: { url: `data:image/png;base64,${"A".repeat(100_000)}` } }] },
      ],
    };
    const f = featuresOf("openai-chat", body, ctx);
    const toolChars = JSON.stringify(body.tools).length;
    // 800 characters of text, the tools' JSON, and one image at a flat 800 tokens; the base64 payload is not text.
    expect(f.estimatedPromptTokens).toBe(Math.ceil((800 + toolChars) / 4) + 800);
    expect(f.needs).toEqual({ tools: true, json: true, vision: true });
    expect(f).toMatchObject({ model: "gpt-4o", maxOutputTokens: 300, stream: true, tags: ["sales"], metadata: { task: "lead-reply" }, timezone: "America/Chicago" });
  });

  it("reads an Anthropic Messages body: system blocks, tool results and tool inputs count", () => {
    const body = {
      model: "claude-3-5-haiku-latest",
      max_tokens: 1024,
      system: [{ type: "text", text: "s".repeat(40) }],
      messages: [
        { role: "user", content: "u".repeat(40) },
        { role: "assistant", content: [{ type: "tool_use", id: "toolu_1", name: "lookup", input: { vin: "1HGCM82633A004352" } }] },
        { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_1", content: "r".repeat(40) }] },
      ],
    };
    const f = featuresOf("anthropic-messages", body, ctx);
    const inputChars = JSON.stringify({ vin: "1HGCM82633A004352" }).length;
    expect(f.estimatedPromptTokens).toBe(Math.ceil((120 + "lookup".length + inputChars) / 4));
    expect(f.needs).toEqual({ tools: false, json: false, vision: false });
    expect(f.maxOutputTokens).toBe(1024);
    expect(f.stream).toBe(false);
  });

  it("reads a Responses body: instructions, input items, input_image, text.format", () => {
    const body = {
      model: "gpt-4.1",
      instructions: "i".repeat(20),
      input: [{ role: "user", content: [{ type: "input_text", text: "t".repeat(20) }, { type: "input_image", image_url: "https://img.example/car.jpg" }] }],
      max_output_tokens: 64,
      text: { format: { type: "json_schema", name: "lead", schema: {} } },
    };
    const f = featuresOf("openai-responses", body, ctx);
    expect(f.estimatedPromptTokens).toBe(Math.ceil(40 / 4) + 800);
    expect(f.needs).toEqual({ tools: false, json: true, vision: true });
    expect(f.maxOutputTokens).toBe(64);
    expect(featuresOf("openai-responses", { model: "gpt-4.1", input: "z".repeat(9) }, ctx).estimatedPromptTokens).toBe(3);
  });

  it("treats a missing limit as null and plain text as not needing anything", () => {
    const f = featuresOf("openai-chat", { model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }], response_format: { type: "text" } }, ctx);
    expect(f.maxOutputTokens).toBeNull();
    expect(f.needs).toEqual({ tools: false, json: false, vision: false });
    expect(f.estimatedPromptTokens).toBe(1);
  });
});

describe("metadataFromHeaders", () => {
  it("keeps x-auterity-* headers, prefix stripped, keys lower-case, values trimmed", () => {
    const h = new Headers({ "X-Auterity-Task": " lead-reply ", "x-auterity-Rooftop": "north", authorization: "Bearer x", "x-auterity-": "empty name" });
    expect(metadataFromHeaders(h)).toEqual({ task: "lead-reply", rooftop: "north" });
  });

  it("bounds the number of entries and the size of values", () => {
    const h = new Headers();
    for (let i = 0; i < 40; i++) h.set(`x-auterity-k${String(i).padStart(2, "0")}`, "v".repeat(1000));
    const m = metadataFromHeaders(h);
    expect(Object.keys(m)).toHaveLength(32);
    expect(Object.values(m).every((v) => v.length === 256)).toBe(true);
  });
});
