import { describe, expect, it } from "vitest";
import { translateStream } from "../../../workers/gateway/translate";
import { ANTHROPIC_JSON_TOOL_STREAM, ANTHROPIC_TEXT_STREAM, ANTHROPIC_TOOLS_STREAM, CHAT_TEXT_STREAM, CHAT_TOOLS_STREAM, crlf } from "./fixtures";
import { byteStream, chatChunks, events, openaiOver, readText, recorder } from "./helpers";

const sdkRequest = { model: "m", messages: [{ role: "user" as const, content: "hi" }] };
const chatRequest = { ...sdkRequest, stream: true };
const withUsage = { ...chatRequest, stream_options: { include_usage: true } };

function usageChunks(text: string): unknown[] {
  return chatChunks(text).filter((c) => c.choices.length === 0);
}

describe("anthropic -> chat streams", () => {
  it("streams text the openai SDK assembles, and reports usage and the end", async () => {
    const rec = recorder();
    const out = translateStream(byteStream(ANTHROPIC_TEXT_STREAM, 5), "anthropic-messages", "openai-chat", chatRequest, rec.hooks);
    const final = await openaiOver(out).chat.completions.stream(sdkRequest).finalChatCompletion();
    expect(final.id).toBe("msg_01XFDUDYJgAACzvnptvVoYEL");
    expect(final.model).toBe("claude-sonnet-4-5-20250929");
    expect(final.choices[0]?.message.content).toBe("Bonjour à toi 🚗");
    expect(final.choices[0]?.finish_reason).toBe("stop");
    expect(rec.usage.at(-1)).toEqual({ inputTokens: 1035, outputTokens: 12, cachedTokens: 1000 });
    expect(rec.firstTokens()).toBe(1);
    expect(rec.ends).toEqual([{ completed: true, cancelled: false }]);
  });

  it("sends the usage chunk only to a client that asked for it", async () => {
    const without = await readText(translateStream(byteStream(ANTHROPIC_TEXT_STREAM), "anthropic-messages", "openai-chat", chatRequest));
    expect(usageChunks(without)).toEqual([]);
    expect(events(without).at(-1)?.data).toBe("[DONE]");
    const withIt = await readText(translateStream(byteStream(ANTHROPIC_TEXT_STREAM), "anthropic-messages", "openai-chat", withUsage));
    expect(usageChunks(withIt)).toMatchObject([{ usage: { prompt_tokens: 1035, completion_tokens: 12, total_tokens: 1047, prompt_tokens_details: { cached_tokens: 1000 } } }]);
    const final = await openaiOver(translateStream(byteStream(ANTHROPIC_TEXT_STREAM), "anthropic-messages", "openai-chat", withUsage))
      .chat.completions.stream({ ...sdkRequest, stream_options: { include_usage: true } })
      .finalChatCompletion();
    expect(final.usage?.prompt_tokens).toBe(1035);
  });

  it("streams parallel tool calls with their ids and argument fragments", async () => {
    const out = translateStream(byteStream(crlf(ANTHROPIC_TOOLS_STREAM), 11), "anthropic-messages", "openai-chat", chatRequest);
    const final = await openaiOver(out).chat.completions.stream(sdkRequest).finalChatCompletion();
    const message = final.choices[0]?.message;
    expect(message?.content).toBe("Je regarde.");
    expect(message?.tool_calls).toEqual([
      { id: "toolu_01Paris", type: "function", function: { name: "get_weather", arguments: '{"location": "Paris"}' } },
      { id: "toolu_01Lyon", type: "function", function: { name: "get_weather", arguments: '{"location": "Lyon"}' } },
    ]);
    expect(final.choices[0]?.finish_reason).toBe("tool_calls");
  });

  it("streams the schema tool's input as content and finishes with stop", async () => {
    const req = { ...chatRequest, response_format: { type: "json_schema" as const, json_schema: { name: "lead", schema: { type: "object" } } } };
    const out = translateStream(byteStream(ANTHROPIC_JSON_TOOL_STREAM, 4), "anthropic-messages", "openai-chat", req);
    const text = await readText(out);
    expect(text).not.toContain("tool_calls");
    const chunks = chatChunks(text);
    const content = chunks.map((c) => c.choices[0]?.delta.content ?? "").join("");
    expect(JSON.parse(content)).toEqual({ name: "Zoé", score: 7 });
    expect(chunks.map((c) => c.choices[0]?.finish_reason).filter(Boolean)).toEqual(["stop"]);
  });
});

describe("chat -> chat streams", () => {
  it("forwards the upstream bytes but drops the usage-only chunk we asked for on the client's behalf", async () => {
    const rec = recorder();
    const out = await readText(translateStream(byteStream(CHAT_TEXT_STREAM, 3), "openai-chat", "openai-chat", chatRequest, rec.hooks));
    const upstreamBlocks = CHAT_TEXT_STREAM.split("\n\n").filter((b) => b && !b.includes('"choices":[]'));
    expect(out).toBe(upstreamBlocks.map((b) => `${b}\n\n`).join(""));
    expect(rec.usage).toEqual([{ inputTokens: 1200, outputTokens: 9, cachedTokens: 1024 }]);
    expect(rec.firstTokens()).toBe(1);
    expect(rec.ends).toEqual([{ completed: true, cancelled: false }]);
  });

  it("keeps the usage-only chunk when the client asked for it", async () => {
    const out = await readText(translateStream(byteStream(CHAT_TEXT_STREAM, 3), "openai-chat", "openai-chat", withUsage));
    expect(out).toBe(CHAT_TEXT_STREAM);
  });

  it("treats a finish_reason followed by the end of the body as complete", async () => {
    const noDone = CHAT_TOOLS_STREAM.replace("data: [DONE]\n\n", "");
    const rec = recorder();
    const out = translateStream(byteStream(noDone, 9), "openai-chat", "openai-chat", chatRequest, rec.hooks);
    const final = await openaiOver(out).chat.completions.stream(sdkRequest).finalChatCompletion();
    expect(final.choices[0]?.message.tool_calls?.map((t) => t.function.arguments)).toEqual(['{"location": "Paris"}', '{"location": "Lyon"}']);
    expect(rec.ends).toEqual([{ completed: true, cancelled: false }]);
  });
});
