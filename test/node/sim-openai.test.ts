import OpenAI, { AuthenticationError, BadRequestError, NotFoundError } from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { startSim, type RunningSim } from "../../sim/server.ts";

let sim: RunningSim;
let client: OpenAI;

beforeAll(async () => {
  sim = await startSim({ port: 0 });
  client = new OpenAI({ apiKey: "sk-test", baseURL: `${sim.url}/openai/v1`, maxRetries: 0 });
});
afterAll(() => sim.close());

const weatherArgs = z.object({ location: z.string(), unit: z.enum(["celsius", "fahrenheit"]), days: z.number().int().min(1).max(7) }).strict();
const weatherTool = {
  type: "function" as const,
  function: { name: "get_weather", description: "Weather for a city", parameters: z.toJSONSchema(weatherArgs) },
};
const lookupTool = {
  type: "function" as const,
  function: { name: "lookup_vin", description: "Decode a VIN", parameters: { type: "object", properties: { vin: { type: "string", minLength: 17 } }, required: ["vin"] } },
};
const ask = (content: string) => [{ role: "user" as const, content }];

describe("chat completions", () => {
  it("answers deterministically with usage that adds up", async () => {
    const req = { model: "gpt-4o-mini", messages: ask("Do you have a 2022 RAV4 in stock?") };
    const a = await client.chat.completions.create(req);
    const b = await client.chat.completions.create(req);
    expect(a.object).toBe("chat.completion");
    expect(a.id).toMatch(/^chatcmpl-/);
    expect(a.choices[0]?.message.content).toContain("2022 RAV4");
    expect(a.choices[0]?.finish_reason).toBe("stop");
    expect(a.choices[0]?.message.content).toBe(b.choices[0]?.message.content);
    expect(a.usage?.total_tokens).toBe((a.usage?.prompt_tokens ?? 0) + (a.usage?.completion_tokens ?? 0));
    expect(a.usage?.prompt_tokens_details?.cached_tokens).toBe(0);
    const other = await client.chat.completions.create({ ...req, model: "gpt-4o" });
    expect(other.choices[0]?.message.content).not.toBe(a.choices[0]?.message.content);
  });

  it("streams role, content, finish and a usage chunk matching the non-stream answer", async () => {
    const messages = ask("When is my next service due?");
    const whole = await client.chat.completions.create({ model: "gpt-4o", messages });
    const stream = await client.chat.completions.create({ model: "gpt-4o", messages, stream: true, stream_options: { include_usage: true } });
    const chunks = [];
    for await (const c of stream) chunks.push(c);
    expect(chunks[0]?.choices[0]?.delta.role).toBe("assistant");
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? "").join("");
    expect(text).toBe(whole.choices[0]?.message.content);
    expect(chunks.filter((c) => c.choices[0]?.delta.content).length).toBeGreaterThan(3);
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe("stop");
    const last = chunks.at(-1);
    expect(last?.choices).toEqual([]);
    expect(last?.usage).toEqual(whole.usage);
  });

  it("omits the usage chunk unless asked for", async () => {
    const stream = await client.chat.completions.create({ model: "gpt-4o", messages: ask("hi"), stream: true });
    const chunks = [];
    for await (const c of stream) chunks.push(c);
    expect(chunks.every((c) => c.choices.length === 1 && !c.usage)).toBe(true);
  });

  it("truncates at max_tokens with finish_reason length", async () => {
    const r = await client.chat.completions.create({ model: "gpt-4o", messages: ask("Tell me about leasing"), max_completion_tokens: 5 });
    expect(r.choices[0]?.finish_reason).toBe("length");
    expect(r.usage?.completion_tokens).toBe(5);
    expect(r.choices[0]?.message.content?.length).toBe(20);
  });

  it("stops before a stop sequence", async () => {
    const r = await client.chat.completions.create({ model: "gpt-4o", messages: ask("trade-in"), stop: ["Thanks for"] });
    expect(r.choices[0]?.message.content).toBe("");
    expect(r.choices[0]?.finish_reason).toBe("stop");
  });
});

