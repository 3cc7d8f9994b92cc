import { describe, expect, it } from "vitest";
import { z } from "zod";
import { AppError } from "../../workers/errors";
import { cachedAsStream } from "../../workers/gateway/cache";
import { anthropicOver, chatChunks, events, jsonEvents, openaiOver, readText } from "./translate/helpers";

const sdkChat = { model: "gpt-4o-mini", messages: [{ role: "user" as const, content: "hi" }] };
const usage = { prompt_tokens: 1200, completion_tokens: 9, total_tokens: 1209, prompt_tokens_details: { cached_tokens: 1024 } };

const chatText = {
  id: "chatcmpl-cached1",
  object: "chat.completion",
  created: 1_750_000_000,
  model: "gpt-4o-mini-2024-07-18",
  choices: [{ index: 0, message: { role: "assistant", content: "Bonjour à toi 🚗!", refusal: null }, finish_reason: "stop", logprobs: null }],
  usage,
};

const chatTools = {
  ...chatText,
  choices: [
    {
      index: 0,
      message: {
        role: "assistant",
        content: null,
        tool_calls: [
          { id: "call_paris", type: "function", function: { name: "get_weather", arguments: '{"location":"Paris"}' } },
          { id: "call_lyon", type: "function", function: { name: "get_weather", arguments: '{"location":"Lyon"}' } },
        ],
      },
      finish_reason: "tool_calls",
    },
  ],
};

describe("a cached chat completion replayed to a chat client", () => {
  it("is assembled by the openai SDK into the same completion", async () => {
    const final = await openaiOver(cachedAsStream("openai-chat", chatText)).chat.completions.stream(sdkChat).finalChatCompletion();
    expect(final.id).toBe("chatcmpl-cached1");
    expect(final.model).toBe("gpt-4o-mini-2024-07-18");
    expect(final.choices[0]?.message.content).toBe("Bonjour à toi 🚗!");
    expect(final.choices[0]?.finish_reason).toBe("stop");
  });

  it("ends with [DONE] and sends usage only to a client that asked for it", async () => {
    const without = await readText(cachedAsStream("openai-chat", chatText, { stream: true }));
    expect(chatChunks(without).filter((c) => c.choices.length === 0)).toEqual([]);
    expect(events(without).at(-1)?.data).toBe("[DONE]");
    const asked = { ...sdkChat, stream_options: { include_usage: true } };
    const final = await openaiOver(cachedAsStream("openai-chat", chatText, asked)).chat.completions.stream(asked).finalChatCompletion();
    expect(final.usage).toMatchObject({ prompt_tokens: 1200, completion_tokens: 9, prompt_tokens_details: { cached_tokens: 1024 } });
  });

  it("replays parallel tool calls with their ids", async () => {
    const final = await openaiOver(cachedAsStream("openai-chat", chatTools)).chat.completions.stream(sdkChat).finalChatCompletion();
    expect(final.choices[0]?.message.tool_calls).toEqual([
      { id: "call_paris", type: "function", function: { name: "get_weather", arguments: '{"location":"Paris"}' } },
      { id: "call_lyon", type: "function", function: { name: "get_weather", arguments: '{"location":"Lyon"}' } },
    ]);
    expect(final.choices[0]?.finish_reason).toBe("tool_calls");
  });
});

const anthropicAnswer = {
  id: "msg_cached1",
  type: "message",
  role: "assistant",
  model: "claude-sonnet-4-5-20250929",
  content: [
    { type: "text", text: "Je regarde." },
    { type: "tool_use", id: "toolu_01Paris", name: "get_weather", input: { location: "Paris" } },
  ],
  stop_reason: "tool_use",
  stop_sequence: null,
  usage: { input_tokens: 35, output_tokens: 12, cache_read_input_tokens: 1000, cache_creation_input_tokens: 0 },
};
const sdkMessages = { model: "claude-sonnet-4-5", max_tokens: 100, messages: [{ role: "user" as const, content: "hi" }] };

