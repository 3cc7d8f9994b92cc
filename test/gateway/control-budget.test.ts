import { APIError as AnthropicAPIError } from "@anthropic-ai/sdk";
import { APIError } from "openai";
import { describe, expect, it } from "vitest";
import { createTestTenant } from "../helpers/fixtures";
import {
  anthropicClient,
  createBudget,
  eventually,
  listCost,
  marker,
  openaiClient,
  requestId,
  spendOf,
  upstreamRequests,
  waitForTenantUsage,
  waitForUsage,
} from "./helpers";

const CALLS = 200;
/** $0.0001: room for a handful of the calls below at once. */
const LIMIT_USD = 0.0001;
const LIMIT_NANO = 100_000;

type Outcome = { ok: true } | { ok: false; err: unknown };
type ChatBody = { model: string; max_tokens: number; messages: { role: "user" | "assistant"; content: string }[] };

/**
 * Sends `CALLS` calls at once against a fresh tenant with a $0.0001 hard budget, then checks
 * what must hold whatever the interleaving: every refusal is a clean 402, settled spend is
 * under the limit and equals the sum of the usage rows, each priced exactly.
 */
async function storm(bodyFor: (text: string, i: number) => ChatBody): Promise<{ admitted: number; spent: number }> {
  const tenant = await createTestTenant("Budget Motors");
  const budgetId = await createBudget(tenant.adminKey, { name: "Tiny", scope: "tenant", limitUsd: LIMIT_USD, window: "day", action: "hard" });
  const client = openaiClient(tenant.gatewayKey);
  const text = marker();
  const outcomes = await Promise.all(
    Array.from({ length: CALLS }, (_, i) =>
      client.chat.completions.create(bodyFor(text, i)).then(
        (): Outcome => ({ ok: true }),
        (err: unknown): Outcome => ({ ok: false, err }),
      ),
    ),
  );
  const admitted = outcomes.filter((o) => o.ok).length;
  const denied = outcomes.flatMap((o) => (o.ok ? [] : [o.err]));
  expect(admitted).toBeGreaterThan(0);
  expect(denied.length).toBeGreaterThan(0);
  for (const err of denied) {
    expect(err).toBeInstanceOf(APIError);
    if (!(err instanceof APIError)) continue;
    expect(err.status).toBe(402);
    expect(err.error).toEqual({
      message: expect.stringContaining("Budget 'Tiny' (day) would be exceeded"),
      type: "insufficient_quota",
      param: null,
      code: "budget_exceeded",
      request_id: err.headers.get("x-request-id"),
    });
    expect(err.headers.get("x-auterity-budget-remaining-usd")).toMatch(/^0\.\d{9}$/);
  }
  // Denied calls never reached a provider.
  expect((await upstreamRequests(text)).length).toBe(admitted);

  // Once every call has settled: nothing reserved, spend under the limit, and equal to the sum of the usage rows.
  const [spend] = await eventually(() => spendOf(tenant.adminKey), (s) => s[0]?.reservedNanoUsd === 0, "every reservation settled");
  expect(spend).toMatchObject({ budgetId, limitNanoUsd: LIMIT_NANO, reservedNanoUsd: 0 });
  const spent = spend?.spentNanoUsd ?? Number.NaN;
  expect(spent).toBeGreaterThan(0);
  expect(spent).toBeLessThanOrEqual(LIMIT_NANO);

  const rows = await waitForTenantUsage(tenant.tenantId, CALLS);
  expect(rows.length).toBe(CALLS);
  const served = rows.filter((r) => r.status === 200);
  expect(served.length).toBe(admitted);
  for (const r of served) expect(r.cost_nano_usd).toBe(listCost(r));
  expect(served.reduce((sum, r) => sum + r.cost_nano_usd, 0)).toBe(spent);
  const refused = rows.filter((r) => r.status !== 200);
  expect(refused.every((r) => r.status === 402 && r.error_code === "budget_exceeded" && r.cost_nano_usd === 0)).toBe(true);
  return { admitted, spent };
}

