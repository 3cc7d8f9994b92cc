import { describe, expect, it } from "vitest";
import { AppError } from "../../../workers/errors";
import { translateRequest } from "../../../workers/gateway/translate";
import { JSON_OBJECT_INSTRUCTION } from "../../../workers/gateway/translate/json-mode";

const toAnthropic = (body: Record<string, unknown>) => translateRequest("openai-chat", "anthropic-messages", body);

function refusal(body: Record<string, unknown>): AppError {
  try {
    toAnthropic(body);
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error("expected the request to be refused");
}

const weatherTool = {
  type: "function",
  function: { name: "get_weather", description: "Weather for a city", parameters: { type: "object", properties: { location: { type: "string" } }, required: ["location"] } },
};

describe("chat -> anthropic requests", () => {
  it("moves system and developer messages to `system` and defaults max_tokens", () => {
    const out = toAnthropic({
      model: "claude-sonnet-4-5",
      messages: [
        { role: "system", content: "You are a service advisor." },
        { role: "developer", content: [{ type: "text", text: "Answer in French." }] },
        { role: "user", content: "Bonjour" },
      ],
    });
    expect(out).toEqual({
      model: "claude-sonnet-4-5",
      max_tokens: 4096,
      system: "You are a service advisor.\n\nAnswer in French.",
      messages: [{ role: "user", content: [{ type: "text", text: "Bonjour" }] }],
    });
  });

  it("merges consecutive same-role messages into alternating turns", () => {
    const out = toAnthropic({
      model: "m",
      messages: [
        { role: "user", content: "one" },
        { role: "user", content: "two" },
        { role: "assistant", content: "three" },
        { role: "assistant", content: "" },
        { role: "user", content: "four" },
      ],
    });
    expect(out.messages).toEqual([
      { role: "user", content: [{ type: "text", text: "one" }, { type: "text", text: "two" }] },
      { role: "assistant", content: [{ type: "text", text: "three" }] },
      { role: "user", content: [{ type: "text", text: "four" }] },
    ]);
  });

  it("turns tool calls into tool_use blocks and consecutive tool results into one user turn", () => {
    const out = toAnthropic({
      model: "m",
      messages: [
        { role: "user", content: "Weather in Paris and Lyon?" },
        {
          role: "assistant",
          content: "Checking.",
          tool_calls: [
            { id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"location":"Paris"}' } },
            { id: "call_2", type: "function", function: { name: "get_weather", arguments: '{"location":"Lyon"}' } },
          ],
        },
        { role: "tool", tool_call_id: "call_1", content: "18C" },
        { role: "tool", tool_call_id: "call_2", content: [{ type: "text", text: "21C" }] },
        { role: "user", content: "Thanks" },
      ],
    });
    expect(out.messages).toEqual([
      { role: "user", content: [{ type: "text", text: "Weather in Paris and Lyon?" }] },
      {
        role: "assistant",
        content: [
          { type: "text", text: "Checking." },
          { type: "tool_use", id: "call_1", name: "get_weather", input: { location: "Paris" } },
          { type: "tool_use", id: "call_2", name: "get_weather", input: { location: "Lyon" } },
        ],
      },
      {
        role: "user",
        content: [
          { type: "tool_result", tool_use_id: "call_1", content: "18C" },
          { type: "tool_result", tool_use_id: "call_2", content: "21C" },
          { type: "text", text: "Thanks" },
        ],
      },
    ]);
  });

  it("translates tools, tool_choice and parallel_tool_calls", () => {
    const base = { model: "m", messages: [{ role: "user", content: "hi" }], tools: [weatherTool] };
    const out = toAnthropic({ ...base, tool_choice: "required", parallel_tool_calls: false });
    expect(out.tools).toEqual([
      { name: "get_weather", description: "Weather for a city", input_schema: { type: "object", properties: { location: { type: "string" } }, required: ["location"] } },
    ]);
    expect(out.tool_choice).toEqual({ type: "any", disable_parallel_tool_use: true });
    expect(toAnthropic({ ...base, tool_choice: "auto" }).tool_choice).toEqual({ type: "auto" });
    expect(toAnthropic({ ...base, tool_choice: "none" }).tool_choice).toEqual({ type: "none" });
    expect(toAnthropic({ ...base, tool_choice: { type: "function", function: { name: "get_weather" } } }).tool_choice).toEqual({ type: "tool", name: "get_weather" });
    expect(toAnthropic({ ...base, parallel_tool_calls: false }).tool_choice).toEqual({ type: "auto", disable_parallel_tool_use: true });
    expect(toAnthropic(base).tool_choice).toBeUndefined();
  });

  it("turns image_url parts into base64 or url image blocks", () => {
    const out = toAnthropic({
      model: "m",
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "What car is this?" },
            { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=" } },
            { type: "image_url", image_url: { url: "https://cdn.example.com/car.jpg", detail: "high" } },
          ],
        },
      ],
    });
    expect(out.messages).toEqual([
      {
        role: "user",
        content: [
          { type: "text", text: "What car is this?" },
          { type: "image", source: { type: "base64", media_type: "image/png", data: "iVBORw0KGgo=" } },
          { type: "image", source: { type: "url", url: "https://cdn.example.com/car.jpg" } },
        ],
      },
    ]);
  });

  it("maps stop, sampling, user, max_completion_tokens and stream", () => {
    const out = toAnthropic({
      model: "m",
      messages: [{ role: "user", content: "hi" }],
      stop: "END",
      temperature: 1.6,
      top_p: 0.9,
      user: "dealer-42",
      max_completion_tokens: 300,
      max_tokens: 100,
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(out).toMatchObject({ stop_sequences: ["END"], temperature: 1, top_p: 0.9, metadata: { user_id: "dealer-42" }, max_tokens: 300, stream: true });
    expect(out).not.toHaveProperty("stream_options");
    expect(toAnthropic({ model: "m", messages: [{ role: "user", content: "hi" }], stop: ["a", "b"], max_tokens: 50 })).toMatchObject({ stop_sequences: ["a", "b"], max_tokens: 50 });
  });

  it("asks for one JSON object through the system prompt in json_object mode", () => {
    const out = toAnthropic({ model: "m", messages: [{ role: "system", content: "Be brief." }, { role: "user", content: "hi" }], response_format: { type: "json_object" } });
    expect(out.system).toBe(`Be brief.\n\n${JSON_OBJECT_INSTRUCTION}`);
    expect(out.tools).toBeUndefined();
  });

  it("forces a tool named after the schema in json_schema mode", () => {
    const schema = { type: "object", properties: { name: { type: "string" } }, required: ["name"] };
    const body = { model: "m", messages: [{ role: "user", content: "Extract the lead" }], response_format: { type: "json_schema", json_schema: { name: "lead", schema, strict: true } } };
    const out = toAnthropic(body);
    expect(out.tools).toEqual([{ name: "lead", description: expect.any(String), input_schema: schema }]);
    expect(out.tool_choice).toEqual({ type: "tool", name: "lead" });
    // With the client's own tools on offer, the model must call one of them or the schema tool.
    const withTools = toAnthropic({ ...body, tools: [weatherTool] });
    expect(withTools.tool_choice).toEqual({ type: "any" });
    expect(Array.isArray(withTools.tools) && withTools.tools.length).toBe(2);
  });

  it("refuses what Anthropic cannot do with a clear 400", () => {
    const messages = [{ role: "user", content: "hi" }];
    expect(refusal({ model: "m", messages, n: 2 }).message).toMatch(/n > 1/);
    expect(refusal({ model: "m", messages, logprobs: true }).message).toMatch(/logprobs/);
    expect(refusal({ model: "m", messages, top_logprobs: 3 }).status).toBe(400);
    expect(refusal({ model: "m", messages: [{ role: "user", content: [{ type: "input_audio", input_audio: { data: "x", format: "wav" } }] }] }).message).toMatch(/input_audio/);
    expect(refusal({ model: "m", messages: [{ role: "user", content: [{ type: "image_url", image_url: { url: "data:image/tiff;base64,AAA" } }] }] }).message).toMatch(/image\/png/);
    expect(refusal({ model: "m", messages: [{ role: "user", content: [{ type: "image_url", image_url: { url: "ftp://x/y.png" } }] }] }).message).toMatch(/http/);
    expect(refusal({ model: "m", messages, response_format: { type: "xml" } }).message).toMatch(/xml/);
    expect(refusal({ model: "m", messages, tools: [{ type: "custom", custom: { name: "x" } }] }).message).toMatch(/custom/);
    const badArgs = [{ role: "assistant", content: null, tool_calls: [{ id: "c1", type: "function", function: { name: "f", arguments: "[1,2]" } }] }];
    expect(refusal({ model: "m", messages: badArgs }).message).toMatch(/JSON object/);
    expect(refusal({ model: "m", messages: [{ role: "tool", content: "x" }] }).message).toMatch(/tool_call_id/);
    expect(refusal({ model: "m", messages: [{ role: "system", content: "only a system prompt" }] }).message).toMatch(/at least one/);
  });

  it("rejects malformed bodies as validation errors that point at the field", () => {
    const err = refusal({ model: "m", messages: [{ role: "wizard", content: "hi" }] });
    expect(err.code).toBe("validation_failed");
    expect(err.message).toContain("messages.0.role");
    expect(refusal({ model: "m", messages: [] }).code).toBe("validation_failed");
    expect(refusal({ model: "m", messages: [{ role: "user", content: "hi" }], max_tokens: -1 }).code).toBe("validation_failed");
  });
});