describe("a cached Anthropic message replayed to an Anthropic client", () => {
  it("is assembled by the Anthropic SDK into the same message", async () => {
    const final = await anthropicOver(cachedAsStream("anthropic-messages", anthropicAnswer)).messages.stream(sdkMessages).finalMessage();
    expect(final.id).toBe("msg_cached1");
    expect(final.model).toBe("claude-sonnet-4-5-20250929");
    expect(final.content).toMatchObject([
      { type: "text", text: "Je regarde." },
      { type: "tool_use", id: "toolu_01Paris", name: "get_weather", input: { location: "Paris" } },
    ]);
    expect(final.stop_reason).toBe("tool_use");
    expect(final.usage).toMatchObject({ input_tokens: 35, output_tokens: 12, cache_read_input_tokens: 1000 });
  });

  it("follows the Anthropic event order, message_stop last", async () => {
    const text = await readText(cachedAsStream("anthropic-messages", anthropicAnswer));
    expect(events(text).map((e) => e.event)).toEqual([
      "message_start",
      "content_block_start",
      "content_block_delta",
      "content_block_stop",
      "content_block_start",
      "content_block_delta",
      "content_block_stop",
      "message_delta",
      "message_stop",
    ]);
  });
});

const responsesAnswer = {
  id: "resp_cached1",
  object: "response",
  created_at: 1_750_000_000,
  status: "completed",
  error: null,
  incomplete_details: null,
  instructions: "Be brief.",
  max_output_tokens: null,
  model: "gpt-4o-2024-08-06",
  output: [
    { type: "message", id: "msg_1", status: "completed", role: "assistant", content: [{ type: "output_text", text: "Two Tahoes.", annotations: [] }] },
    { type: "function_call", id: "fc_1", call_id: "call_stock", name: "reserve", arguments: '{"vin":"1GNSK"}', status: "completed" },
  ],
  parallel_tool_calls: true,
  temperature: 1,
  tool_choice: "auto",
  tools: [],
  top_p: 1,
  text: { format: { type: "text" } },
  usage: { input_tokens: 50, input_tokens_details: { cached_tokens: 0 }, output_tokens: 8, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 58 },
};

const Event = z.looseObject({ type: z.string(), sequence_number: z.number() });

describe("a cached response replayed to a Responses client", () => {
  it("is assembled by the openai SDK's responses.stream, with consecutive sequence numbers", async () => {
    const text = await readText(cachedAsStream("openai-responses", responsesAnswer));
    const parsed = jsonEvents(text).map((e) => Event.parse(e));
    expect(parsed.map((e) => e.sequence_number)).toEqual(parsed.map((_, i) => i));
    expect(parsed.at(-1)?.type).toBe("response.completed");
    const final = await openaiOver(cachedAsStream("openai-responses", responsesAnswer)).responses.stream({ model: "gpt-4o", input: "hi" }).finalResponse();
    expect(final.output_text).toBe("Two Tahoes.");
    expect(final.output[1]).toMatchObject({ type: "function_call", call_id: "call_stock", name: "reserve", arguments: '{"vin":"1GNSK"}' });
    expect(final.instructions).toBe("Be brief.");
    expect(final.usage).toMatchObject({ input_tokens: 50, output_tokens: 8 });
  });

  it("replays a cut-short answer as response.incomplete", async () => {
    const short = { ...responsesAnswer, status: "incomplete", incomplete_details: { reason: "max_output_tokens" }, output: [responsesAnswer.output[0]] };
    const final = await openaiOver(cachedAsStream("openai-responses", short)).responses.stream({ model: "gpt-4o", input: "hi" }).finalResponse();
    expect(final.status).toBe("incomplete");
    expect(final.incomplete_details).toEqual({ reason: "max_output_tokens" });
  });
});

describe("an answer that is not one of its format", () => {
  it("is refused before any byte is sent, so the caller can treat it as a miss", () => {
    for (const [format, body] of [
      ["openai-chat", anthropicAnswer],
      ["anthropic-messages", chatText],
      ["openai-responses", chatText],
      ["openai-chat", "not an object"],
    ] as const) {
      expect(() => cachedAsStream(format, body), format).toThrow(AppError);
    }
  });
});
