/**
 * Forecasts for a tenant, from its data: each active budget's burn rate and run-out day
 * (spend from the TenantLedger, recent pace from the usage log), and each provider's daily
 * call volume for the coming days.
 */
import { and, eq, gte, isNotNull, lt, sql, type SQL } from "drizzle-orm";
import { type BudgetScope, usageEvents } from "../../d1/schema";
import type { TenantScope } from "../db";
import { ledgerSpend } from "../gateway/ledger/client";
import type { SpendView } from "../gateway/ledger/types";
import { parseWindow } from "../gateway/ledger/windows";
import { DAY_MS, type BudgetForecast, forecastBudget, rateFrom, utcDate } from "./forecast-budget";
import { forecastVolume, type VolumeForecast } from "./forecast-volume";

export type BudgetForecastView = SpendView & BudgetForecast;

/** The usage rows a budget covers (as the ledger's appliesTo decides for calls). */
function coveredBy(scope: BudgetScope, scopeId: string | null): SQL | undefined {
  if (scope === "tenant") return undefined;
  if (scopeId === null) return sql`0`;
  if (scope === "key") return eq(usageEvents.apiKeyId, scopeId);
  if (scope === "user") return eq(usageEvents.userId, scopeId);
  return sql`exists (select 1 from json_each(${usageEvents.tags}) where value = ${scopeId})`;
}

async function spendBetween(scope: TenantScope, view: SpendView, from: number, to: number): Promise<number> {
  const [row] = await scope.db
    .select({ total: sql<number>`coalesce(sum(${usageEvents.costNanoUsd}), 0)` })
    .from(usageEvents)
    .where(and(eq(usageEvents.tenantId, scope.tenantId), gte(usageEvents.createdAt, from), lt(usageEvents.createdAt, to), coveredBy(view.scope, view.scopeId)));
  return Number(row?.total ?? 0);
}

/** Every enabled budget's current window with its burn rate, projection and run-out day. */
export async function budgetForecasts(env: Env, scope: TenantScope, now: number): Promise<BudgetForecastView[]> {
  const views = (await ledgerSpend(env, scope.tenantId, now)).filter((v) => v.enabled);
  return Promise.all(
    views.map(async (view) => {
      const spec = parseWindow(view.window);
      const recent = await spendBetween(scope, view, rateFrom(now, view.windowStart), now);
      const forecast = forecastBudget({
        now,
        rollingMs: spec?.kind === "rolling" ? spec.ms : null,
        windowStart: view.windowStart,
        windowEnd: view.windowEnd,
        limitNanoUsd: view.limitNanoUsd,
        spentNanoUsd: view.spentNanoUsd,
        recentSpendNanoUsd: recent,
      });
      return { ...view, ...forecast };
    }),
  );
}

export type VolumeQuery = { days: number; historyDays: number };

export type ProviderVolume = {
  provider: string;
  method: VolumeForecast["method"];
  trend: { intercept: number; slopePerDay: number };
  weekdayFactors: number[] | null;
  residualStdDev: number;
  history: { date: string; calls: number }[];
  forecast: { date: string; calls: number; low: number; high: number }[];
};

/** The start of the UTC day of `ms`. */
export function utcDayStart(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

/**
 * Each provider's calls per UTC day over the `historyDays` whole days before today, and the
 * forecast for `days` days from today on. Providers with no calls in the history are left out.
 */
export async function volumeForecasts(scope: TenantScope, q: VolumeQuery, now: number): Promise<{ from: number; to: number; providers: ProviderVolume[] }> {
  const to = utcDayStart(now);
  const from = to - q.historyDays * DAY_MS;
  const rows = await scope.db
    .select({ provider: usageEvents.provider, day: sql<number>`cast((${usageEvents.createdAt} - ${from}) / ${DAY_MS} as integer)`, calls: sql<number>`count(*)` })
    .from(usageEvents)
    .where(and(eq(usageEvents.tenantId, scope.tenantId), gte(usageEvents.createdAt, from), lt(usageEvents.createdAt, to), isNotNull(usageEvents.provider)))
    .groupBy(usageEvents.provider, sql`2`);
  const series = new Map<string, number[]>();
  for (const r of rows) {
    if (r.provider === null || r.day < 0 || r.day >= q.historyDays) continue;
    let counts = series.get(r.provider);
    if (!counts) series.set(r.provider, (counts = new Array<number>(q.historyDays).fill(0)));
    counts[r.day] = Number(r.calls);
  }
  const firstWeekday = new Date(from).getUTCDay();
  const providers = [...series.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([provider, counts]): ProviderVolume => {
      const f = forecastVolume({ history: counts, firstWeekday, days: q.days });
      return {
        provider,
        method: f.method,
        trend: { intercept: f.intercept, slopePerDay: f.slopePerDay },
        weekdayFactors: f.weekdayFactors,
        residualStdDev: f.residualStdDev,
        history: counts.map((calls, i) => ({ date: utcDate(from + i * DAY_MS), calls })),
        forecast: f.points.map(({ day, calls, low, high }) => ({ date: utcDate(from + day * DAY_MS), calls, low, high })),
      };
    });
  return { from, to, providers };
}
