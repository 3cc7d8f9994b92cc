import OpenAI from "openai";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestTenant } from "../helpers/fixtures";
import { marker, openaiClient, upstreamRequests } from "./helpers";

let client: OpenAI;

beforeAll(async () => {
  const tenant = await createTestTenant("Responses Motors");
  client = openaiClient(tenant.gatewayKey);
});

const lookupTool: OpenAI.Responses.FunctionTool = {
  type: "function",
  name: "lookup_vehicle",
  description: "Look up a vehicle by VIN",
  parameters: { type: "object", properties: { vin: { type: "string" } }, required: ["vin"], additionalProperties: false },
  strict: true,
};

describe("OpenAI Responses API through the gateway", () => {
  it("answers a plain request, sent upstream to the Responses API", async () => {
    const mark = marker();
    const response = await client.responses.create({ model: "gpt-4o-mini", input: `Is the F-150 still available? ${mark}`, instructions: "Be brief." });
    expect(response.object).toBe("response");
    expect(response.status).toBe("completed");
    expect(response.output_text.length).toBeGreaterThan(10);
    expect(response.usage?.input_tokens).toBeGreaterThan(0);
    const [sent] = await upstreamRequests(mark);
    expect(sent?.path).toBe("/openai/v1/responses");
  });

  it("streams the Responses event sequence the SDK's stream helper accepts", async () => {
    const stream = client.responses.stream({ model: "gpt-4o-mini", input: "Tell me about trade-in values" });
    let deltas = "";
    stream.on("response.output_text.delta", (e) => {
      deltas += e.delta;
    });
    const final = await stream.finalResponse();
    expect(final.status).toBe("completed");
    expect(deltas.length).toBeGreaterThan(10);
    expect(final.output_text).toBe(deltas);
  });

  it("returns function calls for tools", async () => {
    const response = await client.responses.create({ model: "gpt-4o-mini", input: "Please lookup_vehicle 1FTFW1E50PFA00001", tools: [lookupTool] });
    const call = response.output.find((o) => o.type === "function_call");
    expect(call?.type).toBe("function_call");
    if (call?.type !== "function_call") return;
    expect(call.name).toBe("lookup_vehicle");
    expect(JSON.parse(call.arguments)).toHaveProperty("vin");
  });

  it("refuses a request without input", async () => {
    await expect(client.post("/responses", { body: { model: "gpt-4o-mini" } })).rejects.toBeInstanceOf(OpenAI.BadRequestError);
  });
});

describe("embeddings through the gateway", () => {
  it("returns vectors the SDK decodes from base64 by default", async () => {
    const mark = marker();
    const res = await client.embeddings.create({ model: "text-embedding-3-small", input: ["Red 2022 Civic", mark] });
    expect(res.data).toHaveLength(2);
    expect(res.data[0]?.embedding).toHaveLength(1536);
    expect(res.data[0]?.embedding.every((x) => Number.isFinite(x))).toBe(true);
    expect(res.usage.prompt_tokens).toBeGreaterThan(0);
    const [sent] = await upstreamRequests(mark);
    expect(sent?.body).toMatchObject({ encoding_format: "base64" });
  });

  it("returns float vectors when asked, identical to the decoded base64 ones", async () => {
    const floats = await client.embeddings.create({ model: "text-embedding-3-small", input: "Blue Camry", encoding_format: "float" });
    const decoded = await client.embeddings.create({ model: "text-embedding-3-small", input: "Blue Camry" });
    expect(floats.data[0]?.embedding).toHaveLength(1536);
    const a = floats.data[0]?.embedding ?? [];
    const b = decoded.data[0]?.embedding ?? [];
    expect(a.map((x) => Math.fround(x))).toEqual(b);
  });

  it("asks for float upstream when a plain HTTP caller names no encoding, as the API's default", async () => {
    const mark = marker();
    const res = await client.post("/embeddings", { body: { model: "text-embedding-3-small", input: mark, dimensions: 8 } });
    expect(res).toMatchObject({ object: "list", data: [{ embedding: expect.any(Array) }] });
    const [sent] = await upstreamRequests(mark);
    expect(sent?.body).toMatchObject({ encoding_format: "float", dimensions: 8 });
  });

  it("refuses embeddings from a chat-only provider and input of the wrong type", async () => {
    await expect(client.embeddings.create({ model: "claude-3-5-haiku-latest", input: "hi" })).rejects.toBeInstanceOf(OpenAI.BadRequestError);
    await expect(client.post("/embeddings", { body: { model: "text-embedding-3-small", input: { text: "hi" } } })).rejects.toBeInstanceOf(OpenAI.BadRequestError);
  });
});
