import { describe, expect, it } from "vitest";
import { translateStream } from "../../../workers/gateway/translate";
import { ANTHROPIC_TEXT_STREAM, CHAT_TEXT_STREAM, CHAT_TOOLS_STREAM, crlf } from "./fixtures";
import { anthropicOver, byteStream, events, readText, recorder } from "./helpers";

const messagesRequest = { model: "m", max_tokens: 100, messages: [{ role: "user" as const, content: "hi" }], stream: true };

describe("chat -> anthropic streams", () => {
  it("streams text the Anthropic SDK assembles, with usage split into cached and fresh tokens", async () => {
    const rec = recorder();
    const out = translateStream(byteStream(CHAT_TEXT_STREAM, 6), "openai-chat", "anthropic-messages", messagesRequest, rec.hooks);
    const final = await anthropicOver(out).messages.stream(messagesRequest).finalMessage();
    expect(final.id).toBe("chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT");
    expect(final.content).toMatchObject([{ type: "text", text: "Bonjour à toi 🚗!" }]);
    expect(final.stop_reason).toBe("end_turn");
    expect(final.usage).toMatchObject({ input_tokens: 176, output_tokens: 9, cache_read_input_tokens: 1024 });
    expect(rec.usage).toEqual([{ inputTokens: 1200, outputTokens: 9, cachedTokens: 1024 }]);
    expect(rec.firstTokens()).toBe(1);
    expect(rec.ends).toEqual([{ completed: true, cancelled: false }]);
  });

  it("emits the Anthropic event sequence: one block open at a time, message_stop last", async () => {
    const text = await readText(translateStream(byteStream(CHAT_TOOLS_STREAM, 13), "openai-chat", "anthropic-messages", messagesRequest));
    expect(events(text).map((e) => e.event)).toEqual([
      "message_start",
      "content_block_start",
      "content_block_delta",
      "content_block_delta",
      "content_block_stop",
      "content_block_start",
      "content_block_delta",
      "content_block_delta",
      "content_block_stop",
      "message_delta",
      "message_stop",
    ]);
  });

  it("streams parallel tool calls as tool_use blocks with the upstream ids", async () => {
    const out = translateStream(byteStream(crlf(CHAT_TOOLS_STREAM), 2), "openai-chat", "anthropic-messages", messagesRequest);
    const final = await anthropicOver(out).messages.stream(messagesRequest).finalMessage();
    expect(final.content).toMatchObject([
      { type: "tool_use", id: "call_paris", name: "get_weather", input: { location: "Paris" } },
      { type: "tool_use", id: "call_lyon", name: "get_weather", input: { location: "Lyon" } },
    ]);
    expect(final.stop_reason).toBe("tool_use");
  });
});

describe("anthropic -> anthropic streams", () => {
  it("forwards the events unchanged and reads usage from them", async () => {
    const rec = recorder();
    const text = await readText(translateStream(byteStream(ANTHROPIC_TEXT_STREAM, 3), "anthropic-messages", "anthropic-messages", messagesRequest, rec.hooks));
    expect(text).toBe(ANTHROPIC_TEXT_STREAM);
    expect(rec.usage).toEqual([
      { inputTokens: 1035, outputTokens: 1, cachedTokens: 1000 },
      { inputTokens: 1035, outputTokens: 12, cachedTokens: 1000 },
    ]);
    expect(rec.firstTokens()).toBe(1);
    expect(rec.ends).toEqual([{ completed: true, cancelled: false }]);
  });
});
