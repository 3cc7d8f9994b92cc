/**
 * What a call costs. Prices are versioned rows in D1 (tenant "*" = platform default, a
 * tenant's own row overrides it, the newest row already in effect wins); they are read on
 * every gateway call, so each isolate keeps them for a minute.
 */
import { and, eq, inArray } from "drizzle-orm";
import { prices } from "../../d1/schema";
import type { Db } from "../db";
import { newId } from "../lib/ids";
import { CATALOG, catalogModel } from "./catalog";
import { ttlCache } from "../lib/ttl-cache";

export type Price = { inputPerMtok: number; outputPerMtok: number; cachedInputPerMtok: number | null; source: "tenant" | "platform" | "unknown" };

/** The tenant id of the platform's default price rows. */
export const PLATFORM_TENANT = "*";

export type PriceRow = typeof prices.$inferSelect;
const cache = ttlCache<PriceRow[]>(60_000, 5_000);

const UNKNOWN: Price = { inputPerMtok: 0, outputPerMtok: 0, cachedInputPerMtok: null, source: "unknown" };

function cacheKey(tenantId: string, provider: string, model: string): string {
  return `${tenantId}\u0000${provider}\u0000${model}`;
}

// Newest first; among rows effective at the same instant the later-written one wins.
function byRecency(a: PriceRow, b: PriceRow): number {
  return b.effectiveFrom - a.effectiveFrom || b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1);
}

// The row in effect at `now` among a model's rows: any tenant row beats any platform row.
function currentRow(rows: readonly PriceRow[], tenantId: string, now: number): PriceRow | undefined {
  const live = rows.filter((r) => r.effectiveFrom <= now).sort(byRecency);
  return live.find((r) => r.tenantId === tenantId) ?? live.find((r) => r.tenantId === PLATFORM_TENANT);
}

function pickPrice(rows: readonly PriceRow[], tenantId: string, now: number): Price | null {
  const row = currentRow(rows, tenantId, now);
  if (!row) return null;
  return {
    inputPerMtok: row.inputPerMtok,
    outputPerMtok: row.outputPerMtok,
    cachedInputPerMtok: row.cachedInputPerMtok,
    source: row.tenantId === PLATFORM_TENANT ? "platform" : "tenant",
  };
}

function loadRows(db: Db, tenantId: string, provider: string, model: string, now: number): Promise<PriceRow[]> {
  // async: a drizzle query is a thenable that runs again on every await; the cache must hold its result.
  const query = async () =>
    db
      .select()
      .from(prices)
      .where(and(eq(prices.provider, provider), eq(prices.model, model), inArray(prices.tenantId, [tenantId, PLATFORM_TENANT])));
  return cache.get(cacheKey(tenantId, provider, model), query, now);
}

/**
 * The price of `provider/model` for a tenant at `now`. Models without any price row fall
 * back to the catalog's list price, and to source "unknown" (zero cost) when not even that.
 */
export async function priceFor(db: Db, tenantId: string, provider: string, model: string, now = Date.now()): Promise<Price> {
  const rows = await loadRows(db, tenantId, provider, model, now);
  const picked = pickPrice(rows, tenantId, now);
  if (picked) return picked;
  const known = catalogModel(provider, model);
  return known ? { ...known.price, source: "platform" } : UNKNOWN;
}

/** Forgets cached prices: one tenant's, or every tenant's when the platform rows change. */
export function invalidatePrices(tenantId?: string): void {
  if (!tenantId || tenantId === PLATFORM_TENANT) {
    cache.forget();
    return;
  }
  const prefix = `${tenantId}\u0000`;
  cache.forget((key) => key.startsWith(prefix));
}

// 1 USD per million tokens is 1e-6 USD = 1e6 pico-USD per token. Prices are held as integer
// pico-USD per token (exact to 6 decimals of USD/Mtok) and summed as BigInt, so no float
// error reaches the ledger.
const PICO_PER_NANO = 1_000n;

function picoPerToken(usdPerMtok: number): bigint {
  return Number.isFinite(usdPerMtok) ? BigInt(Math.round(usdPerMtok * 1_000_000)) : 0n;
}

// Token counts come from providers; a NaN or fraction must not throw inside settlement.
function tokens(n: number): bigint {
  return Number.isFinite(n) && n > 0 ? BigInt(Math.round(n)) : 0n;
}

/**
 * Cost of a call in integer nano-USD. `inputTokens` includes `cachedTokens`, which are
 * billed at the cached-input price (or the input price when the model has none).
 * Rounded half up to the nearest nano-USD.
 */
