import { describe, expect, it } from "vitest";
import { AppError } from "../../../workers/errors";
import { translateRequest, type WireFormat } from "../../../workers/gateway/translate";

function refusal(from: WireFormat, to: WireFormat, body: Record<string, unknown>): AppError {
  try {
    translateRequest(from, to, body);
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error("expected the request to be refused");
}

describe("anthropic -> chat requests", () => {
  const toChat = (body: Record<string, unknown>) => translateRequest("anthropic-messages", "openai-chat", body);

  it("puts system first and maps sampling, stop, user and max_tokens", () => {
    const out = toChat({
      model: "gpt-4o",
      max_tokens: 512,
      system: [{ type: "text", text: "You are a service advisor." }],
      messages: [{ role: "user", content: "Bonjour" }],
      stop_sequences: ["END"],
      temperature: 0.3,
      top_p: 0.8,
      top_k: 5,
      metadata: { user_id: "dealer-42" },
    });
    expect(out).toEqual({
      model: "gpt-4o",
      max_completion_tokens: 512,
      messages: [
        { role: "system", content: "You are a service advisor." },
        { role: "user", content: "Bonjour" },
      ],
      stop: ["END"],
      temperature: 0.3,
      top_p: 0.8,
      user: "dealer-42",
    });
  });

  it("turns tool_use into tool_calls and tool_result blocks into tool messages before the text", () => {
    const out = toChat({
      model: "m",
      max_tokens: 100,
      messages: [
        { role: "user", content: "Weather?" },
        {
          role: "assistant",
          content: [
            { type: "thinking", thinking: "hmm", signature: "sig" },
            { type: "text", text: "Checking." },
            { type: "tool_use", id: "toolu_1", name: "get_weather", input: { location: "Paris" } },
            { type: "tool_use", id: "toolu_2", name: "get_weather", input: { location: "Lyon" } },
          ],
        },
        {
          role: "user",
          content: [
            { type: "tool_result", tool_use_id: "toolu_1", content: "18C" },
            { type: "tool_result", tool_use_id: "toolu_2", content: [{ type: "text", text: "no data" }], is_error: true },
            { type: "text", text: "And tomorrow?" },
          ],
        },
      ],
    });
    expect(out.messages).toEqual([
      { role: "user", content: "Weather?" },
      {
        role: "assistant",
        content: "Checking.",
        tool_calls: [
          { id: "toolu_1", type: "function", function: { name: "get_weather", arguments: '{"location":"Paris"}' } },
          { id: "toolu_2", type: "function", function: { name: "get_weather", arguments: '{"location":"Lyon"}' } },
        ],
      },
      { role: "tool", tool_call_id: "toolu_1", content: "18C" },
      { role: "tool", tool_call_id: "toolu_2", content: "Error: no data" },
      { role: "user", content: "And tomorrow?" },
    ]);
  });

  it("turns image blocks into image_url parts", () => {
    const out = toChat({
      model: "m",
      max_tokens: 100,
      messages: [
        {
          role: "user",
          content: [
            { type: "image", source: { type: "base64", media_type: "image/jpeg", data: "/9j/4AAQ" } },
            { type: "image", source: { type: "url", url: "https://cdn.example.com/car.jpg" } },
            { type: "text", text: "Which model?" },
          ],
        },
      ],
    });
    expect(out.messages).toEqual([
      {
        role: "user",
        content: [
          { type: "image_url", image_url: { url: "data:image/jpeg;base64,/9j/4AAQ" } },
          { type: "image_url", image_url: { url: "https://cdn.example.com/car.jpg" } },
          { type: "text", text: "Which model?" },
        ],
      },
    ]);
  });

  it("translates tools and tool_choice, and disable_parallel_tool_use", () => {
    const base = {
      model: "m",
      max_tokens: 100,
      messages: [{ role: "user", content: "hi" }],
      tools: [{ name: "get_weather", description: "Weather", input_schema: { type: "object", properties: { location: { type: "string" } } } }],
    };
    const out = toChat({ ...base, tool_choice: { type: "any", disable_parallel_tool_use: true } });
    expect(out.tools).toEqual([
      { type: "function", function: { name: "get_weather", description: "Weather", parameters: { type: "object", properties: { location: { type: "string" } } } } },
    ]);
    expect(out.tool_choice).toBe("required");
    expect(out.parallel_tool_calls).toBe(false);
    expect(toChat({ ...base, tool_choice: { type: "auto" } }).tool_choice).toBe("auto");
    expect(toChat({ ...base, tool_choice: { type: "none" } }).tool_choice).toBe("none");
    expect(toChat({ ...base, tool_choice: { type: "tool", name: "get_weather" } }).tool_choice).toEqual({ type: "function", function: { name: "get_weather" } });
  });

  it("always asks for usage when streaming", () => {
    expect(toChat({ model: "m", max_tokens: 10, stream: true, messages: [{ role: "user", content: "hi" }] })).toMatchObject({
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it("refuses server tools, documents and a missing max_tokens", () => {
    const messages = [{ role: "user", content: "hi" }];
    expect(refusal("anthropic-messages", "openai-chat", { model: "m", max_tokens: 10, messages, tools: [{ type: "web_search_20250305", name: "web_search" }] }).message).toMatch(/web_search/);
    const doc = [{ role: "user", content: [{ type: "document", source: { type: "base64", media_type: "application/pdf", data: "x" } }] }];
    expect(refusal("anthropic-messages", "openai-chat", { model: "m", max_tokens: 10, messages: doc }).message).toMatch(/document/);
    expect(refusal("anthropic-messages", "openai-chat", { model: "m", messages }).code).toBe("validation_failed");
  });
});

describe("responses -> chat requests", () => {
  const toChat = (body: Record<string, unknown>) => translateRequest("openai-responses", "openai-chat", body);

  it("turns a string input and instructions into system + user", () => {
    expect(toChat({ model: "gpt-4o", instructions: "Be brief.", input: "Bonjour", max_output_tokens: 200, temperature: 0.2, top_p: 0.5, user: "u1" })).toEqual({
      model: "gpt-4o",
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "Bonjour" },
      ],
      max_completion_tokens: 200,
      temperature: 0.2,
      top_p: 0.5,
      user: "u1",
    });
  });

  it("turns message, function_call and function_call_output items into a chat conversation", () => {
    const out = toChat({
      model: "m",
      input: [
        { role: "developer", content: "Answer in French." },
        { type: "message", role: "user", content: [{ type: "input_text", text: "Weather?" }, { type: "input_image", image_url: "https://cdn.example.com/a.png", detail: "auto" }] },
        { type: "message", role: "assistant", content: [{ type: "output_text", text: "Checking.", annotations: [] }] },
        { type: "function_call", call_id: "call_1", name: "get_weather", arguments: '{"location":"Paris"}' },
        { type: "function_call", call_id: "call_2", name: "get_weather", arguments: '{"location":"Lyon"}' },
        { type: "function_call_output", call_id: "call_1", output: "18C" },
        { type: "function_call_output", call_id: "call_2", output: [{ type: "input_text", text: "21C" }] },
        { type: "reasoning", id: "rs_1", summary: [] },
      ],
    });
    expect(out.messages).toEqual([
      { role: "system", content: "Answer in French." },
      {
        role: "user",
        content: [
          { type: "text", text: "Weather?" },
          { type: "image_url", image_url: { url: "https://cdn.example.com/a.png" } },
        ],
      },
      {
        role: "assistant",
        content: "Checking.",
        tool_calls: [
          { id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"location":"Paris"}' } },
          { id: "call_2", type: "function", function: { name: "get_weather", arguments: '{"location":"Lyon"}' } },
        ],
      },
      { role: "tool", tool_call_id: "call_1", content: "18C" },
      { role: "tool", tool_call_id: "call_2", content: "21C" },
    ]);
  });

  it("translates flat function tools, tool_choice and text.format", () => {
    const out = toChat({
      model: "m",
      input: "hi",
      tools: [{ type: "function", name: "get_weather", description: "Weather", parameters: { type: "object", properties: {} }, strict: true }],
      tool_choice: { type: "function", name: "get_weather" },
      parallel_tool_calls: false,
      text: { format: { type: "json_schema", name: "lead", schema: { type: "object" }, strict: true } },
      stream: true,
    });
    expect(out).toMatchObject({
      tools: [{ type: "function", function: { name: "get_weather", description: "Weather", parameters: { type: "object", properties: {} }, strict: true } }],
      tool_choice: { type: "function", function: { name: "get_weather" } },
      parallel_tool_calls: false,
      response_format: { type: "json_schema", json_schema: { name: "lead", schema: { type: "object" }, strict: true } },
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(toChat({ model: "m", input: "hi", text: { format: { type: "json_object" } } }).response_format).toEqual({ type: "json_object" });
    expect(toChat({ model: "m", input: "hi", tool_choice: "required" }).tool_choice).toBe("required");
  });

  it("goes through chat to Anthropic, json_schema included", () => {
    const out = translateRequest("openai-responses", "anthropic-messages", {
      model: "claude-sonnet-4-5",
      instructions: "Extract.",
      input: "Zoé wants a test drive",
      text: { format: { type: "json_schema", name: "lead", schema: { type: "object", properties: { name: { type: "string" } } } } },
    });
    expect(out).toMatchObject({
      system: "Extract.",
      max_tokens: 4096,
      messages: [{ role: "user", content: [{ type: "text", text: "Zoé wants a test drive" }] }],
      tools: [{ name: "lead", input_schema: { type: "object", properties: { name: { type: "string" } } } }],
      tool_choice: { type: "tool", name: "lead" },
    });
  });

  it("refuses stored-state and hosted features", () => {
    expect(refusal("openai-responses", "openai-chat", { model: "m", input: "hi", previous_response_id: "resp_1" }).message).toMatch(/previous_response_id/);
    expect(refusal("openai-responses", "openai-chat", { model: "m", input: "hi", tools: [{ type: "web_search" }] }).message).toMatch(/web_search/);
    expect(refusal("openai-responses", "openai-chat", { model: "m", input: [{ type: "item_reference", id: "x" }] }).message).toMatch(/item_reference/);
    expect(refusal("openai-responses", "openai-chat", { model: "m", input: [{ role: "user", content: [{ type: "input_file", file_id: "f" }] }] }).message).toMatch(/input_file/);
    expect(refusal("openai-responses", "openai-chat", { model: "m" }).code).toBe("validation_failed");
  });
});

describe("same-format and impossible pairs", () => {
  it("passes a chat body through but always asks for usage on a stream", () => {
    const body = { model: "m", messages: [{ role: "user", content: "hi" }] };
    expect(translateRequest("openai-chat", "openai-chat", body)).toBe(body);
    expect(translateRequest("openai-chat", "openai-chat", { ...body, stream: true, stream_options: { include_usage: false } })).toEqual({
      ...body,
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it("passes anthropic and responses bodies through untouched", () => {
    const a = { model: "m", max_tokens: 5, messages: [{ role: "user", content: "hi" }], stream: true };
    expect(translateRequest("anthropic-messages", "anthropic-messages", a)).toBe(a);
    const r = { model: "m", input: "hi", stream: true };
    expect(translateRequest("openai-responses", "openai-responses", r)).toBe(r);
  });

  it("never produces a Responses body from another format", () => {
    expect(refusal("openai-chat", "openai-responses", { model: "m", messages: [] }).code).toBe("not_implemented");
  });
});
