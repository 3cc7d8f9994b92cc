import { APIError as AnthropicAPIError } from "@anthropic-ai/sdk";
import { APIError as OpenAIAPIError } from "openai";
import { describe, expect, it } from "vitest";
import { streamErrorEvent, translateStream, type WireFormat } from "../../../workers/gateway/translate";
import { ANTHROPIC_CUT_STREAM, ANTHROPIC_ERROR_STREAM, ANTHROPIC_TEXT_STREAM, CHAT_CUT_STREAM, CHAT_ERROR_STREAM, CHAT_TEXT_STREAM } from "./fixtures";
import { anthropicOver, byteStream, events, failingStream, hangingStream, jsonEvents, openaiOver, readText, recorder } from "./helpers";

const sdkRequest = { model: "m", messages: [{ role: "user" as const, content: "hi" }] };
const chatRequest = { ...sdkRequest, stream: true };
const messagesRequest = { model: "m", max_tokens: 100, messages: [{ role: "user" as const, content: "hi" }], stream: true };
const responsesRequest = { model: "m", input: "hi", stream: true };

async function chatFailure(stream: ReadableStream<Uint8Array>): Promise<unknown> {
  const s = openaiOver(stream).chat.completions.stream(sdkRequest);
  return s.finalChatCompletion().then(
    () => "finished cleanly",
    (e: unknown) => e,
  );
}

async function anthropicFailure(stream: ReadableStream<Uint8Array>): Promise<unknown> {
  return anthropicOver(stream)
    .messages.stream(messagesRequest)
    .finalMessage()
    .then(
      () => "finished cleanly",
      (e: unknown) => e,
    );
}

async function responsesFailure(stream: ReadableStream<Uint8Array>): Promise<unknown> {
  return openaiOver(stream)
    .responses.stream({ model: "m", input: "hi" })
    .finalResponse()
    .then(
      () => "finished cleanly",
      (e: unknown) => e,
    );
}

