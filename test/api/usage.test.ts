import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { tenants, usageEvents } from "../../d1/schema";
import { createApiKey } from "../../workers/auth/api-keys";
import { makeDb } from "../../workers/db";
import { randomString } from "../../workers/lib/ids";
import { createTestTenant, type TestTenant } from "../helpers/fixtures";
import { call, createTestUser, expectError, expectOk } from "./helpers";

const db = makeDb(env.DB);
type EventRow = typeof usageEvents.$inferInsert;

function ev(tenantId: string, at: string, over: Partial<EventRow> = {}): EventRow {
  return {
    id: `req_${randomString(16)}`,
    tenantId,
    apiKeyId: null,
    userId: null,
    endpoint: "/v1/chat/completions",
    modelRequested: "gpt-4o-mini",
    modelServed: "gpt-4o-mini",
    provider: "openai",
    inputTokens: 0,
    outputTokens: 0,
    cachedTokens: 0,
    costNanoUsd: 0,
    latencyMs: 100,
    ttftMs: null,
    status: 200,
    attempts: 1,
    stream: false,
    errorCode: null,
    tags: [],
    priceSource: "platform",
    createdAt: Date.parse(at),
    ...over,
  };
}

/** One statement per row: D1 caps a statement at 100 bound variables. */
async function insertEvents(rows: EventRow[]): Promise<void> {
  const [first, ...rest] = rows.map((r) => db.insert(usageEvents).values(r));
  if (first) await db.batch([first, ...rest]);
}