describe("chat tools", () => {
  it("calls a tool the user names, with arguments valid against its schema", async () => {
    const r = await client.chat.completions.create({ model: "gpt-4.1", messages: ask("What's the weather in Austin?"), tools: [weatherTool, lookupTool] });
    const calls = r.choices[0]?.message.tool_calls ?? [];
    expect(r.choices[0]?.finish_reason).toBe("tool_calls");
    expect(r.choices[0]?.message.content).toBeNull();
    expect(calls).toHaveLength(1);
    const call = calls[0];
    if (call?.type !== "function") throw new Error("expected a function call");
    expect(call.function.name).toBe("get_weather");
    expect(call.id).toMatch(/^call_/);
    expect(weatherArgs.safeParse(JSON.parse(call.function.arguments)).success).toBe(true);
  });

  it("makes parallel calls for two named tools, one when parallel_tool_calls is false", async () => {
    const messages = ask("Use get_weather and lookup_vin please");
    const both = await client.chat.completions.create({ model: "gpt-4.1", messages, tools: [weatherTool, lookupTool] });
    expect(both.choices[0]?.message.tool_calls?.map((c) => (c.type === "function" ? c.function.name : ""))).toEqual(["get_weather", "lookup_vin"]);
    const one = await client.chat.completions.create({ model: "gpt-4.1", messages, tools: [weatherTool, lookupTool], parallel_tool_calls: false });
    expect(one.choices[0]?.message.tool_calls).toHaveLength(1);
  });

  it("honours forced, required and none tool_choice", async () => {
    const tools = [weatherTool, lookupTool];
    const forced = await client.chat.completions.create({ model: "gpt-4o", messages: ask("hello"), tools, tool_choice: { type: "function", function: { name: "lookup_vin" } } });
    const fc = forced.choices[0]?.message.tool_calls?.[0];
    expect(fc?.type === "function" && fc.function.name).toBe("lookup_vin");
    expect(fc?.type === "function" && JSON.parse(fc.function.arguments).vin.length).toBeGreaterThanOrEqual(17);
    const required = await client.chat.completions.create({ model: "gpt-4o", messages: ask("hello"), tools, tool_choice: "required" });
    expect(required.choices[0]?.message.tool_calls).toHaveLength(1);
    const none = await client.chat.completions.create({ model: "gpt-4o", messages: ask("weather in get_weather"), tools, tool_choice: "none" });
    expect(none.choices[0]?.message.tool_calls).toBeUndefined();
    const auto = await client.chat.completions.create({ model: "gpt-4o", messages: ask("hello there"), tools });
    expect(auto.choices[0]?.message.tool_calls).toBeUndefined();
  });

  it("streams tool calls in OpenAI's delta shape", async () => {
    const stream = client.chat.completions.stream({ model: "gpt-4o", messages: ask("weather?"), tools: [weatherTool] });
    const final = await stream.finalChatCompletion();
    const call = final.choices[0]?.message.tool_calls?.[0];
    expect(final.choices[0]?.finish_reason).toBe("tool_calls");
    expect(call?.type === "function" && weatherArgs.parse(JSON.parse(call.function.arguments)).location).toBe("Austin, TX");
  });

  it("answers a tool result in text that mentions it", async () => {
    const r = await client.chat.completions.create({
      model: "gpt-4o",
      tools: [weatherTool],
      messages: [
        { role: "user", content: "weather in Austin?" },
        { role: "assistant", content: null, tool_calls: [{ id: "call_1", type: "function", function: { name: "get_weather", arguments: "{}" } }] },
        { role: "tool", tool_call_id: "call_1", content: "Sunny, 31C" },
      ],
    });
    expect(r.choices[0]?.message.tool_calls).toBeUndefined();
    expect(r.choices[0]?.message.content).toContain("Sunny, 31C");
  });
});

describe("structured output", () => {
  it("returns a JSON object for json_object and schema-valid JSON for json_schema", async () => {
    const obj = await client.chat.completions.create({ model: "gpt-4o", messages: ask("Summarise as JSON"), response_format: { type: "json_object" } });
    expect(typeof JSON.parse(obj.choices[0]?.message.content ?? "")).toBe("object");
    const lead = z.object({ name: z.string(), email: z.email(), score: z.number().min(0).max(100), tags: z.array(z.string()).min(2), intent: z.enum(["buy", "service"]) }).strict();
    const r = await client.chat.completions.create({
      model: "gpt-4o",
      messages: ask("Extract the lead"),
      response_format: { type: "json_schema", json_schema: { name: "lead", strict: true, schema: z.toJSONSchema(lead) } },
    });
    expect(lead.safeParse(JSON.parse(r.choices[0]?.message.content ?? "")).success).toBe(true);
  });
});