describe("a stream cut before its terminal event", () => {
  it("ends a chat client with an error chunk, never [DONE]", async () => {
    const rec = recorder();
    const text = await readText(translateStream(byteStream(CHAT_CUT_STREAM, 4), "openai-chat", "openai-chat", chatRequest, rec.hooks));
    expect(text).not.toContain("[DONE]");
    expect(jsonEvents(text).at(-1)).toEqual({ error: { message: expect.stringContaining("ended before"), type: "api_error", param: null, code: "stream_cut" } });
    expect(rec.ends).toEqual([{ completed: false, cancelled: false, error: expect.stringContaining("ended before") }]);
    const err = await chatFailure(translateStream(byteStream(CHAT_CUT_STREAM, 4), "openai-chat", "openai-chat", chatRequest));
    expect(err).toBeInstanceOf(OpenAIAPIError);
  });

  it("ends a chat client served by Anthropic with an error chunk", async () => {
    const rec = recorder();
    const err = await chatFailure(translateStream(byteStream(ANTHROPIC_CUT_STREAM, 5), "anthropic-messages", "openai-chat", chatRequest, rec.hooks));
    expect(err).toBeInstanceOf(OpenAIAPIError);
    expect(rec.ends).toMatchObject([{ completed: false, cancelled: false }]);
    expect(rec.usage).toEqual([{ inputTokens: 1035, outputTokens: 1, cachedTokens: 1000 }]);
  });

  it("ends an Anthropic client with event: error, passthrough or translated", async () => {
    const passthrough = await readText(translateStream(byteStream(ANTHROPIC_CUT_STREAM, 5), "anthropic-messages", "anthropic-messages", messagesRequest));
    expect(passthrough.startsWith(ANTHROPIC_CUT_STREAM)).toBe(true);
    expect(events(passthrough).at(-1)).toEqual({ event: "error", data: expect.stringContaining('"type":"api_error"') });
    expect(await anthropicFailure(translateStream(byteStream(ANTHROPIC_CUT_STREAM), "anthropic-messages", "anthropic-messages", messagesRequest))).toBeInstanceOf(AnthropicAPIError);
    const rec = recorder();
    const err = await anthropicFailure(translateStream(byteStream(CHAT_CUT_STREAM), "openai-chat", "anthropic-messages", messagesRequest, rec.hooks));
    expect(err).toBeInstanceOf(AnthropicAPIError);
    expect(rec.ends).toMatchObject([{ completed: false, cancelled: false }]);
  });

  it("ends a Responses client with an error event and response.failed", async () => {
    const text = await readText(translateStream(byteStream(CHAT_CUT_STREAM), "openai-chat", "openai-responses", responsesRequest));
    const tail = events(text).slice(-2);
    expect(tail.map((e) => e.event)).toEqual(["error", "response.failed"]);
    expect(JSON.parse(tail[0]?.data ?? "")).toMatchObject({ type: "error", code: "stream_cut", message: expect.any(String), param: null });
    expect(JSON.parse(tail[1]?.data ?? "")).toMatchObject({ response: { status: "failed", error: { code: "server_error" } } });
    expect(await responsesFailure(translateStream(byteStream(CHAT_CUT_STREAM), "openai-chat", "openai-responses", responsesRequest))).toBeInstanceOf(OpenAIAPIError);
  });

  it("ends a Responses passthrough with an error event numbered after the last one", async () => {
    const upstream = await readText(translateStream(byteStream(CHAT_TEXT_STREAM), "openai-chat", "openai-responses", responsesRequest));
    const cut = upstream.slice(0, upstream.indexOf("event: response.output_text.done"));
    const rec = recorder();
    const text = await readText(translateStream(byteStream(cut, 6), "openai-responses", "openai-responses", responsesRequest, rec.hooks));
    const last = jsonEvents(text).at(-1);
    expect(last).toMatchObject({ type: "error", sequence_number: 7, code: "stream_cut" });
    expect(rec.ends).toMatchObject([{ completed: false, cancelled: false }]);
  });

  it("treats an event cut in half as a cut stream", async () => {
    // The stream stops inside message_stop's JSON.
    const half = ANTHROPIC_TEXT_STREAM.slice(0, ANTHROPIC_TEXT_STREAM.lastIndexOf("message_stop") + 5);
    const rec = recorder();
    const text = await readText(translateStream(byteStream(half), "anthropic-messages", "openai-chat", chatRequest, rec.hooks));
    expect(text).not.toContain("[DONE]");
    expect(rec.ends).toMatchObject([{ completed: false }]);
  });

  it("reports a dropped connection the same way", async () => {
    const rec = recorder();
    const text = await readText(translateStream(failingStream(CHAT_CUT_STREAM), "openai-chat", "anthropic-messages", messagesRequest, rec.hooks));
    expect(events(text).at(-1)?.event).toBe("error");
    expect(rec.ends).toEqual([{ completed: false, cancelled: false, error: expect.stringContaining("connection reset") }]);
  });
});

describe("an upstream error event", () => {
  it("reaches a chat client as an error chunk with the upstream's type and message", async () => {
    const rec = recorder();
    const text = await readText(translateStream(byteStream(ANTHROPIC_ERROR_STREAM, 5), "anthropic-messages", "openai-chat", chatRequest, rec.hooks));
    expect(jsonEvents(text).at(-1)).toEqual({ error: { message: "Overloaded", type: "overloaded_error", param: null, code: "overloaded_error" } });
    expect(rec.ends).toEqual([{ completed: false, cancelled: false, error: "Overloaded" }]);
    const err = await chatFailure(translateStream(byteStream(ANTHROPIC_ERROR_STREAM), "anthropic-messages", "openai-chat", chatRequest));
    expect(err).toBeInstanceOf(OpenAIAPIError);
    expect(String(err)).toContain("Overloaded");
  });

  it("reaches an Anthropic client as event: error", async () => {
    const rec = recorder();
    const text = await readText(translateStream(byteStream(CHAT_ERROR_STREAM, 3), "openai-chat", "anthropic-messages", messagesRequest, rec.hooks));
    const last = events(text).at(-1);
    expect(last?.event).toBe("error");
    expect(JSON.parse(last?.data ?? "")).toEqual({ type: "error", error: { type: "server_error", message: "The server had an error while processing your request." } });
    expect(rec.ends).toMatchObject([{ completed: false, error: "The server had an error while processing your request." }]);
    const passthrough = await readText(translateStream(byteStream(ANTHROPIC_ERROR_STREAM), "anthropic-messages", "anthropic-messages", messagesRequest));
    expect(passthrough).toBe(ANTHROPIC_ERROR_STREAM);
  });

  it("reaches a Responses client as an error event the SDK throws on", async () => {
    const err = await responsesFailure(translateStream(byteStream(ANTHROPIC_ERROR_STREAM), "anthropic-messages", "openai-responses", responsesRequest));
    expect(err).toBeInstanceOf(OpenAIAPIError);
    expect(String(err)).toContain("Overloaded");
  });

  it("turns an unreadable upstream event into an error, not a crash", async () => {
    const rec = recorder();
    const text = await readText(translateStream(byteStream('data: {"id": nope}\n\n'), "openai-chat", "openai-chat", chatRequest, rec.hooks));
    expect(jsonEvents(text)).toMatchObject([{ error: { code: "bad_upstream_event" } }]);
    expect(rec.ends).toMatchObject([{ completed: false, cancelled: false }]);
  });
});

