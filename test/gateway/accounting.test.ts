import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { prices } from "../../d1/schema";
import { CATALOG, catalogModel } from "../../workers/gateway/catalog";
import { costNanoUsd, invalidatePrices, type Price, priceFor } from "../../workers/gateway/pricing";
import { makeDb } from "../../workers/db";
import { newId, randomString } from "../../workers/lib/ids";
import { createTestTenant } from "../helpers/fixtures";

const db = makeDb(env.DB);

function price(inputPerMtok: number, outputPerMtok: number, cachedInputPerMtok: number | null = null): Price {
  return { inputPerMtok, outputPerMtok, cachedInputPerMtok, source: "tenant" };
}

async function addPrice(tenantId: string, model: string, inputPerMtok: number, effectiveFrom: number, createdAt = effectiveFrom) {
  await db.insert(prices).values({ id: newId("prc"), tenantId, provider: "openai", model, inputPerMtok, outputPerMtok: inputPerMtok * 4, cachedInputPerMtok: null, effectiveFrom, createdAt });
}

describe("costNanoUsd", () => {
  it("bills cached input at the cached price and the rest at the input price", () => {
    // gpt-4o-mini list prices: 0.15 in, 0.075 cached, 0.60 out (USD / 1M tokens)
    // 800 * 150 + 200 * 75 + 500 * 600 nano-USD
    expect(costNanoUsd(price(0.15, 0.6, 0.075), { inputTokens: 1000, cachedTokens: 200, outputTokens: 500 })).toBe(435_000);
  });

  it("bills cached tokens at the input price when the model has no cached price", () => {
    expect(costNanoUsd(price(2, 8, null), { inputTokens: 1000, cachedTokens: 400, outputTokens: 0 })).toBe(2_000_000);
  });

  it("stays exact where floating point would drift", () => {
    // 0.1 + 0.2 style prices: 1.1 and 4.4 USD/Mtok over 3 tokens each = 3.3e-6 + 13.2e-6 USD
    expect(costNanoUsd(price(1.1, 4.4), { inputTokens: 3, cachedTokens: 0, outputTokens: 3 })).toBe(16_500);
    // 123,456,789 tokens at 2.5 USD/Mtok = 308.6419725 USD
    expect(costNanoUsd(price(2.5, 10), { inputTokens: 123_456_789, cachedTokens: 0, outputTokens: 0 })).toBe(308_641_972_500);
    // o4-mini cached at 0.275: 1,000,001 cached tokens = 0.275000275 USD
    expect(costNanoUsd(price(1.1, 4.4, 0.275), { inputTokens: 1_000_001, cachedTokens: 1_000_001, outputTokens: 0 })).toBe(275_000_275);
  });

  it("rounds sub-nano remainders half up", () => {
    // 0.0375 USD/Mtok = 37.5 nano-USD per token
    expect(costNanoUsd(price(0.0375, 0), { inputTokens: 3, cachedTokens: 0, outputTokens: 0 })).toBe(113);
    expect(costNanoUsd(price(0.0375, 0), { inputTokens: 2, cachedTokens: 0, outputTokens: 0 })).toBe(75);
    expect(costNanoUsd(price(0.0001, 0), { inputTokens: 4, cachedTokens: 0, outputTokens: 0 })).toBe(0);
  });

  it("costs nothing for an unknown price, however many tokens", () => {
    const unknown: Price = { inputPerMtok: 0, outputPerMtok: 0, cachedInputPerMtok: null, source: "unknown" };
    expect(costNanoUsd(unknown, { inputTokens: 50_000, cachedTokens: 100, outputTokens: 9_000 })).toBe(0);
  });

  it("never counts more cached tokens than input tokens, and ignores nonsense counts", () => {
    expect(costNanoUsd(price(1, 1, 0.5), { inputTokens: 10, cachedTokens: 50, outputTokens: 0 })).toBe(5_000);
    expect(costNanoUsd(price(1, 1), { inputTokens: Number.NaN, cachedTokens: -3, outputTokens: 2 })).toBe(2_000);
  });
});

