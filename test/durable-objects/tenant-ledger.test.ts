import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { AppError } from "../../workers/errors";
import { createBudget } from "../../workers/gateway/ledger/budget-store";
import { settleCall } from "../../workers/gateway/ledger/client";
import { makeDb } from "../../workers/db";
import { createTestTenant } from "../helpers/fixtures";
import { admitted, budget, ledgerStub, ledgerWith, refused, request, spendOf, tryAdmit } from "./tenant-ledger-helpers";

const NOW = Date.parse("2026-05-05T12:00:00Z");

describe("a hard budget under concurrent calls", () => {
  it("300 parallel admits against room for 50: exactly 50 pass, the rest are clean 402s", async () => {
    const tenantId = await ledgerWith({ budgets: [budget({ limitNanoUsd: 50_000 })] });
    const results = await Promise.all(Array.from({ length: 300 }, () => tryAdmit(tenantId, request({ worstCaseNanoUsd: 1_000 }))));
    const passed = results.filter((r) => !(r instanceof AppError));
    const denied = results.filter((r): r is AppError => r instanceof AppError);
    expect(passed).toHaveLength(50);
    expect(denied).toHaveLength(250);
    for (const d of denied) {
      expect([d.status, d.code]).toEqual([402, "budget_exceeded"]);
      expect(d.headers?.["x-auterity-budget-remaining-usd"]).toBe("0.000000000");
    }
    expect(await spendOf(tenantId, NOW)).toMatchObject({ spentNanoUsd: 0, reservedNanoUsd: 50_000, remainingNanoUsd: 0 });

    await Promise.all(passed.map((p) => settleCall(env, tenantId, admitted(p).reservationId, { nanoUsd: 1_000, tokens: 10 })));
    expect(await spendOf(tenantId, NOW)).toMatchObject({ spentNanoUsd: 50_000, reservedNanoUsd: 0, percent: 100 });
    refused(await tryAdmit(tenantId, request({ worstCaseNanoUsd: 1 })), 402, "budget_exceeded");
  });

  it("400 parallel admit-then-settle calls with random real costs never settle past the limit", async () => {
    const limitNanoUsd = 25_000;
    const tenantId = await ledgerWith({ budgets: [budget({ limitNanoUsd })] });
    let passed = 0;
    const outcomes = await Promise.all(
      Array.from({ length: 400 }, async (_, i) => {
        const r = await tryAdmit(tenantId, request({ worstCaseNanoUsd: 1_000 }));
        if (r instanceof AppError) return r;
        passed++;
        // Real costs are at most the worst case; some calls fail and cost nothing.
        await settleCall(env, tenantId, r.reservationId, { nanoUsd: i % 7 === 0 ? 0 : 400 + ((i * 37) % 601), tokens: 50 });
        return null;
      }),
    );
    for (const o of outcomes) if (o) expect([o.status, o.code]).toEqual([402, "budget_exceeded"]);
    const view = await spendOf(tenantId, NOW);
    expect(view.spentNanoUsd).toBeLessThanOrEqual(limitNanoUsd);
    expect(view.reservedNanoUsd).toBe(0);
    expect(passed).toBeGreaterThanOrEqual(25);
    expect(outcomes.some((o) => o !== null)).toBe(true);
  });

  it("a refusal says which budget, what is left and when the window ends", async () => {
    const b = budget({ name: "Daily cap", limitNanoUsd: 5_000 });
    const tenantId = await ledgerWith({ budgets: [b] });
    admitted(await tryAdmit(tenantId, request({ worstCaseNanoUsd: 4_000 })));
    const err = refused(await tryAdmit(tenantId, request({ worstCaseNanoUsd: 2_000 })), 402, "budget_exceeded");
    expect(err.message).toContain("Daily cap");
    expect(err.details).toMatchObject({ budgetId: b.id, limitNanoUsd: 5_000, reservedNanoUsd: 4_000, requestedNanoUsd: 2_000, windowEnd: Date.parse("2026-05-06T00:00:00Z") });
  });
});

