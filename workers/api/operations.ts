/**
 * /operations: anomalies the detector raised for the tenant (list, read, acknowledge), the
 * tenant's anomaly sensitivity, and forecasts of budget run-out and provider call volume.
 */
import { createRoute, type z } from "@hono/zod-openapi";
import { platformAuth, requirePermission } from "../auth/middleware";
import { actorOf } from "../auth/principal";
import { summaryOf } from "../operations/announce";
import { acknowledgeAnomaly, type AnomalyRow, getAnomaly, listAnomalies } from "../operations/anomaly-store";
import { type VolumeMethod, WEEKDAY_MIN_HISTORY } from "../operations/forecast-volume";
import { type BudgetForecastView, budgetForecasts, volumeForecasts } from "../operations/forecasts";
import { getAnomalySettings, putAnomalySettings } from "../operations/settings";
import { audit, scopeOf } from "./context";
import { createApiApp } from "./factory";
import {
  AnomalyListQuery,
  AnomalyPage,
  AnomalySchema,
  AnomalySettingsBody,
  AnomalySettingsSchema,
  BudgetForecastList,
  BudgetForecastSchema,
  VolumeForecastList,
  VolumeQuery,
} from "./operations-schemas";
import { authErrors, bearerSecurity, IdParams, jsonBody, jsonResponse, mediaTypeError } from "./schemas";

export const operationsApi = createApiApp();
operationsApi.use("*", platformAuth);

const tags = ["Operations"];
const read = requirePermission("usage:read");
const write = requirePermission("gateway:write");
const route = <R extends Parameters<typeof createRoute>[0]>(r: R) => createRoute({ tags, security: bearerSecurity, ...r });

function anomalyView(row: AnomalyRow): z.infer<typeof AnomalySchema> {
  const { tenantId: _tenant, clearSince: _clear, notifiedAt: _notified, resolvedNotifiedAt: _resolvedNotified, ...rest } = row;
  return { ...rest, summary: summaryOf(row) };
}

function budgetForecastView(f: BudgetForecastView): z.infer<typeof BudgetForecastSchema> {
  return {
    ...f,
    limitUsd: f.limitNanoUsd / 1e9,
    spentUsd: f.spentNanoUsd / 1e9,
    remainingUsd: f.remainingNanoUsd / 1e9,
    burnRateUsdPerDay: f.burnRateNanoUsdPerDay / 1e9,
    projectedUsd: f.projectedNanoUsd / 1e9,
  };
}

operationsApi.openapi(
  route({ method: "get", path: "/anomaly-settings", middleware: [read],
    responses: { 200: jsonResponse(AnomalySettingsSchema, "The tenant's anomaly sensitivity (medium until one is chosen)"), ...authErrors } }),
  async (c) => c.json(await getAnomalySettings(scopeOf(c)), 200),
);

operationsApi.openapi(
  route({ method: "put", path: "/anomaly-settings", middleware: [write], request: { body: jsonBody(AnomalySettingsBody) },
    description: "Sets how readily anomalies are raised for this tenant. Applies from the detector's next run (within a minute); open anomalies resolve once under the new threshold.",
    responses: { 200: jsonResponse(AnomalySettingsSchema, "The settings as saved"), ...authErrors, ...mediaTypeError } }),
  async (c) => {
    const { before, after } = await putAnomalySettings(scopeOf(c), c.req.valid("json").sensitivity, actorOf(c.get("principal")).actorId, Date.now());
    await audit(c, { action: "anomaly_settings.updated", resourceType: "anomaly_settings", before, after });
    return c.json(after, 200);
  },
);

operationsApi.openapi(
  route({ method: "get", path: "/anomalies", middleware: [read], request: { query: AnomalyListQuery },
    responses: { 200: jsonResponse(AnomalyPage, "Anomalies, newest first"), ...authErrors } }),
  async (c) => {
    const page = await listAnomalies(scopeOf(c), c.req.valid("query"));
    return c.json({ data: page.data.map(anomalyView), nextCursor: page.nextCursor }, 200);
  },
);

operationsApi.openapi(
  route({ method: "get", path: "/anomalies/{id}", middleware: [read], request: { params: IdParams },
    responses: { 200: jsonResponse(AnomalySchema, "The anomaly"), ...authErrors } }),
  async (c) => c.json(anomalyView(await getAnomaly(scopeOf(c), c.req.valid("param").id)), 200),
);

operationsApi.openapi(
  route({ method: "post", path: "/anomalies/{id}/acknowledge", middleware: [write], request: { params: IdParams },
    description: "Marks the anomaly as seen (the dashboard hides its banner). Repeating it returns the anomaly unchanged.",
    responses: { 200: jsonResponse(AnomalySchema, "The anomaly, acknowledged"), ...authErrors } }),
  async (c) => {
    const by = actorOf(c.get("principal")).actorId;
    const { row, changed } = await acknowledgeAnomaly(scopeOf(c), c.req.valid("param").id, by, Date.now());
    if (changed) await audit(c, { action: "anomaly.acknowledged", resourceType: "anomaly", resourceId: row.id, after: { acknowledgedAt: row.acknowledgedAt, acknowledgedBy: by } });
    return c.json(anomalyView(row), 200);
  },
);

operationsApi.openapi(
  route({ method: "get", path: "/forecasts/budgets", middleware: [read],
    description: "Each enabled budget's current window with its burn rate, projected spend and the UTC date it runs out at this pace.",
    responses: { 200: jsonResponse(BudgetForecastList, "One forecast per enabled budget"), ...authErrors } }),
  async (c) => {
    const now = Date.now();
    const data = await budgetForecasts(c.env, scopeOf(c), now);
    return c.json({ asOf: now, data: data.map(budgetForecastView) }, 200);
  },
);

operationsApi.openapi(
  route({ method: "get", path: "/forecasts/volume", middleware: [read], request: { query: VolumeQuery },
    description: "Calls per provider per UTC day over the history, and a forecast with an ~80 % interval for the next `days` days (today first).",
    responses: { 200: jsonResponse(VolumeForecastList, "One history and forecast per provider the tenant called"), ...authErrors } }),
  async (c) => {
    const q = c.req.valid("query");
    const { from, to, providers } = await volumeForecasts(scopeOf(c), q, Date.now());
    const method: VolumeMethod = q.historyDays >= WEEKDAY_MIN_HISTORY ? "linear_trend_weekday" : "linear_trend";
    return c.json({ method, days: q.days, historyDays: q.historyDays, from, to, data: providers }, 200);
  },
);