describe("a small hard budget under hundreds of parallel calls", { timeout: 60_000 }, () => {
  it("never lets settled spend pass its limit, and refuses the rest with a clean 402", async () => {
    await storm((text, i) => ({ model: "gpt-4o-mini", max_tokens: 16, messages: [{ role: "user", content: `Quote a tire rotation ${text} #${i}` }] }));
  });

  it("holds for conversations of many short turns, where message framing outweighs the text", async () => {
    const turns = Array.from({ length: 30 }, (_, k) => ({ role: k % 2 === 0 ? ("user" as const) : ("assistant" as const), content: k % 2 === 0 ? "ok" : "yes" }));
    await storm((text, i) => ({ model: "gpt-4o-mini", max_tokens: 1, messages: [...turns, { role: "user", content: `${text} ${i}` }] }));
  });

  it("reserves at least what each call then costs, in every wire format", async () => {
    const short = (k: number) => (k % 2 === 0 ? "ok" : "yes");
    const turns = Array.from({ length: 21 }, (_, k) => ({ role: k % 2 === 0 ? ("user" as const) : ("assistant" as const), content: short(k) }));
    const calls: ((key: string, rid: string) => Promise<Headers>)[] = [
      async (key, rid) => (await openaiClient(key).chat.completions.create({ model: "gpt-4o-mini", max_tokens: 1, messages: turns }, { headers: { "x-request-id": rid } }).withResponse()).response.headers,
      async (key, rid) => (await anthropicClient(key).messages.create({ model: "claude-3-5-haiku-latest", max_tokens: 1, system: "Be brief.", messages: turns }, { headers: { "x-request-id": rid } }).withResponse()).response.headers,
      async (key, rid) => (await openaiClient(key).responses.create({ model: "gpt-4o-mini", max_output_tokens: 16, input: turns }, { headers: { "x-request-id": rid } }).withResponse()).response.headers,
    ];
    for (const send of calls) {
      const tenant = await createTestTenant("Budget Motors");
      await createBudget(tenant.adminKey, { scope: "tenant", limitUsd: 1, window: "day", action: "hard" });
      const rid = requestId();
      const headers = await send(tenant.gatewayKey, rid);
      // With nothing spent yet, what the header no longer counts as remaining is this call's reservation.
      const reserved = 1e9 - Math.round(Number(headers.get("x-auterity-budget-remaining-usd")) * 1e9);
      const row = await waitForUsage(rid);
      expect(row.status).toBe(200);
      expect(row.cost_nano_usd).toBe(listCost(row));
      expect(reserved).toBeGreaterThanOrEqual(row.cost_nano_usd);
    }
  });

  it("refuses an Anthropic client with a 402 in Anthropic's format", async () => {
    const tenant = await createTestTenant("Budget Motors");
    await createBudget(tenant.adminKey, { name: "Tiny", scope: "tenant", limitUsd: LIMIT_USD, window: "month", action: "hard" });
    const text = marker();
    const rid = requestId();
    // 1000 output tokens of Claude Haiku could cost $0.004 alone: more than the whole budget.
    const err = await anthropicClient(tenant.gatewayKey)
      .messages.create({ model: "claude-3-5-haiku-latest", max_tokens: 1000, messages: [{ role: "user", content: `Trade-in value? ${text}` }] }, { headers: { "x-request-id": rid } })
      .then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(AnthropicAPIError);
    if (!(err instanceof AnthropicAPIError)) return;
    expect(err.status).toBe(402);
    expect(err.error).toEqual({
      type: "error",
      error: { type: "billing_error", message: expect.stringContaining("this call alone could cost more than its limit") },
      request_id: rid,
    });
    expect(await upstreamRequests(text)).toEqual([]);
    expect(await waitForUsage(rid)).toMatchObject({ status: 402, error_code: "budget_exceeded", cost_nano_usd: 0, endpoint: "/v1/messages" });
  });
});

describe("a degrade budget", { timeout: 60_000 }, () => {
  it("switches a call that would take it past its limit to the cheaper model, and says so", async () => {
    const tenant = await createTestTenant("Degrade Motors");
    await createBudget(tenant.adminKey, { name: "Premium", scope: "tenant", limitUsd: 0.05, window: "month", action: "degrade", degradeTo: "openai/gpt-4o-mini" });
    const client = openaiClient(tenant.gatewayKey);

    // A short answer fits: served as asked.
    const small = await client.chat.completions.create({ model: "gpt-4o", max_tokens: 16, messages: [{ role: "user", content: `Hours on Sunday? ${marker()}` }] }).withResponse();
    expect(small.response.headers.get("x-auterity-model")).toBe("gpt-4o");
    expect(small.response.headers.get("x-auterity-degraded-to")).toBeNull();

    // Up to 16,384 output tokens of gpt-4o could cost $0.16: past the $0.05 limit, so it degrades.
    const rid = requestId();
    const text = marker();
    const big = await client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: `Write up the full service history ${text}` }] }, { headers: { "x-request-id": rid } }).withResponse();
    expect(big.data.choices[0]?.message.content?.length).toBeGreaterThan(10);
    expect(big.response.headers.get("x-auterity-degraded-to")).toBe("openai/gpt-4o-mini");
    expect(big.response.headers.get("x-auterity-provider")).toBe("openai");
    expect(big.response.headers.get("x-auterity-model")).toBe("gpt-4o-mini");
    expect((await upstreamRequests(text)).map((r) => r.body)).toEqual([expect.objectContaining({ model: "gpt-4o-mini" })]);
    const row = await waitForUsage(rid);
    expect(row).toMatchObject({ status: 200, model_requested: "gpt-4o", model_served: "gpt-4o-mini" });
    expect(row.cost_nano_usd).toBe(listCost(row));
    expect(big.response.headers.get("x-auterity-cost-usd")).toBe((row.cost_nano_usd / 1e9).toFixed(9));
  });
});