describe("responses", () => {
  it("answers string input with a completed response and consistent usage", async () => {
    const r = await client.responses.create({ model: "gpt-4.1-mini", input: "Can I book a test drive?", instructions: "Be brief" });
    expect(r.id).toMatch(/^resp_/);
    expect(r.object).toBe("response");
    expect(r.status).toBe("completed");
    expect(r.output_text).toContain("test drive");
    expect(r.usage?.total_tokens).toBe((r.usage?.input_tokens ?? 0) + (r.usage?.output_tokens ?? 0));
    expect(r.usage?.output_tokens_details.reasoning_tokens).toBe(0);
  });

  it("streams the event sequence with increasing sequence numbers", async () => {
    const input = [{ role: "user" as const, content: [{ type: "input_text" as const, text: "Hours of the service department?" }] }];
    const whole = await client.responses.create({ model: "gpt-4o", input });
    const stream = await client.responses.create({ model: "gpt-4o", input, stream: true });
    const events = [];
    for await (const e of stream) events.push(e);
    const types = [...new Set(events.map((e) => e.type))];
    expect(types).toEqual([
      "response.created", "response.in_progress", "response.output_item.added", "response.content_part.added",
      "response.output_text.delta", "response.output_text.done", "response.content_part.done", "response.output_item.done", "response.completed",
    ]);
    expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
    const text = events.flatMap((e) => (e.type === "response.output_text.delta" ? [e.delta] : [])).join("");
    expect(text).toBe(whole.output_text);
    const done = events.at(-1);
    expect(done?.type === "response.completed" && done.response.usage).toEqual(whole.usage);
  });

  it("calls function tools and answers their output", async () => {
    const tools = [{ type: "function" as const, name: "get_weather", parameters: z.toJSONSchema(weatherArgs), strict: true }];
    const r = await client.responses.create({ model: "gpt-4o", input: "weather in Austin", tools });
    const call = r.output[0];
    if (call?.type !== "function_call") throw new Error("expected a function call");
    expect(weatherArgs.safeParse(JSON.parse(call.arguments)).success).toBe(true);
    const stream = client.responses.stream({ model: "gpt-4o", input: "weather in Austin", tools });
    const streamed = (await stream.finalResponse()).output[0];
    expect(streamed?.type === "function_call" && streamed.arguments).toBe(call.arguments);
    const next = await client.responses.create({
      model: "gpt-4o",
      tools,
      input: [
        { role: "user", content: "weather in Austin" },
        { type: "function_call", call_id: call.call_id, name: call.name, arguments: call.arguments },
        { type: "function_call_output", call_id: call.call_id, output: "Rain, 18C" },
      ],
    });
    expect(next.output_text).toContain("Rain, 18C");
  });

  it("reports incomplete when max_output_tokens cuts the text", async () => {
    const r = await client.responses.create({ model: "gpt-4o", input: "Explain financing", max_output_tokens: 16 });
    expect(r.status).toBe("incomplete");
    expect(r.incomplete_details?.reason).toBe("max_output_tokens");
    expect(r.usage?.output_tokens).toBe(16);
  });
});

describe("embeddings", () => {
  const norm = (v: number[]) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));

  it("decodes the SDK's default base64 into deterministic unit vectors", async () => {
    const r = await client.embeddings.create({ model: "text-embedding-3-small", input: ["brake pads", "brake pads", "oil change"] });
    const [a, b, c] = r.data.map((d) => d.embedding);
    expect(a).toHaveLength(1536);
    expect(norm(a ?? [])).toBeCloseTo(1, 5);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(r.usage.prompt_tokens).toBeGreaterThan(0);
  });

  it("honours dimensions, float encoding and the large model's default size", async () => {
    const small = await client.embeddings.create({ model: "text-embedding-3-small", input: "tires", dimensions: 256, encoding_format: "float" });
    expect(small.data[0]?.embedding).toHaveLength(256);
    const large = await client.embeddings.create({ model: "text-embedding-3-large", input: [[1, 2, 3]] });
    expect(large.data[0]?.embedding).toHaveLength(3072);
    await expect(client.embeddings.create({ model: "gpt-4o", input: "x" })).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe("models and errors", () => {
  it("lists and retrieves models, 404 for unknown ones", async () => {
    const ids = [];
    for await (const m of client.models.list()) ids.push(m.id);
    expect(ids).toEqual(expect.arrayContaining(["gpt-4o", "o4-mini", "text-embedding-3-large"]));
    expect((await client.models.retrieve("ft:gpt-4o-mini:dealer:v1")).id).toBe("ft:gpt-4o-mini:dealer:v1");
    await expect(client.models.retrieve("gpt-99")).rejects.toBeInstanceOf(NotFoundError);
  });

  it("answers unknown models, missing keys and bad bodies in OpenAI's error format", async () => {
    const notFound = await client.chat.completions.create({ model: "gpt-99", messages: ask("hi") }).catch((e: unknown) => e);
    expect(notFound).toBeInstanceOf(NotFoundError);
    expect(notFound instanceof NotFoundError && notFound.code).toBe("model_not_found");
    expect(notFound instanceof NotFoundError && notFound.requestID).toMatch(/^req_/);
    const custom = await client.chat.completions.create({ model: "sim-dealer-7b", messages: ask("hi") });
    expect(custom.model).toBe("sim-dealer-7b");
    const anon = new OpenAI({ apiKey: "x", baseURL: client.baseURL, maxRetries: 0, defaultHeaders: { authorization: null } });
    await expect(anon.chat.completions.create({ model: "gpt-4o", messages: ask("hi") })).rejects.toBeInstanceOf(AuthenticationError);
    // @ts-expect-error messages must be an array
    await expect(client.chat.completions.create({ model: "gpt-4o", messages: "hi" })).rejects.toBeInstanceOf(BadRequestError);
    const raw = await fetch(`${client.baseURL}/chat/completions`, { method: "POST", headers: { authorization: "Bearer k" }, body: "{not json" });
    expect(raw.status).toBe(400);
    expect(await raw.json()).toMatchObject({ error: { type: "invalid_request_error", param: null, code: null } });
  });
});