const Totals = z.object({
  calls: z.number(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  cachedTokens: z.number(),
  costNanoUsd: z.number(),
  costUsd: z.number(),
  errors: z.number(),
  unpricedCalls: z.number(),
  avgLatencyMs: z.number(),
});
const Summary = z.object({ timezone: z.string(), rows: z.array(Totals.extend({ key: z.string(), label: z.string().nullable() })), totals: Totals });
const Events = z.object({ data: z.array(z.object({ id: z.string(), modelRequested: z.string(), status: z.number(), costUsd: z.number() }).loose()), nextCursor: z.string().nullable() });

const RANGE = "from=2026-01-14T00:00:00Z&to=2026-01-17T00:00:00Z";

let a: TestTenant;
let b: TestTenant;
let key1: string;
let key2: string;
const ids: Record<string, string> = {};

beforeAll(async () => {
  a = await createTestTenant("Hudson Auto");
  b = await createTestTenant("Other Dealer");
  await db.update(tenants).set({ timezone: "America/New_York" }).where(eq(tenants.id, a.tenantId));
  key1 = (await createApiKey({ db, tenantId: a.tenantId }, { name: "showroom", scopes: ["gateway"] })).row.id;
  key2 = (await createApiKey({ db, tenantId: a.tenantId }, { name: "service", scopes: ["gateway"] })).row.id;
  // New York is UTC-5 in January: e1 and e2 fall on the 14th there although UTC says the 15th,
  // and e5 falls on the 15th although UTC says the 16th.
  const rows = {
    e1: ev(a.tenantId, "2026-01-15T03:30:00Z", { apiKeyId: key1, inputTokens: 1000, cachedTokens: 200, outputTokens: 500, costNanoUsd: 435_000, latencyMs: 100 }),
    e2: ev(a.tenantId, "2026-01-15T04:59:00Z", { apiKeyId: key2, modelRequested: "claude-3-5-haiku-latest", modelServed: "claude-3-5-haiku-latest", provider: "anthropic", inputTokens: 2000, outputTokens: 100, costNanoUsd: 2_000_000, latencyMs: 300 }),
    e3: ev(a.tenantId, "2026-01-15T05:00:00Z", { apiKeyId: key1, inputTokens: 100, costNanoUsd: 15_000, latencyMs: 50, status: 429, errorCode: "rate_limited" }),
    e4: ev(a.tenantId, "2026-01-15T23:30:00Z", { apiKeyId: key2, inputTokens: 10, outputTokens: 10, costNanoUsd: 7_500, latencyMs: 200 }),
    e5: ev(a.tenantId, "2026-01-16T01:00:00Z", { modelRequested: "fast", modelServed: "llama-local", provider: "vllm", inputTokens: 500, outputTokens: 50, latencyMs: 350, priceSource: "unknown" }),
    late: ev(a.tenantId, "2026-01-20T12:00:00Z", { inputTokens: 1, costNanoUsd: 999 }),
    other: ev(b.tenantId, "2026-01-15T12:00:00Z", { inputTokens: 777, costNanoUsd: 123_456 }),
  };
  for (const [name, row] of Object.entries(rows)) ids[name] = row.id;
  await insertEvents(Object.values(rows));
});

async function summary(groupBy: string, token = a.adminKey, range = RANGE) {
  return expectOk(await call("GET", `/usage/summary?${range}&groupBy=${groupBy}`, { token }), 200, Summary);
}

describe("GET /usage/summary", () => {
  it("groups by calendar day in the tenant's time zone, with exact totals", async () => {
    const s = await summary("day");
    expect(s.timezone).toBe("America/New_York");
    expect(s.rows).toEqual([
      { key: "2026-01-14", label: null, calls: 2, inputTokens: 3000, outputTokens: 600, cachedTokens: 200, costNanoUsd: 2_435_000, costUsd: 0.002435, errors: 0, unpricedCalls: 0, avgLatencyMs: 200 },
      { key: "2026-01-15", label: null, calls: 3, inputTokens: 610, outputTokens: 60, cachedTokens: 0, costNanoUsd: 22_500, costUsd: 0.0000225, errors: 1, unpricedCalls: 1, avgLatencyMs: 200 },
    ]);
    expect(s.totals).toEqual({ calls: 5, inputTokens: 3610, outputTokens: 660, cachedTokens: 200, costNanoUsd: 2_457_500, costUsd: 0.0024575, errors: 1, unpricedCalls: 1, avgLatencyMs: 200 });
  });

  it("puts a day boundary at local midnight in a half-hour zone", async () => {
    const t = await createTestTenant("Mumbai Motors");
    await db.update(tenants).set({ timezone: "Asia/Kolkata" }).where(eq(tenants.id, t.tenantId));
    // Kolkata is UTC+5:30: 18:29Z is 23:59 on the 15th, 18:30Z is midnight of the 16th.
    await insertEvents([ev(t.tenantId, "2026-01-15T18:14:00Z"), ev(t.tenantId, "2026-01-15T18:29:59Z"), ev(t.tenantId, "2026-01-15T18:30:00Z")]);
    const s = await summary("day", t.adminKey);
    expect(s.rows.map((r) => [r.key, r.calls])).toEqual([["2026-01-15", 2], ["2026-01-16", 1]]);
  });

  it("groups by model, most expensive first", async () => {
    const s = await summary("model");
    expect(s.rows.map((r) => [r.key, r.calls, r.costNanoUsd, r.errors, r.unpricedCalls])).toEqual([
      ["claude-3-5-haiku-latest", 1, 2_000_000, 0, 0],
      ["gpt-4o-mini", 3, 457_500, 1, 0],
      ["llama-local", 1, 0, 0, 1],
    ]);
    expect(s.rows[1]).toMatchObject({ inputTokens: 1110, outputTokens: 510, cachedTokens: 200, avgLatencyMs: 117 });
  });

  it("groups by provider", async () => {
    const s = await summary("provider");
    expect(s.rows.map((r) => [r.key, r.calls, r.costUsd])).toEqual([["anthropic", 1, 0.002], ["openai", 3, 0.0004575], ["vllm", 1, 0]]);
  });

  it("groups by API key, naming each key", async () => {
    const s = await summary("key");
    expect(s.rows.map((r) => [r.key, r.label, r.calls, r.costNanoUsd])).toEqual([
      [key2, "service", 2, 2_007_500],
      [key1, "showroom", 2, 450_000],
      ["(none)", null, 1, 0],
    ]);
  });

  it("takes epoch milliseconds too, with to exclusive", async () => {
    const to = Date.parse("2026-01-15T05:00:00Z");
    const s = await summary("model", a.adminKey, `from=${Date.parse("2026-01-10T00:00:00Z")}&to=${to}`);
    expect(s.totals.calls).toBe(2);
  });

  it("refuses bad ranges and groupings", async () => {
    expectError(await call("GET", `/usage/summary?${RANGE}&groupBy=week`, { token: a.adminKey }), 400, "validation_failed");
    expectError(await call("GET", "/usage/summary?from=soon", { token: a.adminKey }), 400, "validation_failed");
    expectError(await call("GET", "/usage/summary?from=2026-02-01&to=2026-01-01", { token: a.adminKey }), 400, "validation_failed");
    expectError(await call("GET", "/usage/summary?from=2020-01-01&to=2026-01-01", { token: a.adminKey }), 400, "validation_failed");
  });

  it("shows another tenant none of it", async () => {
    const s = await summary("day", b.adminKey);
    expect(s.totals).toMatchObject({ calls: 1, inputTokens: 777, costNanoUsd: 123_456 });
  });

  it("needs usage:read: viewers may, gateway keys and anonymous callers may not", async () => {
    const viewer = await createTestUser(a.tenantId, "viewer");
    expect((await summary("day", viewer.accessToken)).totals.calls).toBe(5);
    expectError(await call("GET", `/usage/summary?${RANGE}`, { token: a.gatewayKey }), 403, "insufficient_scope");
    expectError(await call("GET", `/usage/summary?${RANGE}`), 401, "unauthorized");
  });
});

async function events(query: string, token = a.adminKey) {
  return expectOk(await call("GET", `/usage/events?${RANGE}&${query}`, { token }), 200, Events);
}

describe("GET /usage/events", () => {
  it("pages through calls newest first", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await events(`limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
      expect(page.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.data.map((e) => e.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toEqual([ids.e5, ids.e4, ids.e3, ids.e2, ids.e1]);
  });

  it("pages correctly through calls made in the same millisecond", async () => {
    const t = await createTestTenant();
    const rows = Array.from({ length: 5 }, () => ev(t.tenantId, "2026-01-15T12:00:00Z"));
    await insertEvents(rows);
    const first = await events("limit=3", t.adminKey);
    const second = await events(`limit=3&cursor=${encodeURIComponent(first.nextCursor ?? "")}`, t.adminKey);
    expect(second.nextCursor).toBeNull();
    expect([...first.data, ...second.data].map((e) => e.id).sort()).toEqual(rows.map((r) => r.id).sort());
  });

  it("filters by model (asked for or served), provider, key and status", async () => {
    expect((await events("model=gpt-4o-mini")).data.map((e) => e.id)).toEqual([ids.e4, ids.e3, ids.e1]);
    expect((await events("provider=anthropic")).data.map((e) => e.id)).toEqual([ids.e2]);
    expect((await events("provider=vllm")).data.map((e) => e.id)).toEqual([ids.e5]);
    expect((await events("model=fast")).data.map((e) => e.id)).toEqual([ids.e5]);
    expect((await events(`apiKeyId=${key1}`)).data.map((e) => e.id)).toEqual([ids.e3, ids.e1]);
    expect((await events("status=error")).data.map((e) => e.id)).toEqual([ids.e3]);
    expect((await events("status=429")).data.map((e) => e.id)).toEqual([ids.e3]);
    expect((await events("status=ok")).data).toHaveLength(4);
  });

  it("reports cost in dollars and never the tenant id", async () => {
    const [e1] = (await events(`apiKeyId=${key1}&status=200`)).data;
    expect(e1).toMatchObject({ id: ids.e1, costUsd: 0.000435, costNanoUsd: 435_000, inputTokens: 1000, cachedTokens: 200 });
    expect(e1).not.toHaveProperty("tenantId");
  });

  it("refuses bad cursors, limits and statuses", async () => {
    expectError(await call("GET", "/usage/events?cursor=!!nope", { token: a.adminKey }), 400, "validation_failed");
    expectError(await call("GET", `/usage/events?cursor=${btoa("abc")}`, { token: a.adminKey }), 400, "validation_failed");
    expectError(await call("GET", "/usage/events?limit=0", { token: a.adminKey }), 400, "validation_failed");
    expectError(await call("GET", "/usage/events?limit=1000", { token: a.adminKey }), 400, "validation_failed");
    expectError(await call("GET", "/usage/events?status=teapot", { token: a.adminKey }), 400, "validation_failed");
  });

  it("shows another tenant none of it, even with this tenant's key id", async () => {
    expect((await events(`apiKeyId=${key1}`, b.adminKey)).data).toEqual([]);
    expect((await events("", b.adminKey)).data.map((e) => e.id)).toEqual([ids.other]);
  });
});
