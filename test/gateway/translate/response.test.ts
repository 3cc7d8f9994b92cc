import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { AppError } from "../../../workers/errors";
import { translateResponse, usageOf } from "../../../workers/gateway/translate";

const anthropicMessage = (content: unknown[], stop_reason: string) => ({
  id: "msg_01Abc",
  type: "message",
  role: "assistant",
  model: "claude-sonnet-4-5-20250929",
  content,
  stop_reason,
  stop_sequence: null,
  usage: { input_tokens: 30, cache_creation_input_tokens: 20, cache_read_input_tokens: 1000, output_tokens: 42 },
});

const chatCompletion = (message: Record<string, unknown>, finish_reason: string) => ({
  id: "chatcmpl-123",
  object: "chat.completion",
  created: 1741570283,
  model: "gpt-4o-2024-08-06",
  choices: [{ index: 0, message: { role: "assistant", refusal: null, annotations: [], ...message }, logprobs: null, finish_reason }],
  usage: { prompt_tokens: 1200, completion_tokens: 9, total_tokens: 1209, prompt_tokens_details: { cached_tokens: 1024 } },
});

const chatRequest = { model: "m", messages: [{ role: "user", content: "hi" }] };

describe("anthropic -> chat responses", () => {
  it("joins text, keeps the message id and counts cached and cache-written tokens as prompt tokens", () => {
    const out = translateResponse("anthropic-messages", "openai-chat", anthropicMessage([{ type: "text", text: "Bonjour " }, { type: "text", text: "à toi" }], "end_turn"), chatRequest);
    expect(out).toMatchObject({
      id: "msg_01Abc",
      object: "chat.completion",
      model: "claude-sonnet-4-5-20250929",
      choices: [{ index: 0, message: { role: "assistant", content: "Bonjour à toi" }, finish_reason: "stop" }],
      usage: { prompt_tokens: 1050, completion_tokens: 42, total_tokens: 1092, prompt_tokens_details: { cached_tokens: 1000 } },
    });
  });

  it("turns parallel tool_use blocks into tool_calls with the same ids", () => {
    const out = translateResponse(
      "anthropic-messages",
      "openai-chat",
      anthropicMessage(
        [
          { type: "tool_use", id: "toolu_1", name: "get_weather", input: { location: "Paris" } },
          { type: "tool_use", id: "toolu_2", name: "get_weather", input: { location: "Lyon" } },
        ],
        "tool_use",
      ),
      chatRequest,
    );
    expect(out.choices).toEqual([
      {
        index: 0,
        message: {
          role: "assistant",
          content: null,
          refusal: null,
          tool_calls: [
            { id: "toolu_1", type: "function", function: { name: "get_weather", arguments: '{"location":"Paris"}' } },
            { id: "toolu_2", type: "function", function: { name: "get_weather", arguments: '{"location":"Lyon"}' } },
          ],
        },
        finish_reason: "tool_calls",
        logprobs: null,
      },
    ]);
  });

  it("maps stop reasons", () => {
    const finish = (stop: string) => {
      const out = translateResponse("anthropic-messages", "openai-chat", anthropicMessage([{ type: "text", text: "x" }], stop), chatRequest);
      return z.object({ choices: z.array(z.object({ finish_reason: z.string() })) }).parse(out).choices[0]?.finish_reason;
    };
    expect(finish("stop_sequence")).toBe("stop");
    expect(finish("max_tokens")).toBe("length");
    expect(finish("refusal")).toBe("content_filter");
  });

  it("gives the schema tool's input back as JSON text with finish_reason stop", () => {
    const req = { ...chatRequest, response_format: { type: "json_schema", json_schema: { name: "lead", schema: { type: "object" } } } };
    const out = translateResponse("anthropic-messages", "openai-chat", anthropicMessage([{ type: "tool_use", id: "toolu_9", name: "lead", input: { name: "Zoé", score: 7 } }], "tool_use"), req);
    expect(out.choices).toMatchObject([{ message: { content: '{"name":"Zoé","score":7}' }, finish_reason: "stop" }]);
    expect(JSON.stringify(out)).not.toContain("tool_calls");
  });

  it("reports a malformed upstream body as an upstream error", () => {
    expect(() => translateResponse("anthropic-messages", "openai-chat", { content: "nope" }, chatRequest)).toThrow(AppError);
    expect(() => translateResponse("openai-chat", "openai-chat", "nope", chatRequest)).toThrow(/not a JSON object/);
  });
});

