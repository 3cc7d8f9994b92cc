import { env } from "cloudflare:workers";
import type OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { createTestTenant } from "../helpers/fixtures";
import { anthropicClient, eventually, marker, openaiClient, putRouting, requestId, upstreamRequests, waitForUsage } from "./helpers";

const CACHE_ON = { "x-auterity-cache": "on" };

function question(text: string) {
  return { model: "gpt-4o-mini", messages: [{ role: "user" as const, content: `What does the 60k-mile service include? ${text}` }] };
}

/** Waits until the tenant has `count` cached answers: they are written after the response has gone out. */
async function cachedAnswers(tenantId: string, count: number): Promise<void> {
  await eventually(async () => (await env.CACHE.list({ prefix: `gw-cache:${tenantId}:` })).keys.length, (n) => n >= count, "answer cached");
}

async function streamed(client: OpenAI, text: string, headers: Record<string, string>) {
  const { data, response } = await client.chat.completions.create({ ...question(text), stream: true }, { headers }).withResponse();
  let content = "";
  let finish: string | null = null;
  for await (const chunk of data) {
    content += chunk.choices[0]?.delta.content ?? "";
    finish = chunk.choices[0]?.finish_reason ?? finish;
  }
  return { content, finish, headers: response.headers };
}

describe("the response cache through /v1", { timeout: 30_000 }, () => {
  it("answers the second identical call from the cache, for free, and logs it as a hit", async () => {
    const tenant = await createTestTenant("Cache Motors");
    const client = openaiClient(tenant.gatewayKey);
    const text = marker();

    const first = await client.chat.completions.create(question(text), { headers: CACHE_ON }).withResponse();
    expect(first.response.headers.get("x-auterity-cache")).toBe("miss");
    expect(Number(first.response.headers.get("x-auterity-cost-usd"))).toBeGreaterThan(0);
    await cachedAnswers(tenant.tenantId, 1);

    const rid = requestId();
    const second = await client.chat.completions.create(question(text), { headers: { ...CACHE_ON, "x-request-id": rid } }).withResponse();
    expect(second.data).toEqual(first.data);
    expect(second.response.headers.get("x-auterity-cache")).toBe("hit");
    expect(second.response.headers.get("x-auterity-cost-usd")).toBe("0.000000000");
    expect(second.response.headers.get("x-auterity-attempts")).toBe("0");
    expect(second.response.headers.get("x-auterity-provider")).toBe("openai");
    expect(second.response.headers.get("x-auterity-model")).toBe("gpt-4o-mini");
    expect((await upstreamRequests(text)).length).toBe(1);
    const row = await waitForUsage(rid);
    expect(row).toMatchObject({ status: 200, cache_hit: 1, cost_nano_usd: 0, attempts: 0, model_served: "gpt-4o-mini" });
    expect([row.input_tokens, row.output_tokens]).toEqual([first.data.usage?.prompt_tokens, first.data.usage?.completion_tokens]);
  });

  it("replays a hit to a streaming request as a stream the openai SDK reads", async () => {
    const tenant = await createTestTenant("Cache Motors");
    const client = openaiClient(tenant.gatewayKey);
    const text = marker();
    const stored = await client.chat.completions.create(question(text), { headers: CACHE_ON });
    await cachedAnswers(tenant.tenantId, 1);

    const rid = requestId();
    const replay = await streamed(client, text, { ...CACHE_ON, "x-request-id": rid });
    expect(replay.headers.get("x-auterity-cache")).toBe("hit");
    expect(replay.headers.get("content-type")).toContain("text/event-stream");
    expect(replay.content).toBe(stored.choices[0]?.message.content);
    expect(replay.finish).toBe("stop");
    expect((await upstreamRequests(text)).length).toBe(1);
    expect(await waitForUsage(rid)).toMatchObject({ cache_hit: 1, cost_nano_usd: 0, stream: 1, status: 200 });
  });

  it("stays out of the way without the header, with 'off', and for a different question", async () => {
    const tenant = await createTestTenant("Cache Motors");
    const client = openaiClient(tenant.gatewayKey);
    const text = marker();
    await client.chat.completions.create(question(text), { headers: CACHE_ON });
    const plain = await client.chat.completions.create(question(text)).withResponse();
    expect(plain.response.headers.get("x-auterity-cache")).toBe("off");
    const off = await client.chat.completions.create(question(text), { headers: { "x-auterity-cache": "off" } }).withResponse();
    expect(off.response.headers.get("x-auterity-cache")).toBe("off");
    const other = await client.chat.completions.create(question(`${text} and brakes`), { headers: CACHE_ON }).withResponse();
    expect(other.response.headers.get("x-auterity-cache")).toBe("miss");
    expect((await upstreamRequests(text)).length).toBe(4);
  });

  it("keeps one tenant's cached answers from another", async () => {
    const a = await createTestTenant("Cache Motors");
    const b = await createTestTenant("Other Motors");
    const text = marker();
    await openaiClient(a.gatewayKey).chat.completions.create(question(text), { headers: CACHE_ON });
    await cachedAnswers(a.tenantId, 1);
    const theirs = await openaiClient(b.gatewayKey).chat.completions.create(question(text), { headers: CACHE_ON }).withResponse();
    expect(theirs.response.headers.get("x-auterity-cache")).toBe("miss");
    expect((await upstreamRequests(text)).length).toBe(2);
  });

  it("refuses a malformed cache header in the caller's format", async () => {
    const tenant = await createTestTenant("Cache Motors");
    const text = marker();
    const err = await openaiClient(tenant.gatewayKey)
      .chat.completions.create(question(text), { headers: { "x-auterity-cache": "sometimes" } })
      .then(() => null, (e: unknown) => e);
    expect(err).toMatchObject({ status: 400, error: { code: "validation_failed", message: expect.stringContaining("x-auterity-cache") } });
    expect(await upstreamRequests(text)).toEqual([]);
  });
});