describe("catalog", () => {
  it("knows the models the gateway serves, with list prices", () => {
    expect(catalogModel("openai", "gpt-4o-mini")?.price).toEqual({ inputPerMtok: 0.15, outputPerMtok: 0.6, cachedInputPerMtok: 0.075 });
    expect(catalogModel("anthropic", "claude-sonnet-4-5")?.kind).toBe("chat");
    expect(catalogModel("openai", "text-embedding-3-small")?.kind).toBe("embedding");
    expect(catalogModel("anthropic", "gpt-4o")).toBeUndefined();
    expect(new Set(CATALOG.map((m) => m.id)).size).toBe(12);
  });

  it("is seeded into the platform price rows by the migration", async () => {
    const rows = await env.DB.prepare("select provider, model, input_per_mtok, output_per_mtok, cached_input_per_mtok from prices where tenant_id = '*'").all<{
      provider: string;
      model: string;
      input_per_mtok: number;
      output_per_mtok: number;
      cached_input_per_mtok: number | null;
    }>();
    for (const m of CATALOG) {
      const row = rows.results.find((r) => r.provider === m.provider && r.model === m.id);
      expect(row, `${m.provider}/${m.id}`).toBeDefined();
      expect([row?.input_per_mtok, row?.output_per_mtok, row?.cached_input_per_mtok]).toEqual([m.price.inputPerMtok, m.price.outputPerMtok, m.price.cachedInputPerMtok]);
    }
  });
});

describe("priceFor", () => {
  it("reads the seeded platform price of a catalog model", async () => {
    const { tenantId } = await createTestTenant();
    expect(await priceFor(db, tenantId, "anthropic", "claude-3-5-haiku-latest")).toEqual({ inputPerMtok: 0.8, outputPerMtok: 4, cachedInputPerMtok: 0.08, source: "platform" });
  });

  it("answers source unknown with zero prices for a model nobody priced", async () => {
    const { tenantId } = await createTestTenant();
    expect(await priceFor(db, tenantId, "groq", "llama-nobody-priced")).toEqual({ inputPerMtok: 0, outputPerMtok: 0, cachedInputPerMtok: null, source: "unknown" });
  });

  it("prefers the tenant's row over the platform's, takes the newest row in effect, ignores future rows", async () => {
    const { tenantId } = await createTestTenant();
    const model = `model-${randomString(8)}`;
    await addPrice("*", model, 1, 1_000);
    await addPrice("*", model, 2, 5_000);
    await addPrice(tenantId, model, 10, 3_000);
    await addPrice(tenantId, model, 20, 4_000);
    await addPrice(tenantId, model, 99, 9_000_000_000_000);
    const at = async (now: number) => {
      invalidatePrices(tenantId);
      const p = await priceFor(db, tenantId, "openai", model, now);
      return [p.inputPerMtok, p.source];
    };
    expect(await at(500)).toEqual([0, "unknown"]);
    expect(await at(1_500)).toEqual([1, "platform"]);
    expect(await at(3_500)).toEqual([10, "tenant"]);
    // a newer platform row does not beat the tenant's own
    expect(await at(6_000)).toEqual([20, "tenant"]);
    expect(await at(Date.now())).toEqual([20, "tenant"]);
  });

  it("breaks a tie in effective_from by the later-written row", async () => {
    const { tenantId } = await createTestTenant();
    const model = `model-${randomString(8)}`;
    await addPrice(tenantId, model, 3, 1_000, 1_000);
    await addPrice(tenantId, model, 4, 1_000, 2_000);
    expect((await priceFor(db, tenantId, "openai", model, 5_000)).inputPerMtok).toBe(4);
  });

  it("never applies another tenant's override", async () => {
    const a = await createTestTenant("Alpha Motors");
    const b = await createTestTenant("Beta Motors");
    await addPrice(b.tenantId, "gpt-4o", 0.01, 1_000);
    expect(await priceFor(db, a.tenantId, "openai", "gpt-4o")).toMatchObject({ inputPerMtok: 2.5, source: "platform" });
    expect(await priceFor(db, b.tenantId, "openai", "gpt-4o")).toMatchObject({ inputPerMtok: 0.01, source: "tenant" });
  });

  it("keeps prices for a minute per isolate until invalidated", async () => {
    const { tenantId } = await createTestTenant();
    const model = `model-${randomString(8)}`;
    await addPrice("*", model, 1, 1_000);
    const now = Date.now();
    expect((await priceFor(db, tenantId, "openai", model, now)).inputPerMtok).toBe(1);
    await addPrice(tenantId, model, 7, 2_000);
    expect((await priceFor(db, tenantId, "openai", model, now + 1_000)).inputPerMtok).toBe(1);
    expect((await priceFor(db, tenantId, "openai", model, now + 61_000)).inputPerMtok).toBe(7);
    await addPrice(tenantId, model, 8, 3_000);
    invalidatePrices(tenantId);
    expect((await priceFor(db, tenantId, "openai", model, now + 62_000)).inputPerMtok).toBe(8);
  });
});