export function costNanoUsd(price: Price, usage: { inputTokens: number; outputTokens: number; cachedTokens: number }): number {
  const input = tokens(usage.inputTokens);
  const cachedRaw = tokens(usage.cachedTokens);
  const cached = cachedRaw < input ? cachedRaw : input;
  const uncached = input - cached;
  const output = tokens(usage.outputTokens);
  const pico =
    uncached * picoPerToken(price.inputPerMtok) +
    cached * picoPerToken(price.cachedInputPerMtok ?? price.inputPerMtok) +
    output * picoPerToken(price.outputPerMtok);
  return Number((pico + PICO_PER_NANO / 2n) / PICO_PER_NANO);
}

export type EffectivePrice = Omit<Price, "source"> & {
  provider: string;
  model: string;
  source: "tenant" | "platform";
  /** When the price in effect started (null: the catalog's list price, no row yet). */
  effectiveFrom: number | null;
  inCatalog: boolean;
};

function rowsByModel(rows: readonly PriceRow[]): Map<string, PriceRow[]> {
  const out = new Map<string, PriceRow[]>();
  for (const row of rows) {
    const key = `${row.provider}/${row.model}`;
    const list = out.get(key);
    if (list) list.push(row);
    else out.set(key, [row]);
  }
  return out;
}

/** Every price a tenant pays right now: catalog models plus any model with a price row. */
export async function effectivePrices(db: Db, tenantId: string, now = Date.now()): Promise<EffectivePrice[]> {
  const rows = await db.select().from(prices).where(inArray(prices.tenantId, [tenantId, PLATFORM_TENANT]));
  const grouped = rowsByModel(rows);
  for (const m of CATALOG) if (!grouped.has(`${m.provider}/${m.id}`)) grouped.set(`${m.provider}/${m.id}`, []);
  const out: EffectivePrice[] = [];
  for (const [key, list] of grouped) {
    const slash = key.indexOf("/");
    const provider = key.slice(0, slash);
    const model = key.slice(slash + 1);
    const inCatalog = catalogModel(provider, model) !== undefined;
    const row = currentRow(list, tenantId, now);
    if (row) {
      const source = row.tenantId === PLATFORM_TENANT ? "platform" : "tenant";
      out.push({ provider, model, inputPerMtok: row.inputPerMtok, outputPerMtok: row.outputPerMtok, cachedInputPerMtok: row.cachedInputPerMtok, source, effectiveFrom: row.effectiveFrom, inCatalog });
    } else {
      const known = catalogModel(provider, model);
      // A model whose only rows start in the future has no price yet unless the catalog lists it.
      if (known) out.push({ provider, model, ...known.price, source: "platform", effectiveFrom: null, inCatalog });
    }
  }
  return out.sort((a, b) => (a.provider === b.provider ? (a.model < b.model ? -1 : 1) : a.provider < b.provider ? -1 : 1));
}

export type PriceVersion = Omit<Price, "source"> & { id: string; source: "tenant" | "platform"; effectiveFrom: number; createdAt: number; current: boolean };

/** All price versions of one model a tenant can see (its own and the platform's), newest first. */
export async function priceHistory(db: Db, tenantId: string, provider: string, model: string, now = Date.now()): Promise<PriceVersion[]> {
  const rows = await db
    .select()
    .from(prices)
    .where(and(eq(prices.provider, provider), eq(prices.model, model), inArray(prices.tenantId, [tenantId, PLATFORM_TENANT])));
  const current = currentRow(rows, tenantId, now);
  return rows.sort(byRecency).map((r) => ({
    id: r.id,
    inputPerMtok: r.inputPerMtok,
    outputPerMtok: r.outputPerMtok,
    cachedInputPerMtok: r.cachedInputPerMtok,
    source: r.tenantId === PLATFORM_TENANT ? "platform" : "tenant",
    effectiveFrom: r.effectiveFrom,
    createdAt: r.createdAt,
    current: r.id === current?.id,
  }));
}

export type NewPrice = { provider: string; model: string; inputPerMtok: number; outputPerMtok: number; cachedInputPerMtok?: number | null; effectiveFrom?: number };

/** Adds a tenant price version. Old rows are never changed, so what was charged stays explainable. */
export async function addTenantPrice(db: Db, tenantId: string, input: NewPrice, now = Date.now()): Promise<PriceRow> {
  const row: PriceRow = {
    id: newId("prc"),
    tenantId,
    provider: input.provider,
    model: input.model,
    inputPerMtok: input.inputPerMtok,
    outputPerMtok: input.outputPerMtok,
    cachedInputPerMtok: input.cachedInputPerMtok ?? null,
    effectiveFrom: input.effectiveFrom ?? now,
    createdAt: now,
  };
  await db.insert(prices).values(row);
  invalidatePrices(tenantId);
  return row;
}
