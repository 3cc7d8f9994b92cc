/**
 * Budget forecasts from real parts: spend charged through the tenant's TenantLedger, the
 * same calls in the usage log, and the forecast for a fixed day checked against dates
 * worked out by hand from those numbers.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { makeDb } from "../../workers/db";
import { ledgerOf } from "../../workers/gateway/ledger/client";
import { newId } from "../../workers/lib/ids";
import { budgetForecasts } from "../../workers/operations/forecasts";
import { call, expectOk } from "../api/helpers";
import { createTestTenant } from "../helpers/fixtures";
import { DAY, insertCalls, testClock } from "./helpers";

const USD = 1e9;

/** One call of `nanoUsd` at `at`: charged by the ledger and written to the usage log. */
async function spendAt(tenantId: string, at: number, nanoUsd: number, tags: string[]): Promise<void> {
  const ledger = ledgerOf(env, tenantId);
  const admitted = await ledger.admit(tenantId, { requestId: newId("req"), apiKeyId: null, userId: null, tags, model: "openai/gpt-4o", estimatedTokens: 10, worstCaseNanoUsd: nanoUsd, now: at });
  if (!admitted.ok) throw new Error(`ledger refused the call: ${JSON.stringify(admitted)}`);
  await ledger.settle(tenantId, admitted.reservationId, { nanoUsd, tokens: 10 });
  await insertCalls({ tenantId, from: at, to: at + 1, everyMs: 1, costNanoUsd: nanoUsd, tags });
}

describe("budget forecasts", () => {
  it("burn rate, projection and run-out date of a month budget and of a tag budget", async () => {
    const t = await createTestTenant("Forecast Motors");
    await env.DB.prepare("update tenants set timezone = 'UTC' where id = ?").bind(t.tenantId).run();
    const Id = z.object({ id: z.string() });
    const monthly = expectOk(await call("POST", "/budgets", { token: t.adminKey, body: { name: "All AI", scope: "tenant", limitUsd: 50, window: "month", action: "soft" } }), 201, Id);
    const loop = expectOk(await call("POST", "/budgets", { token: t.adminKey, body: { name: "Follow-up loop", scope: "tag", scopeId: "loop", limitUsd: 10, window: "month", action: "soft" } }), 201, Id);

    // $2 a day at noon on the 1st to the 10th of a month; the calls of the 8th, 9th and 10th carry the tag "loop".
    const base = new Date(testClock());
    const [y, m] = [base.getUTCFullYear(), base.getUTCMonth()];
    for (let d = 1; d <= 10; d++) await spendAt(t.tenantId, Date.UTC(y, m, d, 12), 2 * USD, d >= 8 ? ["loop"] : []);
    const now = Date.UTC(y, m, 11);
    const date = (day: number) => new Date(Date.UTC(y, m, day)).toISOString().slice(0, 10);

    const forecasts = await budgetForecasts(env, { db: makeDb(env.DB), tenantId: t.tenantId }, now);
    const all = forecasts.find((f) => f.budgetId === monthly.id);
    const tagged = forecasts.find((f) => f.budgetId === loop.id);

    // The month: $20 spent. Rate: the 4th to the 11th (7 days) held $14 -> $2/day. $30 left -> 15 days -> the 26th.
    const daysLeft = (Date.UTC(y, m + 1, 1) - now) / DAY;
    expect(all).toMatchObject({ windowStart: Date.UTC(y, m, 1), windowEnd: Date.UTC(y, m + 1, 1), spentNanoUsd: 20 * USD, rateFrom: Date.UTC(y, m, 4) });
    expect(all).toMatchObject({ burnRateNanoUsdPerDay: 2 * USD, projectedNanoUsd: 20 * USD + daysLeft * 2 * USD, runOutAt: Date.UTC(y, m, 26), runOutDate: date(26), runsOutBeforeWindowEnd: true });

    // The tag: $6 spent, all of it in the last 7 days -> $6/7 a day. $4 left -> 4 / (6/7) = 14/3 days -> the 15th at 16:00.
    expect(tagged).toMatchObject({ spentNanoUsd: 6 * USD, burnRateNanoUsdPerDay: Math.round((6 * USD) / 7), runOutAt: Date.UTC(y, m, 15, 16), runOutDate: date(15), runsOutBeforeWindowEnd: true });
  });
});
