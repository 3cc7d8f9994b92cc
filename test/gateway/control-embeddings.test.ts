import { APIError } from "openai";
import { describe, expect, it } from "vitest";
import { createTestTenant } from "../helpers/fixtures";
import { api, createBudget, eventually, listCost, marker, openaiClient, requestId, spendOf, upstreamRequests, waitForUsage } from "./helpers";

describe("embeddings under a budget", { timeout: 30_000 }, () => {
  it("are admitted, metered at the embedding model's price and charged to the budget", async () => {
    const tenant = await createTestTenant("Embedding Motors");
    const budgetId = await createBudget(tenant.adminKey, { name: "Search", scope: "tenant", limitUsd: 0.01, window: "month", action: "hard" });
    await api(tenant.adminKey, "POST", "/rate-limits", { scope: "tenant", rpm: 100 });
    const text = marker();
    const rid = requestId();
    const { data, response } = await openaiClient(tenant.gatewayKey)
      .embeddings.create({ model: "text-embedding-3-small", input: [`2021 RAV4 XLE, 41k miles ${text}`, "certified pre-owned, one owner"] }, { headers: { "x-request-id": rid } })
      .withResponse();
    expect(data.data).toHaveLength(2);
    expect(data.data[0]?.embedding.length).toBeGreaterThan(0);
    expect(response.headers.get("x-auterity-model")).toBe("text-embedding-3-small");
    expect(response.headers.get("x-ratelimit-limit-requests")).toBe("100");
    expect(response.headers.get("x-ratelimit-remaining-requests")).toBe("99");
    expect(Number(response.headers.get("x-auterity-budget-remaining-usd"))).toBeLessThan(0.01);

    const row = await waitForUsage(rid);
    expect(row).toMatchObject({ status: 200, endpoint: "/v1/embeddings", model_served: "text-embedding-3-small", output_tokens: 0, input_tokens: data.usage.prompt_tokens });
    expect(row.cost_nano_usd).toBe(listCost(row));
    expect(row.cost_nano_usd).toBeGreaterThan(0);
    expect(response.headers.get("x-auterity-cost-usd")).toBe((row.cost_nano_usd / 1e9).toFixed(9));
    const [spend] = await eventually(() => spendOf(tenant.adminKey), (s) => s[0]?.reservedNanoUsd === 0 && (s[0]?.spentNanoUsd ?? 0) > 0, "embedding settled");
    expect(spend).toMatchObject({ budgetId, spentNanoUsd: row.cost_nano_usd });
  });

  it("are refused with a 402 in OpenAI's format when their worst case does not fit", async () => {
    const tenant = await createTestTenant("Embedding Motors");
    await createBudget(tenant.adminKey, { name: "Nothing left", scope: "tenant", limitUsd: 0.000000001, window: "day", action: "hard" });
    const text = marker();
    const rid = requestId();
    const err = await openaiClient(tenant.gatewayKey)
      .embeddings.create({ model: "text-embedding-3-small", input: `Tacoma TRD Off-Road ${text}` }, { headers: { "x-request-id": rid } })
      .then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(APIError);
    expect(err instanceof APIError && [err.status, err.error]).toEqual([402, expect.objectContaining({ code: "budget_exceeded", type: "insufficient_quota" })]);
    expect(await upstreamRequests(text)).toEqual([]);
    expect(await waitForUsage(rid)).toMatchObject({ status: 402, error_code: "budget_exceeded", endpoint: "/v1/embeddings" });
    const [spend] = await spendOf(tenant.adminKey);
    expect(spend).toMatchObject({ spentNanoUsd: 0, reservedNanoUsd: 0 });
  });
});
