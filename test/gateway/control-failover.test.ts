import { env } from "cloudflare:workers";
import { APIError } from "openai";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createTestTenant } from "../helpers/fixtures";
import { addScenario, api, eventually, listCost, marker, openaiClient, ownProviderKeys, putRouting, requestId, upstreamRequests, waitForUsage } from "./helpers";

const MINI = "openai/gpt-4o-mini";
const HAIKU = "anthropic/claude-3-5-haiku-latest";

/** A tenant (with its own provider keys, so its circuits are its own) whose calls fall back from gpt-4o-mini to Claude Haiku. */
async function fallbackTenant(firstTarget: string, extra = "") {
  const tenant = await createTestTenant("Failover Motors");
  await ownProviderKeys(tenant.tenantId);
  await putRouting(
    tenant.adminKey,
    `rules:
  - name: mini-then-haiku
    strategy: fallback
${extra}    targets:
${firstTarget}
      - ${HAIKU}
`,
  );
  return { ...tenant, client: openaiClient(tenant.gatewayKey) };
}

const plainFirst = `      - ${MINI}\n`;

function ask(text: string) {
  return { model: "gpt-4o-mini", messages: [{ role: "user" as const, content: `Is the 2024 Civic Sport still on the lot? ${text}` }] };
}

function askStreamed(text: string) {
  return { ...ask(text), stream: true as const };
}

const modelOf = z.object({ model: z.string() });
/** Which models the simulator was asked for, in order, for requests carrying `text`. */
async function modelsTried(text: string): Promise<string[]> {
  return (await upstreamRequests(text)).map((r) => `${r.provider}/${modelOf.parse(r.body).model}`);
}

const healthRows = z.object({ data: z.array(z.object({ key: z.string(), circuit: z.string(), failuresByKind: z.record(z.string(), z.number()) })) });
async function failuresOf(adminKey: string, key: string): Promise<Record<string, number>> {
  const res = await api(adminKey, "GET", "/gateway/health");
  return healthRows.parse(await res.json()).data.find((r) => r.key === key)?.failuresByKind ?? {};
}

