import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestTenant } from "../helpers/fixtures";
import { anthropicClient, marker, openaiClient, upstreamRequests } from "./helpers";

let openai: OpenAI;
let anthropic: Anthropic;

beforeAll(async () => {
  const tenant = await createTestTenant("Cross Motors");
  openai = openaiClient(tenant.gatewayKey);
  anthropic = anthropicClient(tenant.gatewayKey);
});

const chatTools: OpenAI.Chat.Completions.ChatCompletionTool[] = [
  { type: "function", function: { name: "get_weather", description: "Weather for a city", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } } },
  { type: "function", function: { name: "get_time", description: "Time in a city", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } } },
];

const anthropicTools: Anthropic.Tool[] = [
  { name: "get_weather", description: "Weather for a city", input_schema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } },
  { name: "get_time", description: "Time in a city", input_schema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } },
];

describe("an OpenAI client calling a Claude model", () => {
  it("gets a chat completion, translated from an Anthropic Messages call", async () => {
    const mark = marker();
    const completion = await openai.chat.completions.create({
      model: "claude-3-5-haiku-latest",
      messages: [
        { role: "system", content: "You are a sales assistant." },
        { role: "user", content: `Do you lease EVs? ${mark}` },
      ],
      max_tokens: 300,
    });
    expect(completion.object).toBe("chat.completion");
    expect(completion.choices[0]?.message.content?.length).toBeGreaterThan(10);
    expect(completion.choices[0]?.finish_reason).toBe("stop");
    expect(completion.usage?.prompt_tokens).toBeGreaterThan(0);
    const [sent] = await upstreamRequests(mark);
    expect(sent?.path).toBe("/anthropic/v1/messages");
    expect(sent?.body).toMatchObject({ model: "claude-3-5-haiku-latest", system: expect.anything(), max_tokens: 300 });
  });

  it("streams chunks with usage when asked", async () => {
    const stream = await openai.chat.completions.create({
      model: "claude-3-5-haiku-latest",
      messages: [{ role: "user", content: "Describe the Outback" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = "";
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? "";
      usage = chunk.usage ?? usage;
    }
    expect(text.length).toBeGreaterThan(10);
    expect(usage?.completion_tokens).toBeGreaterThan(0);
  });

  it("gets parallel tool calls, streamed and not", async () => {
    const question = { role: "user" as const, content: "Use get_weather and get_time for Reno" };
    const plain = await openai.chat.completions.create({ model: "claude-3-5-haiku-latest", messages: [question], tools: chatTools });
    expect(plain.choices[0]?.finish_reason).toBe("tool_calls");
    expect(plain.choices[0]?.message.tool_calls).toHaveLength(2);
    const streamed = await openai.chat.completions.stream({ model: "claude-3-5-haiku-latest", messages: [question], tools: chatTools }).finalChatCompletion();
    const calls = streamed.choices[0]?.message.tool_calls ?? [];
    expect(calls.map((c) => (c.type === "function" ? c.function.name : "")).sort()).toEqual(["get_time", "get_weather"]);
    for (const c of calls) if (c.type === "function") expect(JSON.parse(c.function.arguments)).toHaveProperty("city");
  });
});

describe("an Anthropic client calling a GPT model", () => {
  it("gets a Messages response, translated from a chat completion", async () => {
    const mark = marker();
    const message = await anthropic.messages.create({
      model: "gpt-4o-mini",
      max_tokens: 300,
      system: "You are a service advisor.",
      messages: [{ role: "user", content: `Is my car ready? ${mark}` }],
    });
    expect(message.type).toBe("message");
    expect(message.stop_reason).toBe("end_turn");
    expect(message.content[0]?.type).toBe("text");
    expect(message.usage.input_tokens).toBeGreaterThan(0);
    const [sent] = await upstreamRequests(mark);
    expect(sent?.path).toBe("/openai/v1/chat/completions");
    expect(sent?.body).toMatchObject({ model: "gpt-4o-mini", messages: [{ role: "system" }, { role: "user" }] });
  });

  it("streams into a final message through the SDK's helper", async () => {
    const mark = marker();
    const final = await anthropic.messages.stream({ model: "gpt-4o-mini", max_tokens: 300, messages: [{ role: "user", content: `Tell me about the Accord ${mark}` }] }).finalMessage();
    expect(final.stop_reason).toBe("end_turn");
    expect(final.content[0]?.type === "text" ? final.content[0].text.length : 0).toBeGreaterThan(10);
    expect(final.usage.output_tokens).toBeGreaterThan(0);
    const [sent] = await upstreamRequests(mark);
    expect(sent?.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  });

  it("gets tool_use blocks, streamed and not", async () => {
    const question = { role: "user" as const, content: "Use get_weather and get_time for Fargo" };
    const plain = await anthropic.messages.create({ model: "gpt-4o-mini", max_tokens: 300, tools: anthropicTools, messages: [question] });
    expect(plain.stop_reason).toBe("tool_use");
    expect(plain.content.filter((b) => b.type === "tool_use")).toHaveLength(2);
    const streamed = await anthropic.messages.stream({ model: "gpt-4o-mini", max_tokens: 300, tools: anthropicTools, messages: [question] }).finalMessage();
    const uses = streamed.content.filter((b) => b.type === "tool_use");
    expect(uses.map((b) => (b.type === "tool_use" ? b.name : "")).sort()).toEqual(["get_time", "get_weather"]);
    for (const b of uses) if (b.type === "tool_use") expect(b.input).toHaveProperty("city");
  });
});

describe("a Responses client calling a Claude model", () => {
  it("gets a response and a streamed response, served through Anthropic Messages", async () => {
    const mark = marker();
    const response = await openai.responses.create({ model: "claude-3-5-haiku-latest", input: `Do you buy used cars? ${mark}`, max_output_tokens: 300 });
    expect(response.status).toBe("completed");
    expect(response.output_text.length).toBeGreaterThan(10);
    const [sent] = await upstreamRequests(mark);
    expect(sent?.path).toBe("/anthropic/v1/messages");
    const final = await openai.responses.stream({ model: "claude-3-5-haiku-latest", input: "And do you take trade-ins?" }).finalResponse();
    expect(final.status).toBe("completed");
    expect(final.output_text.length).toBeGreaterThan(10);
  });
});
