/**
 * What /operations accepts and answers (anomalies, their sensitivity setting, forecasts),
 * as zod schemas that also describe it in /api/v1/openapi.json.
 */
import { z } from "@hono/zod-openapi";
import { ANOMALY_KINDS, ANOMALY_STATUSES, ANOMALY_UNITS, SENSITIVITIES } from "../../d1/schema";
import { Spend } from "../gateway/ledger/inputs";
import { EpochMs } from "./schemas";

const Sensitivity = z.enum(SENSITIVITIES).openapi({
  description: "How far above its usual level a metric must go to raise an anomaly: off (never), low (8 baseline scales), medium (5, the default), high (3)",
  example: "medium",
});

export const AnomalySettingsBody = z.object({ sensitivity: Sensitivity }).strict().openapi("AnomalySettingsInput");

export const AnomalySettingsSchema = z
  .object({ sensitivity: Sensitivity, updatedAt: EpochMs.nullable().openapi({ description: "Null until the tenant chose a sensitivity" }) })
  .openapi("AnomalySettings");

export const AnomalySchema = z
  .object({
    id: z.string().openapi({ example: "anom_3Rt8mQ4rT6vX9zB1cD3e" }),
    kind: z.enum(ANOMALY_KINDS),
    subject: z.string().openapi({ description: 'The provider for provider_* kinds; "tenant" for tenant_spend and tenant_volume', example: "tenant" }),
    status: z.enum(ANOMALY_STATUSES),
    sensitivity: Sensitivity.openapi({ description: "The tenant's sensitivity when it was raised" }),
    score: z.number().openapi({ description: "Robust z-score: (observed - expected) / scale of the previous 24 hours", example: 41.5 }),
    observed: z.number().openapi({ description: "The value over the 5-minute window, in `unit`", example: 520000000 }),
    expected: z.number().openapi({ description: "The median of the previous 24 hours of 5-minute windows", example: 10000000 }),
    unit: z.enum(ANOMALY_UNITS),
    summary: z.string().openapi({ example: "Spend in the last 5 minutes was $0.5200, against a usual $0.0100." }),
    windowStart: EpochMs,
    windowEnd: EpochMs,
    detectedAt: EpochMs,
    resolvedAt: EpochMs.nullable(),
    acknowledgedAt: EpochMs.nullable(),
    acknowledgedBy: z.string().nullable().openapi({ description: "The user or API key id that acknowledged it" }),
  })
  .openapi("Anomaly");

export const AnomalyListQuery = z.object({
  status: z.enum([...ANOMALY_STATUSES, "all"]).default("all").openapi({ description: "open, resolved or all (the default)" }),
  limit: z.coerce.number().int().min(1).max(200).default(50).openapi({ example: 50 }),
  cursor: z.string().min(1).max(200).optional().openapi({ description: "nextCursor of the previous page" }),
});

export const AnomalyPage = z.object({ data: z.array(AnomalySchema), nextCursor: z.string().nullable() }).openapi("AnomalyPage");

export const BudgetForecastSchema = Spend.extend({
  rateFrom: EpochMs.openapi({ description: "The burn rate is the spend from here until now (the last 7 days, or the window so far if shorter) per day" }),
  burnRateNanoUsdPerDay: z.number().int(),
  burnRateUsdPerDay: z.number(),
  projectedNanoUsd: z.number().int().openapi({ description: "Spend at projectedAt at this pace" }),
  projectedUsd: z.number(),
  projectedAt: EpochMs.openapi({ description: "The window's end; for a rolling window, one window length from now" }),
  runOutAt: EpochMs.nullable().openapi({ description: "When spend reaches the limit at this pace (now if it already has); null if not before projectedAt" }),
  runOutDate: z.string().nullable().openapi({ description: "runOutAt as a UTC date", example: "2026-05-26" }),
  runsOutBeforeWindowEnd: z.boolean(),
}).openapi("BudgetForecast");

export const BudgetForecastList = z.object({ asOf: EpochMs, data: z.array(BudgetForecastSchema) }).openapi("BudgetForecasts");

export const VolumeQuery = z.object({
  days: z.coerce.number().int().min(1).max(60).default(7).openapi({ description: "Days to forecast, from today (UTC) on: 1 to 60", example: 7 }),
  historyDays: z.coerce.number().int().min(7).max(180).default(28).openapi({ description: "Whole UTC days of history before today to fit: 7 to 180", example: 28 }),
});

const Method = z.enum(["linear_trend", "linear_trend_weekday"]).openapi({
  description: "linear_trend: least-squares line through the daily counts (never below 0). linear_trend_weekday: the same line times day-of-week factors, used from 14 days of history",
});

const ProviderVolumeSchema = z
  .object({
    provider: z.string().openapi({ example: "openai" }),
    method: Method,
    trend: z.object({ intercept: z.number(), slopePerDay: z.number() }).openapi({ description: "Calls on history day x (0 = the oldest) = intercept + slopePerDay * x" }),
    weekdayFactors: z.array(z.number()).nullable().openapi({ description: "Sunday..Saturday multipliers (mean 1); null for linear_trend" }),
    residualStdDev: z.number().openapi({ description: "Standard deviation of the history around the fit, in calls per day" }),
    history: z.array(z.object({ date: z.string().openapi({ example: "2026-05-04" }), calls: z.number().int() })),
    forecast: z.array(
      z.object({
        date: z.string().openapi({ example: "2026-06-01" }),
        calls: z.number(),
        low: z.number().openapi({ description: "Lower end of the ~80 % interval (not below 0)" }),
        high: z.number().openapi({ description: "Upper end of the ~80 % interval" }),
      }),
    ),
  })
  .openapi("ProviderVolumeForecast");

export const VolumeForecastList = z
  .object({
    method: Method,
    days: z.number().int(),
    historyDays: z.number().int(),
    from: EpochMs.openapi({ description: "Start of the history (UTC midnight)" }),
    to: EpochMs.openapi({ description: "End of the history: today's UTC midnight, where the forecast starts" }),
    data: z.array(ProviderVolumeSchema),
  })
  .openapi("VolumeForecasts");