describe("the end of a stream", () => {
  it("ignores whatever the upstream sends after its terminal event", async () => {
    const rec = recorder();
    const upstream = `${ANTHROPIC_TEXT_STREAM}event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"late"}}\n\n`;
    const text = await readText(translateStream(byteStream(upstream, 50), "anthropic-messages", "anthropic-messages", messagesRequest, rec.hooks));
    expect(text).toBe(ANTHROPIC_TEXT_STREAM);
    expect(rec.ends).toEqual([{ completed: true, cancelled: false }]);
  });

  it("cancels the upstream and reports cancelled when the client goes away", async () => {
    const rec = recorder();
    const upstream = hangingStream(CHAT_CUT_STREAM);
    const reader = translateStream(upstream.stream, "openai-chat", "anthropic-messages", messagesRequest, rec.hooks).getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toContain("message_start");
    await reader.cancel("client closed the tab");
    expect(upstream.cancelled()).toBe(true);
    expect(rec.ends).toEqual([{ completed: false, cancelled: true }]);
  });

  it("cancels the upstream even when the client leaves before reading anything", async () => {
    const upstream = hangingStream(CHAT_CUT_STREAM);
    const rec = recorder();
    await translateStream(upstream.stream, "openai-chat", "openai-chat", chatRequest, rec.hooks).cancel();
    expect(upstream.cancelled()).toBe(true);
    expect(rec.firstTokens()).toBe(0);
    expect(rec.ends).toEqual([{ completed: false, cancelled: true }]);
  });
});

describe("streamErrorEvent", () => {
  const cases: [WireFormat, (s: ReadableStream<Uint8Array>) => Promise<unknown>, unknown][] = [
    ["openai-chat", chatFailure, OpenAIAPIError],
    ["anthropic-messages", anthropicFailure, AnthropicAPIError],
    ["openai-responses", responsesFailure, OpenAIAPIError],
  ];

  it("writes each format's error event", () => {
    const decode = (f: WireFormat) => new TextDecoder().decode(streamErrorEvent(f, "Provider unavailable", "overloaded_error"));
    expect(decode("openai-chat")).toBe('data: {"error":{"message":"Provider unavailable","type":"overloaded_error","param":null,"code":null}}\n\n');
    expect(decode("anthropic-messages")).toBe('event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Provider unavailable"}}\n\n');
    expect(events(decode("openai-responses"))).toEqual([{ event: "error", data: expect.stringContaining('"message":"Provider unavailable"') }]);
  });

  it.each(cases)("makes the %s SDK throw", async (format, failure, errorClass) => {
    const bytes = streamErrorEvent(format, "Provider unavailable");
    const err = await failure(new Response(bytes).body ?? new ReadableStream());
    expect(err).toBeInstanceOf(errorClass);
    expect(String(err)).toContain("Provider unavailable");
  });
});