describe("failover across a fallback rule", { timeout: 30_000 }, () => {
  it.each([429, 500, 503])("serves a %i storm on the first target from the second, with headers and an exact bill", async (status) => {
    const t = await fallbackTenant(plainFirst);
    const text = marker();
    await addScenario({ match: { text, model: "gpt-4o-mini" }, status });
    const rid = requestId();
    const { data, response } = await t.client.chat.completions.create(ask(text), { headers: { "x-request-id": rid } }).withResponse();
    expect(data.choices[0]?.message.content?.length).toBeGreaterThan(10);
    expect(response.headers.get("x-auterity-provider")).toBe("anthropic");
    expect(response.headers.get("x-auterity-model")).toBe("claude-3-5-haiku-latest");
    expect(response.headers.get("x-auterity-attempts")).toBe("2");
    expect(response.headers.get("x-auterity-rule")).toBe("mini-then-haiku");
    expect(response.headers.get("x-auterity-strategy")).toBe("fallback");
    expect(await modelsTried(text)).toEqual(["openai/gpt-4o-mini", "anthropic/claude-3-5-haiku-latest"]);

    const row = await waitForUsage(rid);
    expect(row).toMatchObject({ status: 200, attempts: 2, provider: "anthropic", model_requested: "gpt-4o-mini", model_served: "claude-3-5-haiku-latest", error_code: null });
    expect([row.input_tokens, row.output_tokens]).toEqual([data.usage?.prompt_tokens, data.usage?.completion_tokens]);
    expect(row.cost_nano_usd).toBe(listCost(row));
    expect(row.cost_nano_usd).toBeGreaterThan(0);
    expect(response.headers.get("x-auterity-cost-usd")).toBe((row.cost_nano_usd / 1e9).toFixed(9));
  });

  it("fails over when the first target's first byte comes later than the rule's timeout", async () => {
    const t = await fallbackTenant(plainFirst, "    timeout_ms: 400\n");
    const text = marker();
    await addScenario({ match: { text, model: "gpt-4o-mini" }, latencyMs: 5_000, times: 1 });
    const rid = requestId();
    const { data, response } = await t.client.chat.completions.create(ask(text), { headers: { "x-request-id": rid } }).withResponse();
    expect(data.choices[0]?.finish_reason).toBe("stop");
    expect(response.headers.get("x-auterity-provider")).toBe("anthropic");
    expect(response.headers.get("x-auterity-attempts")).toBe("2");
    const row = await waitForUsage(rid);
    expect(row).toMatchObject({ status: 200, attempts: 2, model_served: "claude-3-5-haiku-latest" });
    expect(row.cost_nano_usd).toBe(listCost(row));
    const failures = await eventually(() => failuresOf(t.adminKey, `${t.tenantId}:openai/gpt-4o-mini`), (f) => f.timeout === 1, "timeout reported to the circuit");
    expect(failures.server_error).toBe(0);
  });

  it("fails over a stream that is cut before its first byte; the client reads a whole answer", async () => {
    const t = await fallbackTenant(plainFirst);
    const text = marker();
    await addScenario({ match: { text, model: "gpt-4o-mini" }, cutAfterChunks: 0, times: 1 });
    const rid = requestId();
    const { data: stream, response } = await t.client.chat.completions.create(askStreamed(text), { headers: { "x-request-id": rid } }).withResponse();
    expect(response.headers.get("x-auterity-provider")).toBe("anthropic");
    expect(response.headers.get("x-auterity-attempts")).toBe("2");
    let content = "";
    let finish: string | null = null;
    for await (const chunk of stream) {
      content += chunk.choices[0]?.delta.content ?? "";
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    expect(content.length).toBeGreaterThan(10);
    expect(finish).toBe("stop");
    expect(await modelsTried(text)).toEqual(["openai/gpt-4o-mini", "anthropic/claude-3-5-haiku-latest"]);
    const row = await waitForUsage(rid);
    expect(row).toMatchObject({ status: 200, attempts: 2, stream: 1, model_served: "claude-3-5-haiku-latest" });
    expect(row.output_tokens).toBeGreaterThan(0);
    expect(row.cost_nano_usd).toBe(listCost(row));
  });

  it("ends a stream cut after its first bytes with an error the openai SDK throws, never a clean finish", async () => {
    const t = await fallbackTenant(plainFirst);
    const text = marker();
    await addScenario({ match: { text, model: "gpt-4o-mini" }, cutAfterChunks: 3, times: 1 });
    const rid = requestId();
    const { data: stream, response } = await t.client.chat.completions.create(askStreamed(text), { headers: { "x-request-id": rid } }).withResponse();
    expect(response.headers.get("x-auterity-provider")).toBe("openai");
    let content = "";
    const read = async () => {
      for await (const chunk of stream) content += chunk.choices[0]?.delta.content ?? "";
    };
    const err = await read().then(() => "finished cleanly", (e: unknown) => e);
    expect(err).toBeInstanceOf(APIError);
    expect(content.length).toBeGreaterThan(0);
    // Bytes had reached the client: nothing else may be tried.
    expect(await modelsTried(text)).toEqual(["openai/gpt-4o-mini"]);
    expect(await waitForUsage(rid)).toMatchObject({ status: 502, error_code: "stream_interrupted", stream: 1, model_served: "gpt-4o-mini" });
    await eventually(() => failuresOf(t.adminKey, `${t.tenantId}:openai/gpt-4o-mini`), (f) => f.stream_cut === 1, "stream cut reported to the circuit");
  });
});

describe("retries on the same target", { timeout: 30_000 }, () => {
  const retrying = (maxDelayMs: number) => `      - model: ${MINI}
        retry: { attempts: 2, backoff: constant, delay_ms: 0, max_delay_ms: ${maxDelayMs}, on: [429], honor_retry_after: true }
`;

  it("retries a 429 on the same target after its Retry-After, and bills one answer", async () => {
    const t = await fallbackTenant(retrying(5_000));
    const text = marker();
    await addScenario({ match: { text, model: "gpt-4o-mini" }, status: 429, retryAfter: 1, times: 1 });
    const rid = requestId();
    const { data, response } = await t.client.chat.completions.create(ask(text), { headers: { "x-request-id": rid } }).withResponse();
    expect(data.choices[0]?.message.content?.length).toBeGreaterThan(10);
    expect(response.headers.get("x-auterity-provider")).toBe("openai");
    expect(response.headers.get("x-auterity-attempts")).toBe("2");
    const seen = await upstreamRequests(text);
    expect(seen.map((r) => r.provider)).toEqual(["openai", "openai"]);
    const row = await waitForUsage(rid);
    expect(row).toMatchObject({ status: 200, attempts: 2, model_served: "gpt-4o-mini" });
    expect(row.cost_nano_usd).toBe(listCost(row));
    // The retry waited for the second the provider asked for (delay_ms alone is 0).
    const [first = 0, second = 0] = await simTimes(text);
    expect(second - first).toBeGreaterThanOrEqual(1_000);
  });

  it("moves on to the next target when Retry-After asks for longer than max_delay_ms", async () => {
    const t = await fallbackTenant(retrying(500));
    const text = marker();
    await addScenario({ match: { text, model: "gpt-4o-mini" }, status: 429, retryAfter: 30, times: 1 });
    const { response } = await t.client.chat.completions.create(ask(text)).withResponse();
    expect(response.headers.get("x-auterity-provider")).toBe("anthropic");
    expect(response.headers.get("x-auterity-attempts")).toBe("2");
    expect(await modelsTried(text)).toEqual(["openai/gpt-4o-mini", "anthropic/claude-3-5-haiku-latest"]);
  });

  it("answers the last error in the caller's format when every target fails", async () => {
    const t = await fallbackTenant(plainFirst);
    const text = marker();
    await addScenario({ match: { text }, status: 503 });
    const rid = requestId();
    const err = await t.client.chat.completions.create(ask(text), { headers: { "x-request-id": rid } }).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(APIError);
    expect(err instanceof APIError && [err.status, err.error]).toEqual([502, expect.objectContaining({ code: "upstream_error", type: "api_error" })]);
    expect(await modelsTried(text)).toEqual(["openai/gpt-4o-mini", "anthropic/claude-3-5-haiku-latest"]);
    expect(await waitForUsage(rid)).toMatchObject({ status: 502, attempts: 2, cost_nano_usd: 0 });
  });
});

const timed = z.object({ data: z.array(z.object({ at: z.number() })) });
/** When the simulator received each request carrying `text` (its own clock). */
async function simTimes(text: string): Promise<number[]> {
  const res = await fetch(`${env.SIM_URL}/_sim/requests?limit=10&contains=${encodeURIComponent(text)}`);
  return timed.parse(await res.json()).data.map((r) => r.at);
}
