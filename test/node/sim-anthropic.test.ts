import Anthropic, { AuthenticationError, BadRequestError, NotFoundError } from "@anthropic-ai/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { startSim, type RunningSim } from "../../sim/server.ts";

let sim: RunningSim;
let client: Anthropic;

beforeAll(async () => {
  sim = await startSim({ port: 0 });
  client = new Anthropic({ apiKey: "sk-ant-test", baseURL: `${sim.url}/anthropic`, maxRetries: 0 });
});
afterAll(() => sim.close());

const appointment = z.object({ date: z.string(), service: z.enum(["oil_change", "tires"]), vin: z.string().min(17) }).strict();
const tools = [
  { name: "book_service", description: "Book a service appointment", input_schema: { ...z.toJSONSchema(appointment), type: "object" as const } },
  { name: "get_weather", description: "Weather for a city", input_schema: { type: "object" as const, properties: { city: { type: "string" } }, required: ["city"] } },
];
const user = (content: string) => [{ role: "user" as const, content }];

describe("messages", () => {
  it("answers deterministically, with system prompt and usage", async () => {
    const req = { model: "claude-3-5-haiku-latest", max_tokens: 512, system: "You are a dealership assistant.", messages: user("Is the F-150 available?") };
    const a = await client.messages.create(req);
    const b = await client.messages.create(req);
    expect(a.id).toMatch(/^msg_/);
    expect(a.type).toBe("message");
    expect(a.stop_reason).toBe("end_turn");
    const text = a.content[0]?.type === "text" ? a.content[0].text : "";
    expect(text).toContain("F-150");
    expect(b.content).toEqual(a.content);
    expect(a.usage).toMatchObject({ cache_read_input_tokens: 0, cache_creation_input_tokens: 0 });
    const withBlocks = await client.messages.create({ ...req, system: [{ type: "text", text: "You are a dealership assistant." }] });
    expect(withBlocks.usage.input_tokens).toBe(a.usage.input_tokens);
    const count = await client.messages.countTokens({ model: req.model, system: req.system, messages: req.messages });
    expect(count.input_tokens).toBe(a.usage.input_tokens);
  });

  it("streams text deltas that finalMessage assembles into the non-stream answer", async () => {
    const req = { model: "claude-opus-4-1", max_tokens: 512, messages: user("What warranty comes with a CPO car?") };
    const whole = await client.messages.create(req);
    const events: string[] = [];
    const stream = client.messages.stream(req).on("streamEvent", (e) => events.push(e.type));
    const final = await stream.finalMessage();
    expect(final.content).toEqual(whole.content);
    expect(final.usage.output_tokens).toBe(whole.usage.output_tokens);
    expect(final.usage.input_tokens).toBe(whole.usage.input_tokens);
    expect(events.slice(0, 2)).toEqual(["message_start", "content_block_start"]);
    expect(events.slice(-3)).toEqual(["content_block_stop", "message_delta", "message_stop"]);
    expect(events.filter((t) => t === "content_block_delta").length).toBeGreaterThan(3);
  });

  it("sends event: lines as Anthropic does", async () => {
    const res = await fetch(`${sim.url}/anthropic/v1/messages`, {
      method: "POST",
      headers: { "x-api-key": "k", "anthropic-version": "2023-06-01", "content-type": "application/json" },
      body: JSON.stringify({ model: "claude-opus-4-1", max_tokens: 50, stream: true, messages: user("hi") }),
    });
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const body = await res.text();
    expect(body).toMatch(/^event: message_start\ndata: \{"type":"message_start"/);
    expect(body.split("\n\n")[1]).toBe('event: ping\ndata: {"type":"ping"}');
    expect(body.trimEnd().endsWith('event: message_stop\ndata: {"type":"message_stop"}')).toBe(true);
  });

  it("stops at max_tokens and at stop sequences", async () => {
    const cut = await client.messages.create({ model: "claude-3-haiku-20240307", max_tokens: 3, messages: user("Explain leasing") });
    expect(cut.stop_reason).toBe("max_tokens");
    expect(cut.usage.output_tokens).toBe(3);
    const stopped = await client.messages.create({ model: "claude-3-haiku-20240307", max_tokens: 300, stop_sequences: ["about"], messages: user("tires") });
    expect(stopped.stop_reason).toBe("stop_sequence");
    expect(stopped.stop_sequence).toBe("about");
    expect(stopped.content[0]?.type === "text" && stopped.content[0].text).toBe("Thanks for reaching out ");
  });
});

describe("tools", () => {
  it("narrates and calls a named tool on auto, with schema-valid input", async () => {
    const r = await client.messages.create({ model: "claude-3-5-sonnet-latest", max_tokens: 1024, tools, messages: user("Please book_service for my truck") });
    expect(r.stop_reason).toBe("tool_use");
    expect(r.content.map((b) => b.type)).toEqual(["text", "tool_use"]);
    const call = r.content[1];
    expect(call?.type === "tool_use" && call.id).toMatch(/^toolu_/);
    expect(call?.type === "tool_use" && appointment.safeParse(call.input).success).toBe(true);
  });

  it("forces a tool with {type:'tool'} and streams its input_json_delta", async () => {
    const req = { model: "claude-opus-4-1", max_tokens: 1024, tools, tool_choice: { type: "tool" as const, name: "book_service" }, messages: user("hello") };
    const whole = await client.messages.create(req);
    expect(whole.content.map((b) => b.type)).toEqual(["tool_use"]);
    const final = await client.messages.stream(req).finalMessage();
    const block = final.content[0];
    expect(block?.type === "tool_use" && block.input).toEqual(whole.content[0]?.type === "tool_use" && whole.content[0].input);
    expect(final.stop_reason).toBe("tool_use");
  });

  it("calls tools in parallel unless disabled, never with none, and answers tool results", async () => {
    const both = await client.messages.create({ model: "claude-opus-4-1", max_tokens: 1024, tools, tool_choice: { type: "any" }, messages: user("book service and get weather") });
    expect(both.content.filter((b) => b.type === "tool_use").map((b) => (b.type === "tool_use" ? b.name : ""))).toEqual(["book_service", "get_weather"]);
    const one = await client.messages.create({ model: "claude-opus-4-1", max_tokens: 1024, tools, tool_choice: { type: "any", disable_parallel_tool_use: true }, messages: user("book service and get weather") });
    expect(one.content.filter((b) => b.type === "tool_use")).toHaveLength(1);
    const none = await client.messages.create({ model: "claude-opus-4-1", max_tokens: 1024, tools, tool_choice: { type: "none" }, messages: user("get weather") });
    expect(none.stop_reason).toBe("end_turn");
    const after = await client.messages.create({
      model: "claude-opus-4-1",
      max_tokens: 1024,
      tools,
      messages: [
        { role: "user", content: "get weather in Dallas" },
        { role: "assistant", content: [{ type: "tool_use", id: "toolu_1", name: "get_weather", input: { city: "Dallas" } }] },
        { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_1", content: "Windy, 22C" }] },
      ],
    });
    expect(after.stop_reason).toBe("end_turn");
    expect(after.content[0]?.type === "text" && after.content[0].text).toContain("Windy, 22C");
  });
});

describe("errors", () => {
  it("requires max_tokens, a known model, a key and the version header", async () => {
    // @ts-expect-error max_tokens is required
    const missing = await client.messages.create({ model: "claude-opus-4-1", messages: user("hi") }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(BadRequestError);
    expect(missing instanceof BadRequestError && missing.error).toEqual({ type: "error", error: { type: "invalid_request_error", message: "max_tokens: Field required" } });
    expect(missing instanceof BadRequestError && missing.requestID).toMatch(/^req_/);
    const unknown = await client.messages.create({ model: "claude-9", max_tokens: 10, messages: user("hi") }).catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(NotFoundError);
    expect(unknown instanceof NotFoundError && unknown.error).toMatchObject({ error: { type: "not_found_error" } });
    const noKey = await fetch(`${sim.url}/anthropic/v1/messages`, { method: "POST", headers: { "anthropic-version": "2023-06-01" }, body: "{}" });
    expect(noKey.status).toBe(401);
    expect(await noKey.json()).toEqual({ type: "error", error: { type: "authentication_error", message: "x-api-key header is required" } });
    const noVersion = await fetch(`${sim.url}/anthropic/v1/messages`, { method: "POST", headers: { "x-api-key": "k" }, body: "{}" });
    expect(noVersion.status).toBe(400);
    const badKey = new Anthropic({ apiKey: "", authToken: null, baseURL: `${sim.url}/anthropic`, maxRetries: 0, defaultHeaders: { "x-api-key": null } });
    await expect(badKey.messages.create({ model: "claude-opus-4-1", max_tokens: 10, messages: user("hi") })).rejects.toBeInstanceOf(AuthenticationError);
  });

  it("accepts sim- and ft: models", async () => {
    const r = await client.messages.create({ model: "sim-claude-dealer", max_tokens: 100, messages: user("hi") });
    expect(r.model).toBe("sim-claude-dealer");
  });
});
