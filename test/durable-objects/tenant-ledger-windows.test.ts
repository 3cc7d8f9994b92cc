import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { settleCall } from "../../workers/gateway/ledger/client";
import type { LedgerRequest } from "../../workers/gateway/ledger/types";
import { admitted, at, budget, ledgerWith, refused, request, spendOf, tryAdmit, watchEvents } from "./tenant-ledger-helpers";

/** Admits and settles one call costing `nanoUsd`, at `now`. */
async function spend(tenantId: string, nanoUsd: number, now: number, over: Partial<LedgerRequest> = {}): Promise<void> {
  const a = admitted(await tryAdmit(tenantId, request({ worstCaseNanoUsd: nanoUsd, now, ...over })));
  await settleCall(env, tenantId, a.reservationId, { nanoUsd, tokens: 10 });
}

describe("calendar windows in the tenant's time zone", () => {
  it("a daily budget in New York resets at local midnight, not UTC midnight", async () => {
    const tenantId = await ledgerWith({ timezone: "America/New_York", budgets: [budget({ limitNanoUsd: 10_000, window: "day" })] });
    await spend(tenantId, 8_000, at("2026-01-15T04:50:00Z")); // 23:50 on the 14th, local
    // 00:30 UTC on the 15th is still the 14th in New York.
    refused(await tryAdmit(tenantId, request({ worstCaseNanoUsd: 5_000, now: at("2026-01-15T04:55:00Z") })), 402, "budget_exceeded");
    const view = await spendOf(tenantId, at("2026-01-15T04:59:59Z"));
    expect(view).toMatchObject({ spentNanoUsd: 8_000, windowStart: at("2026-01-14T05:00:00Z"), windowEnd: at("2026-01-15T05:00:00Z") });
    admitted(await tryAdmit(tenantId, request({ worstCaseNanoUsd: 5_000, now: at("2026-01-15T05:05:00Z") }))); // 00:05 on the 15th
    expect((await spendOf(tenantId, at("2026-01-15T05:05:00Z"))).spentNanoUsd).toBe(0);
  });

  it("a monthly budget in Chicago keeps the 31st's late evening in January", async () => {
    const tenantId = await ledgerWith({ timezone: "America/Chicago", budgets: [budget({ limitNanoUsd: 10_000, window: "month" })] });
    await spend(tenantId, 6_000, at("2026-01-10T12:00:00Z"));
    await spend(tenantId, 3_000, at("2026-02-01T05:30:00Z")); // 23:30 on Jan 31, local
    refused(await tryAdmit(tenantId, request({ worstCaseNanoUsd: 2_000, now: at("2026-02-01T05:59:00Z") })), 402, "budget_exceeded");
    expect(await spendOf(tenantId, at("2026-02-01T05:59:00Z"))).toMatchObject({ spentNanoUsd: 9_000, windowEnd: at("2026-02-01T06:00:00Z") });
    await spend(tenantId, 2_000, at("2026-02-01T06:01:00Z")); // 00:01 on Feb 1, local
    expect(await spendOf(tenantId, at("2026-02-01T06:01:00Z"))).toMatchObject({ spentNanoUsd: 2_000, windowStart: at("2026-02-01T06:00:00Z") });
  });

  it("a call that ends after midnight is charged to the day it was admitted in", async () => {
    const tenantId = await ledgerWith({ timezone: "Asia/Kolkata", budgets: [budget({ limitNanoUsd: 10_000, window: "day" })] });
    const a = admitted(await tryAdmit(tenantId, request({ worstCaseNanoUsd: 4_000, now: at("2026-06-10T18:29:00Z") }))); // 23:59 local
    await settleCall(env, tenantId, a.reservationId, { nanoUsd: 4_000, tokens: 1 });
    expect((await spendOf(tenantId, at("2026-06-10T18:29:30Z"))).spentNanoUsd).toBe(4_000);
    expect((await spendOf(tenantId, at("2026-06-10T18:31:00Z"))).spentNanoUsd).toBe(0);
  });
});

describe("rolling windows", () => {
  it("spend leaves a rolling hour as its minute slides out", async () => {
    const tenantId = await ledgerWith({ budgets: [budget({ limitNanoUsd: 10_000, window: "1h" })] });
    const t0 = at("2026-05-05T10:00:10Z");
    await spend(tenantId, 6_000, t0);
    await spend(tenantId, 3_000, t0 + 30 * 60_000);
    refused(await tryAdmit(tenantId, request({ worstCaseNanoUsd: 2_000, now: t0 + 59 * 60_000 })), 402, "budget_exceeded");
    // An hour on, the first call's minute has left the window; the second's has not.
    admitted(await tryAdmit(tenantId, request({ worstCaseNanoUsd: 2_000, now: t0 + 60 * 60_000 })));
    expect((await spendOf(tenantId, t0 + 61 * 60_000)).spentNanoUsd).toBe(3_000);
    expect((await spendOf(tenantId, t0 + 91 * 60_000)).spentNanoUsd).toBe(0);
  });
});

