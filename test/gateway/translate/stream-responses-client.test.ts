import { describe, expect, it } from "vitest";
import { z } from "zod";
import { translateStream } from "../../../workers/gateway/translate";
import { ANTHROPIC_JSON_TOOL_STREAM, ANTHROPIC_TOOLS_STREAM, CHAT_TEXT_STREAM, CHAT_TOOLS_STREAM } from "./fixtures";
import { byteStream, jsonEvents, openaiOver, readText, recorder } from "./helpers";

const responsesRequest = { model: "gpt-4o", input: "hi", instructions: "Be brief.", stream: true };

const EventShape = z.looseObject({ type: z.string(), sequence_number: z.number() });

function eventTypes(text: string): string[] {
  const parsed = jsonEvents(text).map((e) => EventShape.parse(e));
  expect(parsed.map((e) => e.sequence_number)).toEqual(parsed.map((_, i) => i));
  return parsed.map((e) => e.type);
}

describe("chat -> responses streams", () => {
  it("emits the Responses event sequence with consecutive sequence numbers", async () => {
    const text = await readText(translateStream(byteStream(CHAT_TEXT_STREAM, 5), "openai-chat", "openai-responses", responsesRequest));
    expect(eventTypes(text)).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.content_part.added",
      "response.output_text.delta",
      "response.output_text.delta",
      "response.output_text.delta",
      "response.output_text.done",
      "response.content_part.done",
      "response.output_item.done",
      "response.completed",
    ]);
  });

  it("is assembled by the openai SDK's responses.stream into the final response", async () => {
    const rec = recorder();
    const out = translateStream(byteStream(CHAT_TEXT_STREAM, 5), "openai-chat", "openai-responses", responsesRequest, rec.hooks);
    const stream = openaiOver(out).responses.stream({ model: "gpt-4o", input: "hi" });
    const deltas: string[] = [];
    stream.on("response.output_text.delta", (e) => deltas.push(e.delta));
    const final = await stream.finalResponse();
    expect(deltas.join("")).toBe("Bonjour à toi 🚗!");
    expect(final.output_text).toBe("Bonjour à toi 🚗!");
    expect(final.status).toBe("completed");
    expect(final.instructions).toBe("Be brief.");
    expect(final.usage).toMatchObject({ input_tokens: 1200, output_tokens: 9, input_tokens_details: { cached_tokens: 1024 } });
    expect(rec.ends).toEqual([{ completed: true, cancelled: false }]);
  });

  it("streams parallel tool calls as function_call items", async () => {
    const text = await readText(translateStream(byteStream(CHAT_TOOLS_STREAM, 8), "openai-chat", "openai-responses", responsesRequest));
    const types = eventTypes(text);
    expect(types.filter((t) => t === "response.function_call_arguments.delta")).toHaveLength(4);
    expect(types.slice(-5)).toEqual([
      "response.function_call_arguments.done",
      "response.output_item.done",
      "response.function_call_arguments.done",
      "response.output_item.done",
      "response.completed",
    ]);
    const final = await openaiOver(translateStream(byteStream(CHAT_TOOLS_STREAM, 8), "openai-chat", "openai-responses", responsesRequest))
      .responses.stream({ model: "gpt-4o", input: "hi" })
      .finalResponse();
    expect(final.output).toMatchObject([
      { type: "function_call", call_id: "call_paris", name: "get_weather", arguments: '{"location": "Paris"}', status: "completed" },
      { type: "function_call", call_id: "call_lyon", name: "get_weather", arguments: '{"location": "Lyon"}', status: "completed" },
    ]);
  });

  it("reports a length stop as response.incomplete", async () => {
    const cutShort = CHAT_TEXT_STREAM.replace('"finish_reason":"stop"', '"finish_reason":"length"');
    const final = await openaiOver(translateStream(byteStream(cutShort), "openai-chat", "openai-responses", responsesRequest))
      .responses.stream({ model: "gpt-4o", input: "hi" })
      .finalResponse();
    expect(final.status).toBe("incomplete");
    expect(final.incomplete_details).toEqual({ reason: "max_output_tokens" });
  });
});

describe("anthropic -> responses streams", () => {
  it("goes through chat: text then tool calls become a message item and function_call items", async () => {
    const rec = recorder();
    const out = translateStream(byteStream(ANTHROPIC_TOOLS_STREAM, 7), "anthropic-messages", "openai-responses", responsesRequest, rec.hooks);
    const final = await openaiOver(out).responses.stream({ model: "gpt-4o", input: "hi" }).finalResponse();
    expect(final.output).toMatchObject([
      { type: "message", status: "completed", content: [{ type: "output_text", text: "Je regarde." }] },
      { type: "function_call", call_id: "toolu_01Paris", arguments: '{"location": "Paris"}' },
      { type: "function_call", call_id: "toolu_01Lyon", arguments: '{"location": "Lyon"}' },
    ]);
    expect(final.model).toBe("claude-sonnet-4-5-20250929");
    expect(final.usage).toMatchObject({ input_tokens: 1035, output_tokens: 89, input_tokens_details: { cached_tokens: 1000 } });
    expect(rec.usage.at(-1)).toEqual({ inputTokens: 1035, outputTokens: 89, cachedTokens: 1000 });
  });

  it("streams the schema tool's input as output text", async () => {
    const req = { ...responsesRequest, text: { format: { type: "json_schema", name: "lead", schema: { type: "object" } } } };
    const final = await openaiOver(translateStream(byteStream(ANTHROPIC_JSON_TOOL_STREAM, 3), "anthropic-messages", "openai-responses", req))
      .responses.stream({ model: "gpt-4o", input: "hi" })
      .finalResponse();
    expect(JSON.parse(final.output_text)).toEqual({ name: "Zoé", score: 7 });
    expect(final.output.map((o) => o.type)).toEqual(["message"]);
  });
});

describe("responses -> responses streams", () => {
  it("forwards the events and reads usage from response.completed", async () => {
    const upstream = await readText(translateStream(byteStream(CHAT_TEXT_STREAM), "openai-chat", "openai-responses", responsesRequest));
    const rec = recorder();
    const text = await readText(translateStream(byteStream(upstream, 9), "openai-responses", "openai-responses", responsesRequest, rec.hooks));
    expect(text).toBe(upstream);
    expect(rec.usage).toEqual([{ inputTokens: 1200, outputTokens: 9, cachedTokens: 1024 }]);
    expect(rec.firstTokens()).toBe(1);
    expect(rec.ends).toEqual([{ completed: true, cancelled: false }]);
  });
});
