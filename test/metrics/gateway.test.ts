/**
 * Gateway series through real calls: the openai SDK against the Worker, the simulator
 * upstream, the usage queue's consumer counting what it writes. The tenant's own
 * OpenAI-compatible host has a name and a model no other test uses, so its series move by
 * exactly this file's calls.
 */
import { createExecutionContext, createMessageBatch, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type OpenAI from "openai";
import { beforeAll, describe, expect, it } from "vitest";
import type { UsageEvent } from "../../workers/gateway/usage";
import worker from "../../workers/index";
import { randomString } from "../../workers/lib/ids";
import { createTestTenant, type TestTenant } from "../helpers/fixtures";
import { addProvider, addScenario, api, marker, openaiClient, simOpenAIBaseUrl, upstreamRequests, waitForUsage } from "../gateway/helpers";
import { delta, scrape, scrapeUntil, seriesOf, valueOf, type Exposition } from "./helpers";

let tenant: TestTenant;
let client: OpenAI;
const provider = `mx-${randomString(8).toLowerCase()}`;
const model = `sim-metrics-${randomString(8).toLowerCase()}`;
const PRICE = { inputPerMtok: 2, outputPerMtok: 8 };

beforeAll(async () => {
  tenant = await createTestTenant("Metrics Motors");
  client = openaiClient(tenant.gatewayKey);
  await addProvider(tenant.tenantId, { name: provider, kind: "openai-compatible", baseUrl: simOpenAIBaseUrl(), apiKey: "sk-metrics", models: [model] });
  const priced = await api(tenant.adminKey, "PUT", "/gateway/prices", { provider, model, ...PRICE });
  expect(priced.status, await priced.clone().text()).toBe(200);
});

type Tokens = { input: number; output: number };

async function chat(text: string, headers: Record<string, string> = {}): Promise<Tokens & { rid: string }> {
  const rid = `metrics-${randomString(12)}`;
  const res = await client.chat.completions.create({ model: `${provider}/${model}`, messages: [{ role: "user", content: text }] }, { headers: { "x-request-id": rid, ...headers } });
  return { input: res.usage?.prompt_tokens ?? -1, output: res.usage?.completion_tokens ?? -1, rid };
}

async function streamed(text: string): Promise<Tokens & { rid: string }> {
  const rid = `metrics-${randomString(12)}`;
  const stream = await client.chat.completions.create(
    { model: `${provider}/${model}`, messages: [{ role: "user", content: text }], stream: true, stream_options: { include_usage: true } },
    { headers: { "x-request-id": rid } },
  );
  let usage: Tokens = { input: -1, output: -1 };
  for await (const chunk of stream) if (chunk.usage) usage = { input: chunk.usage.prompt_tokens, output: chunk.usage.completion_tokens };
  return { ...usage, rid };
}

const mine = (extra: Record<string, string> = {}) => ({ provider, model, ...extra });

const boundOf = (le: string | undefined) => (le === "+Inf" ? Number.POSITIVE_INFINITY : Number(le));

/** Histogram invariants: cumulative buckets, ending in +Inf equal to _count. */
function expectHistogram(e: Exposition, name: string, labels: Record<string, string>): number {
  const buckets = seriesOf(e, `${name}_bucket`, labels).map((s) => ({ le: s.labels.le, value: s.value }));
  expect(buckets.length).toBeGreaterThan(1);
  expect(buckets.at(-1)?.le).toBe("+Inf");
  for (let i = 1; i < buckets.length; i++) {
    expect(boundOf(buckets[i]?.le)).toBeGreaterThan(boundOf(buckets[i - 1]?.le));
    expect(buckets[i]?.value).toBeGreaterThanOrEqual(buckets[i - 1]?.value ?? 0);
  }
  const count = valueOf(e, `${name}_count`, labels);
  expect(buckets.at(-1)?.value).toBe(count);
  return count;
}

describe("gateway series", { timeout: 60_000 }, () => {
  it("count calls, tokens, cost, latency and time to first token by provider and model", async () => {
    const before = await scrape();
    const calls = [await chat(`Oil change price? ${marker()}`), await chat(`Tire rotation? ${marker()}`), await streamed(`Brake check? ${marker()}`)];
    for (const c of calls) expect(c.input).toBeGreaterThan(0);
    const rows = await Promise.all(calls.map((c) => waitForUsage(c.rid)));

    const after = await scrapeUntil((e) => delta(before, e, "auterity_gateway_requests_total", mine({ status: "200" })) >= 3, "three calls counted");
    expect(delta(before, after, "auterity_gateway_requests_total", mine({ status: "200" }))).toBe(3);
    const sum = (f: (c: Tokens) => number) => calls.reduce((n, c) => n + f(c), 0);
    expect(delta(before, after, "auterity_gateway_tokens_total", mine({ kind: "input" }))).toBe(sum((c) => c.input));
    expect(delta(before, after, "auterity_gateway_tokens_total", mine({ kind: "output" }))).toBe(sum((c) => c.output));
    expect(delta(before, after, "auterity_gateway_tokens_total", mine({ kind: "cached" }))).toBe(0);

    // The cost is what the usage rows say, at this tenant's price for its own model.
    const costNano = rows.reduce((n, r) => n + r.cost_nano_usd, 0);
    expect(costNano).toBe(sum((c) => c.input * PRICE.inputPerMtok * 1000 + c.output * PRICE.outputPerMtok * 1000));
    expect(delta(before, after, "auterity_gateway_cost_usd_total", mine())).toBeCloseTo(costNano / 1e9, 12);

    expect(expectHistogram(after, "auterity_gateway_request_duration_seconds", { provider }) - valueOf(before, "auterity_gateway_request_duration_seconds_count", { provider })).toBe(3);
    expect(expectHistogram(after, "auterity_gateway_ttft_seconds", { provider }) - valueOf(before, "auterity_gateway_ttft_seconds_count", { provider })).toBe(1);
    expect(valueOf(after, "auterity_gateway_request_duration_seconds_sum", { provider })).toBeGreaterThanOrEqual(0);

    // Every call reported its outcome to the target's circuit breaker.
    expect(delta(before, after, "auterity_provider_outcomes_total", { owner: tenant.tenantId, provider, model, result: "ok" })).toBe(3);
  });

  it("count a failed call under its status and each failed attempt under its kind", async () => {
    const before = await scrape();
    const text = marker();
    await addScenario({ match: { text, model }, status: 500, times: 20 });
    const err = await chat(`Will this work? ${text}`).then(
      () => null,
      (e: unknown) => e,
    );
    const status = statusOf(err);
    expect(status).toBeGreaterThanOrEqual(500);
    const attempts = (await upstreamRequests(text)).length;
    expect(attempts).toBeGreaterThan(0);
    const after = await scrapeUntil((e) => delta(before, e, "auterity_gateway_requests_total", mine({ status: String(status) })) >= 1, "the failed call counted");
    expect(delta(before, after, "auterity_gateway_requests_total", mine({ status: String(status) }))).toBe(1);
    expect(delta(before, after, "auterity_gateway_requests_total", mine({ status: "200" }))).toBe(0);
    expect(delta(before, after, "auterity_provider_outcomes_total", { owner: tenant.tenantId, provider, model, result: "server_error" })).toBe(attempts);
  });

  it("count response cache lookups as hits and misses", async () => {
    const before = await scrape();
    const text = `Same question twice ${marker()}`;
    await chat(text, { "x-auterity-cache": "on" });
    await chat(text, { "x-auterity-cache": "on" });
    const after = await scrapeUntil((e) => delta(before, e, "auterity_gateway_cache_total", { result: "hit" }) >= 1, "a cache hit counted");
    // Other files may use the cache at the same time: at least this file's lookups.
    expect(delta(before, after, "auterity_gateway_cache_total", { result: "miss" })).toBeGreaterThanOrEqual(1);
    expect(delta(before, after, "auterity_gateway_cache_total", { result: "hit" })).toBeGreaterThanOrEqual(1);
  });

  it("show a budget's utilisation as the ledger holds it", async () => {
    const created = await api(tenant.adminKey, "POST", "/budgets", { name: "Metrics budget", scope: "tenant", limitUsd: 0.01, window: "month", action: "soft" });
    expect(created.status, await created.clone().text()).toBe(201);
    const budget = String(((await created.json()) as { id: string }).id);
    const labels = { tenant: tenant.tenantId, budget };
    const start = await scrape();
    expect(seriesOf(start, "auterity_budget_utilisation_ratio", labels)).toHaveLength(1);

    await chat(`How much for new wipers? ${marker()}`);
    const after = await scrapeUntil((e) => valueOf(e, "auterity_budget_utilisation_ratio", labels) > valueOf(start, "auterity_budget_utilisation_ratio", labels), "spend shows");
    const spend = (await (await api(tenant.adminKey, "GET", "/spend")).json()) as { data: { budgetId: string; spentNanoUsd: number; limitNanoUsd: number }[] };
    const view = spend.data.find((v) => v.budgetId === budget);
    expect(view?.limitNanoUsd).toBe(10_000_000);
    expect(valueOf(after, "auterity_budget_utilisation_ratio", labels)).toBeCloseTo((view?.spentNanoUsd ?? 0) / 10_000_000, 12);
  });
});

function statusOf(err: unknown): number {
  return typeof err === "object" && err !== null && "status" in err && typeof err.status === "number" ? err.status : 0;
}

describe("counting where usage is written", () => {
  it("counts a call once even when its usage message is delivered again", async () => {
    const redeliveredModel = `sim-redelivered-${randomString(8).toLowerCase()}`;
    const event: UsageEvent = {
      id: `use_${randomString(16)}`,
      requestId: null,
      tenantId: tenant.tenantId,
      apiKeyId: null,
      userId: null,
      endpoint: "/v1/chat/completions",
      modelRequested: redeliveredModel,
      modelServed: redeliveredModel,
      provider,
      inputTokens: 40,
      outputTokens: 9,
      cachedTokens: 4,
      costNanoUsd: 152_000,
      latencyMs: 1_500,
      ttftMs: 300,
      cacheHit: false,
      status: 200,
      attempts: 1,
      stream: true,
      errorCode: null,
      tags: [],
      createdAt: Date.now(),
    };
    const labels = { provider, model: redeliveredModel };
    const before = await scrape();
    for (const attempts of [1, 2]) {
      const batch = createMessageBatch("auterity-usage", [{ id: `msg-${attempts}-${event.id}`, timestamp: new Date(), attempts, body: event }]);
      const ctx = createExecutionContext();
      await worker.queue(batch, env, ctx);
      await waitOnExecutionContext(ctx);
    }
    const after = await scrape();
    expect(delta(before, after, "auterity_gateway_requests_total", { ...labels, status: "200" })).toBe(1);
    expect(delta(before, after, "auterity_gateway_tokens_total", { ...labels, kind: "input" })).toBe(40);
    expect(delta(before, after, "auterity_gateway_tokens_total", { ...labels, kind: "output" })).toBe(9);
    expect(delta(before, after, "auterity_gateway_tokens_total", { ...labels, kind: "cached" })).toBe(4);
    expect(delta(before, after, "auterity_gateway_cost_usd_total", labels)).toBeCloseTo(0.000152, 12);
    // 1.5 s lands in the 2 s bucket of the call histogram; 0.3 s in the 0.5 s bucket of time to first token.
    expect(delta(before, after, "auterity_gateway_request_duration_seconds_bucket", { provider, le: "1" })).toBe(0);
    expect(delta(before, after, "auterity_gateway_request_duration_seconds_bucket", { provider, le: "2" })).toBe(1);
    expect(delta(before, after, "auterity_gateway_ttft_seconds_bucket", { provider, le: "0.25" })).toBe(0);
    expect(delta(before, after, "auterity_gateway_ttft_seconds_bucket", { provider, le: "0.5" })).toBe(1);
  });
});