describe("budget.threshold events", () => {
  it("each of 50/80/100 % is sent exactly once per window, with what a partner needs", async () => {
    const b = budget({ name: "Service BDC", limitNanoUsd: 1_000, action: "soft", scope: "tag", scopeId: "bdc" });
    const tenantId = await ledgerWith({ timezone: "America/New_York", budgets: [b] });
    const events = await watchEvents(tenantId);
    const day1 = at("2026-03-10T15:00:00Z");
    for (const cost of [300, 250, 100, 200, 500, 100]) await spend(tenantId, cost, day1, { tags: ["bdc"] });
    expect(events.map((e) => e.data.thresholdPercent)).toEqual([50, 80, 100]);
    expect(events[1]).toEqual({
      tenantId,
      type: "budget.threshold",
      data: expect.objectContaining({ budgetId: b.id, scope: "tag", scopeId: "bdc", window: "day", thresholdPercent: 80, spentNanoUsd: 850, limitNanoUsd: 1_000, action: "soft" }),
    });
    // The next local day is a new window: 50 % fires again, once.
    const day2 = at("2026-03-11T15:00:00Z");
    for (const cost of [600, 10]) await spend(tenantId, cost, day2, { tags: ["bdc"] });
    expect(events.map((e) => e.data.thresholdPercent)).toEqual([50, 80, 100, 50]);
  });

  it("200 concurrent calls crossing every threshold send each one once", async () => {
    const tenantId = await ledgerWith({ budgets: [budget({ limitNanoUsd: 1_000, action: "soft" })] });
    const events = await watchEvents(tenantId);
    await Promise.all(Array.from({ length: 200 }, () => spend(tenantId, 10, at("2026-05-05T12:00:00Z"))));
    expect(events.map((e) => e.data.thresholdPercent).sort((x, y) => Number(x) - Number(y))).toEqual([50, 80, 100]);
  });

  it("a threshold whose event could not be sent is sent on the next settle", async () => {
    const tenantId = await ledgerWith({ budgets: [budget({ limitNanoUsd: 1_000, action: "soft", thresholds: [50] })] });
    const lost = await watchEvents(tenantId, true);
    await spend(tenantId, 600, at("2026-05-05T12:00:00Z"));
    expect(lost).toEqual([]);
    const events = await watchEvents(tenantId);
    await spend(tenantId, 1, at("2026-05-05T12:00:00Z"));
    await spend(tenantId, 1, at("2026-05-05T12:00:00Z"));
    expect(events.map((e) => e.data.thresholdPercent)).toEqual([50]);
  });

  it("a rolling window re-arms once spend falls back under a threshold", async () => {
    const tenantId = await ledgerWith({ budgets: [budget({ limitNanoUsd: 1_000, action: "soft", window: "1h", thresholds: [50] })] });
    const events = await watchEvents(tenantId);
    const t0 = at("2026-05-05T10:00:00Z");
    await spend(tenantId, 600, t0);
    await spend(tenantId, 10, t0 + 10 * 60_000);
    expect(events).toHaveLength(1);
    // An hour on only the 10 is left in the window, so 600 more crosses 50 % again.
    await spend(tenantId, 600, t0 + 70 * 60_000);
    expect(events).toHaveLength(2);
  });
});

describe("degrade budgets", () => {
  it("admit with the cheaper model once a call would pass degradeAtPercent, and keep admitting past the limit", async () => {
    const tenantId = await ledgerWith({
      budgets: [budget({ limitNanoUsd: 10_000, action: "degrade", degradeTo: "openai/gpt-4o-mini", degradeAtPercent: 80 })],
    });
    expect(admitted(await tryAdmit(tenantId, request({ worstCaseNanoUsd: 1_000 }))).degradeTo).toBeNull();
    await spend(tenantId, 6_500, at("2026-05-05T12:00:00Z"));
    const degraded = admitted(await tryAdmit(tenantId, request({ worstCaseNanoUsd: 1_000 })));
    expect(degraded.degradeTo).toBe("openai/gpt-4o-mini");
    await spend(tenantId, 5_000, at("2026-05-05T12:00:00Z"));
    expect(admitted(await tryAdmit(tenantId, request({ worstCaseNanoUsd: 1_000 }))).degradeTo).toBe("openai/gpt-4o-mini");
  });

  it("a key's degrade budget leaves other keys on the model they asked for", async () => {
    const tenantId = await ledgerWith({
      budgets: [budget({ scope: "key", scopeId: "key_intern", limitNanoUsd: 100, action: "degrade", degradeTo: "openai/gpt-4o-mini" })],
    });
    expect(admitted(await tryAdmit(tenantId, request({ apiKeyId: "key_intern", worstCaseNanoUsd: 1_000 }))).degradeTo).toBe("openai/gpt-4o-mini");
    expect(admitted(await tryAdmit(tenantId, request({ apiKeyId: "key_sales", worstCaseNanoUsd: 1_000 }))).degradeTo).toBeNull();
  });
});
