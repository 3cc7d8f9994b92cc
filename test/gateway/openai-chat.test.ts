import OpenAI from "openai";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestTenant } from "../helpers/fixtures";
import { addScenario, marker, openaiClient, requestId, upstreamRequests } from "./helpers";

let client: OpenAI;

beforeAll(async () => {
  const tenant = await createTestTenant("Chat Motors");
  client = openaiClient(tenant.gatewayKey);
});

const weatherTools: OpenAI.Chat.Completions.ChatCompletionTool[] = [
  {
    type: "function",
    function: {
      name: "get_weather",
      description: "Current weather for a city",
      parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
    },
  },
  {
    type: "function",
    function: {
      name: "get_time",
      description: "Local time for a city",
      parameters: { type: "object", properties: { city: { type: "string" }, format: { type: "string", enum: ["12h", "24h"] } }, required: ["city", "format"] },
    },
  },
];

describe("OpenAI chat completions through the gateway", () => {
  it("answers a plain completion and says who served it and what it cost", async () => {
    const { data, response } = await client.chat.completions
      .create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "Do you have the 2024 Tacoma in stock?" }] })
      .withResponse();
    expect(data.object).toBe("chat.completion");
    expect(data.choices[0]?.message.role).toBe("assistant");
    expect(data.choices[0]?.message.content?.length).toBeGreaterThan(10);
    expect(data.choices[0]?.finish_reason).toBe("stop");
    expect(data.usage?.prompt_tokens).toBeGreaterThan(0);
    expect(data.usage?.completion_tokens).toBeGreaterThan(0);
    expect(response.headers.get("x-auterity-provider")).toBe("openai");
    expect(response.headers.get("x-auterity-model")).toBe("gpt-4o-mini");
    expect(Number(response.headers.get("x-auterity-cost-usd"))).toBeGreaterThan(0);
    expect(response.headers.get("x-request-id")).toMatch(/^req_/);
  });

  it("streams chunks the SDK assembles, and asks the provider for stream usage", async () => {
    const mark = marker();
    const stream = await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: `Tell me about the service special ${mark}` }],
      stream: true,
    });
    let text = "";
    let chunks = 0;
    let finish: string | null = null;
    let usageChunks = 0;
    for await (const chunk of stream) {
      chunks++;
      text += chunk.choices[0]?.delta.content ?? "";
      finish = chunk.choices[0]?.finish_reason ?? finish;
      if (chunk.usage) usageChunks++;
    }
    expect(chunks).toBeGreaterThan(2);
    expect(text.length).toBeGreaterThan(10);
    expect(finish).toBe("stop");
    // The client did not ask for usage, so the usage chunk the gateway asked for is not passed on.
    expect(usageChunks).toBe(0);
    const [sent] = await upstreamRequests(mark);
    expect(sent?.path).toBe("/openai/v1/chat/completions");
    expect(sent?.body).toMatchObject({ model: "gpt-4o-mini", stream: true, stream_options: { include_usage: true } });
  });

  it("passes the usage chunk on when the client asked for it", async () => {
    const stream = await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "How much is an oil change?" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let usage: OpenAI.CompletionUsage | null | undefined = null;
    for await (const chunk of stream) usage = chunk.usage ?? usage;
    expect(usage?.prompt_tokens).toBeGreaterThan(0);
    expect(usage?.completion_tokens).toBeGreaterThan(0);
  });

  it("returns parallel tool calls with arguments that fit the tools' schemas", async () => {
    const completion = await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "What are get_weather and get_time for Austin?" }],
      tools: weatherTools,
    });
    const calls = completion.choices[0]?.message.tool_calls ?? [];
    expect(completion.choices[0]?.finish_reason).toBe("tool_calls");
    expect(calls.map((c) => (c.type === "function" ? c.function.name : c.type)).sort()).toEqual(["get_time", "get_weather"]);
    for (const call of calls) {
      if (call.type !== "function") throw new Error("expected a function call");
      const args: unknown = JSON.parse(call.function.arguments);
      expect(args).toHaveProperty("city");
    }
  });

  it("streams tool calls that the SDK's stream helper reassembles", async () => {
    const runner = client.chat.completions.stream({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "Use get_weather and get_time for Denver" }],
      tools: weatherTools,
    });
    const final = await runner.finalChatCompletion();
    const calls = final.choices[0]?.message.tool_calls ?? [];
    expect(calls).toHaveLength(2);
    for (const call of calls) {
      if (call.type !== "function") throw new Error("expected a function call");
      expect(() => JSON.parse(call.function.arguments)).not.toThrow();
      expect(call.id).toBeTruthy();
    }
  });

  it("answers a tool result with text", async () => {
    const completion = await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages: [
        { role: "user", content: "What is the weather in Austin?" },
        { role: "assistant", content: null, tool_calls: [{ id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Austin"}' } }] },
        { role: "tool", tool_call_id: "call_1", content: "Sunny, 75F" },
      ],
      tools: weatherTools,
    });
    expect(completion.choices[0]?.finish_reason).toBe("stop");
    expect(completion.choices[0]?.message.content).toContain("Sunny");
  });

  it("returns a JSON object in json_object mode", async () => {
    const completion = await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "Summarise this lead as JSON" }],
      response_format: { type: "json_object" },
    });
    const parsed: unknown = JSON.parse(completion.choices[0]?.message.content ?? "");
    expect(typeof parsed).toBe("object");
  });

  it("returns JSON that fits the schema in json_schema mode", async () => {
    const completion = await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "Score this lead" }],
      response_format: {
        type: "json_schema",
        json_schema: {
          name: "lead_score",
          schema: { type: "object", properties: { score: { type: "integer" }, reason: { type: "string" } }, required: ["score", "reason"], additionalProperties: false },
        },
      },
    });
    const parsed: unknown = JSON.parse(completion.choices[0]?.message.content ?? "");
    expect(parsed).toEqual({ score: expect.any(Number), reason: expect.any(String) });
  });

  it("passes fields it does not interpret through to the provider", async () => {
    const mark = marker();
    await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: `Hello ${mark}` }],
      temperature: 0.2,
      seed: 42,
      user: "dealer-7",
    });
    const [sent] = await upstreamRequests(mark);
    expect(sent?.body).toMatchObject({ temperature: 0.2, seed: 42, user: "dealer-7" });
  });

  it("makes the SDK's stream iteration throw when the provider cuts the stream", async () => {
    const mark = marker();
    await addScenario({ match: { text: mark }, cutAfterChunks: 2, times: 1 });
    const stream = await client.chat.completions.create(
      { model: "gpt-4o-mini", messages: [{ role: "user", content: `Write a long note ${mark}` }], stream: true },
      { headers: { "x-request-id": requestId() } },
    );
    const read = async () => {
      for await (const chunk of stream) void chunk;
    };
    await expect(read()).rejects.toThrow();
  });
});