describe("chat -> anthropic responses", () => {
  it("builds text and tool_use blocks and splits cached tokens out of input_tokens", () => {
    const out = translateResponse(
      "openai-chat",
      "anthropic-messages",
      chatCompletion(
        {
          content: "Checking.",
          tool_calls: [
            { id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"location":"Paris"}' } },
            { id: "call_2", type: "function", function: { name: "get_weather", arguments: "not json" } },
          ],
        },
        "tool_calls",
      ),
      {},
    );
    expect(out).toEqual({
      id: "chatcmpl-123",
      type: "message",
      role: "assistant",
      model: "gpt-4o-2024-08-06",
      content: [
        { type: "text", text: "Checking." },
        { type: "tool_use", id: "call_1", name: "get_weather", input: { location: "Paris" } },
        { type: "tool_use", id: "call_2", name: "get_weather", input: {} },
      ],
      stop_reason: "tool_use",
      stop_sequence: null,
      usage: { input_tokens: 176, output_tokens: 9, cache_read_input_tokens: 1024, cache_creation_input_tokens: 0 },
    });
  });

  it("maps finish reasons and refusals", () => {
    const stop = (message: Record<string, unknown>, finish: string) => translateResponse("openai-chat", "anthropic-messages", chatCompletion(message, finish), {}).stop_reason;
    expect(stop({ content: "x" }, "stop")).toBe("end_turn");
    expect(stop({ content: "x" }, "length")).toBe("max_tokens");
    expect(stop({ content: null, refusal: "I can't help with that." }, "stop")).toBe("refusal");
  });
});

describe("-> responses", () => {
  const responsesRequest = { model: "m", input: "hi", instructions: "Be brief.", max_output_tokens: 100, tools: [], metadata: { dealer: "42" } };

  it("builds a response object the openai SDK reads, from a chat completion", async () => {
    const body = translateResponse("openai-chat", "openai-responses", chatCompletion({ content: "Bonjour" }, "stop"), responsesRequest);
    expect(body).toMatchObject({
      object: "response",
      status: "completed",
      model: "gpt-4o-2024-08-06",
      instructions: "Be brief.",
      max_output_tokens: 100,
      metadata: { dealer: "42" },
      output: [{ type: "message", role: "assistant", status: "completed", content: [{ type: "output_text", text: "Bonjour", annotations: [] }] }],
      usage: { input_tokens: 1200, output_tokens: 9, total_tokens: 1209, input_tokens_details: { cached_tokens: 1024 } },
    });
    expect(String(body.id)).toMatch(/^resp_/);
    const client = new OpenAI({ apiKey: "k", baseURL: "http://sdk.invalid/v1", maxRetries: 0, fetch: async () => Response.json(body) });
    const parsed = await client.responses.create({ model: "m", input: "hi" });
    expect(parsed.output_text).toBe("Bonjour");
  });

  it("turns tool calls into function_call items and a length stop into incomplete", () => {
    const tools = translateResponse(
      "openai-chat",
      "openai-responses",
      chatCompletion({ content: null, tool_calls: [{ id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"location":"Paris"}' } }] }, "tool_calls"),
      responsesRequest,
    );
    expect(tools.output).toMatchObject([{ type: "function_call", call_id: "call_1", name: "get_weather", arguments: '{"location":"Paris"}', status: "completed" }]);
    const cut = translateResponse("openai-chat", "openai-responses", chatCompletion({ content: "Bon" }, "length"), responsesRequest);
    expect(cut).toMatchObject({ status: "incomplete", incomplete_details: { reason: "max_output_tokens" } });
  });

  it("goes from Anthropic through chat, with the schema tool's input as the text", () => {
    const req = { model: "m", input: "hi", text: { format: { type: "json_schema", name: "lead", schema: { type: "object" } } } };
    const out = translateResponse("anthropic-messages", "openai-responses", anthropicMessage([{ type: "tool_use", id: "toolu_9", name: "lead", input: { score: 7 } }], "tool_use"), req);
    expect(out).toMatchObject({ status: "completed", output: [{ type: "message", content: [{ type: "output_text", text: '{"score":7}' }] }], usage: { input_tokens: 1050, input_tokens_details: { cached_tokens: 1000 } } });
  });

  it("passes a Responses body through and refuses to serve other clients from it", () => {
    const body = { id: "resp_1", object: "response", output: [] };
    expect(translateResponse("openai-responses", "openai-responses", body, {})).toBe(body);
    expect(() => translateResponse("openai-responses", "openai-chat", body, {})).toThrow(AppError);
  });
});

describe("usageOf", () => {
  it("reads each format, counting cached prompt tokens inside input tokens", () => {
    expect(usageOf("openai-chat", chatCompletion({ content: "x" }, "stop"))).toEqual({ inputTokens: 1200, outputTokens: 9, cachedTokens: 1024 });
    expect(usageOf("anthropic-messages", anthropicMessage([], "end_turn"))).toEqual({ inputTokens: 1050, outputTokens: 42, cachedTokens: 1000 });
    expect(usageOf("openai-responses", { usage: { input_tokens: 10, output_tokens: 3, input_tokens_details: { cached_tokens: 4 } } })).toEqual({
      inputTokens: 10,
      outputTokens: 3,
      cachedTokens: 4,
    });
  });

  it("is zero for a body without usage", () => {
    expect(usageOf("openai-chat", { id: "x" })).toEqual({ inputTokens: 0, outputTokens: 0, cachedTokens: 0 });
    expect(usageOf("anthropic-messages", null)).toEqual({ inputTokens: 0, outputTokens: 0, cachedTokens: 0 });
  });
});