describe("settling", () => {
  it("charges the real cost, releases the rest, and a second settle changes nothing", async () => {
    const tenantId = await ledgerWith({ budgets: [budget({ limitNanoUsd: 10_000 })] });
    const a = admitted(await tryAdmit(tenantId, request({ worstCaseNanoUsd: 6_000 })));
    expect(a.headers["x-auterity-budget-remaining-usd"]).toBe("0.000004000");
    const stub = ledgerStub(tenantId);
    expect((await stub.settle(tenantId, a.reservationId, { nanoUsd: 2_500, tokens: 10 })).settled).toBe(true);
    expect((await stub.settle(tenantId, a.reservationId, { nanoUsd: 2_500, tokens: 10 })).settled).toBe(false);
    expect((await stub.settle(tenantId, "rsv_unknown", { nanoUsd: 9_999, tokens: 10 })).settled).toBe(false);
    expect(await spendOf(tenantId, NOW)).toMatchObject({ spentNanoUsd: 2_500, reservedNanoUsd: 0, remainingNanoUsd: 7_500, percent: 25 });
  });

  it("a failed call settles at zero and frees its reservation", async () => {
    const tenantId = await ledgerWith({ budgets: [budget({ limitNanoUsd: 1_000 })] });
    const a = admitted(await tryAdmit(tenantId, request({ worstCaseNanoUsd: 1_000 })));
    refused(await tryAdmit(tenantId, request({ worstCaseNanoUsd: 1_000 })), 402, "budget_exceeded");
    await settleCall(env, tenantId, a.reservationId, { nanoUsd: 0, tokens: 0 });
    admitted(await tryAdmit(tenantId, request({ worstCaseNanoUsd: 1_000 })));
  });

  it("refuses malformed input", async () => {
    const tenantId = await ledgerWith({});
    // Called on the instance: a rejected RPC through a stub trips the test pool's unhandled-rejection check.
    await runInDurableObject(ledgerStub(tenantId), async (ledger) => {
      await expect(ledger.settle(tenantId, "rsv_x", { nanoUsd: -1, tokens: 0 })).rejects.toThrow();
      await expect(ledger.admit(tenantId, { ...request(), worstCaseNanoUsd: "lots" })).rejects.toThrow();
    });
  });
});

describe("reservations that are never settled", () => {
  it("are released by the alarm, which re-arms for the next; a late settle still counts", async () => {
    const tenantId = await ledgerWith({ budgets: [budget({ limitNanoUsd: 3_000 })] });
    const stub = ledgerStub(tenantId);
    const first = admitted(await tryAdmit(tenantId, request({ worstCaseNanoUsd: 1_000 })));
    admitted(await tryAdmit(tenantId, request({ worstCaseNanoUsd: 1_000 })));
    const armed = await runInDurableObject(stub, async (_, state) => {
      const alarm = await state.storage.getAlarm();
      const due = state.storage.sql.exec<{ t: number }>(`SELECT MIN(expires_at) AS t FROM reservations`).one().t;
      const later = state.storage.sql.exec<{ t: number }>(`SELECT MAX(expires_at) AS t FROM reservations`).one().t;
      // Ten minutes pass for the first reservation only.
      state.storage.sql.exec(`UPDATE reservations SET expires_at = ? WHERE id = ?`, Date.now() - 1, first.reservationId);
      return { alarm, due, later };
    });
    expect(armed.alarm).toBe(armed.due);
    expect(armed.due).toBeGreaterThan(Date.now() + 9 * 60_000);

    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await spendOf(tenantId, NOW)).toMatchObject({ spentNanoUsd: 0, reservedNanoUsd: 1_000 });
    const next = await runInDurableObject(stub, (_, state) => state.storage.getAlarm());
    expect(next).toBe(armed.later);

    await settleCall(env, tenantId, first.reservationId, { nanoUsd: 700, tokens: 5 });
    expect(await spendOf(tenantId, NOW)).toMatchObject({ spentNanoUsd: 700, reservedNanoUsd: 1_000 });
  });
});

describe("configuration", () => {
  it("is loaded from D1 on first use, and reloaded when the settings change", async () => {
    const { tenantId } = await createTestTenant("Ledger Loads");
    const scope = { db: makeDb(env.DB), tenantId };
    await createBudget(scope, { scope: "tenant", limitUsd: 0.000002, window: "month", action: "hard", degradeAtPercent: 100, thresholds: [50], enabled: true });
    admitted(await tryAdmit(tenantId, request({ worstCaseNanoUsd: 2_000 })));
    refused(await tryAdmit(tenantId, request({ worstCaseNanoUsd: 1 })), 402, "budget_exceeded");

    await createBudget(scope, { scope: "tag", scopeId: "bdc", limitUsd: 0.000005, window: "day", action: "soft", degradeAtPercent: 100, thresholds: [50], enabled: true });
    await ledgerStub(tenantId).configure(tenantId);
    expect((await ledgerStub(tenantId).spend(tenantId)).map((s) => s.scope).sort()).toEqual(["tag", "tenant"]);
  });

  it("a ledger answers only for its own tenant", async () => {
    const tenantId = await ledgerWith({});
    await runInDurableObject(ledgerStub(tenantId), async (ledger) => {
      await expect(ledger.admit("ten_someoneElse", request())).rejects.toThrow(/belongs to tenant/);
    });
  });

  it("disabled budgets are shown but enforce nothing", async () => {
    const tenantId = await ledgerWith({ budgets: [budget({ limitNanoUsd: 1, enabled: false })] });
    admitted(await tryAdmit(tenantId, request({ worstCaseNanoUsd: 1_000_000 })));
    expect(await spendOf(tenantId, NOW)).toMatchObject({ enabled: false, reservedNanoUsd: 0 });
  });
});