describe("a routing rule with a cache", { timeout: 30_000 }, () => {
  it("caches the calls it matches without any header, names itself, and yields to 'off'", async () => {
    const tenant = await createTestTenant("Cache Motors");
    await putRouting(
      tenant.adminKey,
      `rules:
  - name: faq-answers
    match: { task: faq }
    targets: [$requested]
    cache: { ttl_seconds: 600 }
`,
    );
    const client = openaiClient(tenant.gatewayKey);
    const text = marker();
    const faq = { "x-auterity-task": "faq" };
    const first = await client.chat.completions.create(question(text), { headers: faq }).withResponse();
    expect(first.response.headers.get("x-auterity-rule")).toBe("faq-answers");
    expect(first.response.headers.get("x-auterity-cache")).toBe("miss");
    await cachedAnswers(tenant.tenantId, 1);
    const second = await client.chat.completions.create(question(text), { headers: faq }).withResponse();
    expect(second.response.headers.get("x-auterity-cache")).toBe("hit");
    expect(second.data).toEqual(first.data);
    const off = await client.chat.completions.create(question(text), { headers: { ...faq, "x-auterity-cache": "off" } }).withResponse();
    expect(off.response.headers.get("x-auterity-cache")).toBe("off");
    const unmatched = await client.chat.completions.create(question(text)).withResponse();
    expect([unmatched.response.headers.get("x-auterity-rule"), unmatched.response.headers.get("x-auterity-cache")]).toEqual(["none", "off"]);
    expect((await upstreamRequests(text)).length).toBe(3);
  });

  it("serves an Anthropic client its own cached message", async () => {
    const tenant = await createTestTenant("Cache Motors");
    const client = anthropicClient(tenant.gatewayKey);
    const text = marker();
    const body = { model: "claude-3-5-haiku-latest", max_tokens: 200, messages: [{ role: "user" as const, content: `Do you service hybrids? ${text}` }] };
    const first = await client.messages.create(body, { headers: CACHE_ON }).withResponse();
    await cachedAnswers(tenant.tenantId, 1);
    const second = await client.messages.create(body, { headers: CACHE_ON }).withResponse();
    expect(second.response.headers.get("x-auterity-cache")).toBe("hit");
    expect(second.data).toEqual(first.data);
    const replay = await client.messages.stream(body, { headers: CACHE_ON }).finalMessage();
    expect(replay.content).toEqual(first.data.content);
    expect((await upstreamRequests(text)).length).toBe(1);
  });
});
