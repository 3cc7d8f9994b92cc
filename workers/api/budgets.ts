/**
 * Budgets, rate limits and current spend: /budgets, /rate-limits, /spend. Settings are
 * saved in D1 and then pushed to the tenant's ledger, so a change applies to the next call.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { platformAuth, requirePermission } from "../auth/middleware";
import type { AppEnv } from "../env";
import { createBudget, deleteBudget, getBudget, listBudgets, updateBudget } from "../gateway/ledger/budget-store";
import { budgetSpend, ledgerSpend, reloadLedger } from "../gateway/ledger/client";
import {
  Budget,
  BudgetCreate,
  BudgetPatch,
  LedgerSettings,
  RateLimit,
  RateLimitCreate,
  RateLimitPatch,
  Spend,
} from "../gateway/ledger/inputs";
import { createRateLimit, deleteRateLimit, getLedgerSettings, getRateLimit, listRateLimits, putLedgerSettings, updateRateLimit } from "../gateway/ledger/limit-store";
import type { SpendView } from "../gateway/ledger/types";
import { audit, scopeOf } from "./context";
import { createApiApp } from "./factory";
import { authErrors, bearerSecurity, conflictError, IdParams, jsonBody, jsonResponse, mediaTypeError } from "./schemas";

export const budgetsApi = createApiApp();

const tags = ["Budgets and rate limits"];
const read = [platformAuth, requirePermission("gateway:read")];
const write = [platformAuth, requirePermission("gateway:write")];
const ListOf = <S extends z.ZodType>(item: S) => z.object({ data: z.array(item) });

function withUsd(s: SpendView): z.infer<typeof Spend> {
  return { ...s, limitUsd: s.limitNanoUsd / 1e9, spentUsd: s.spentNanoUsd / 1e9, remainingUsd: s.remainingNanoUsd / 1e9 };
}

// The ledger reloads from D1 now rather than within the minute it would take on its own.
function pushToLedger(c: Context<AppEnv>): Promise<void> {
  return reloadLedger(c.env, c.get("principal").tenantId);
}

budgetsApi.openapi(
  createRoute({ method: "get", path: "/budgets", tags, security: bearerSecurity, middleware: read,
    responses: { 200: jsonResponse(ListOf(Budget), "The tenant's budgets"), ...authErrors } }),
  async (c) => c.json({ data: await listBudgets(scopeOf(c)) }, 200),
);

budgetsApi.openapi(
  createRoute({ method: "post", path: "/budgets", tags, security: bearerSecurity, middleware: write, request: { body: jsonBody(BudgetCreate) },
    responses: { 201: jsonResponse(Budget, "The budget as saved"), ...authErrors, ...mediaTypeError } }),
  async (c) => {
    const created = await createBudget(scopeOf(c), c.req.valid("json"));
    await audit(c, { action: "budget.created", resourceType: "budget", resourceId: created.id, after: created });
    await pushToLedger(c);
    return c.json(created, 201);
  },
);

// Declared before /budgets/{id}, which would otherwise take "settings" for an id.
budgetsApi.openapi(
  createRoute({ method: "get", path: "/budgets/settings", tags, security: bearerSecurity, middleware: read,
    responses: { 200: jsonResponse(LedgerSettings, "What happens when the ledger cannot be reached"), ...authErrors } }),
  async (c) => c.json(await getLedgerSettings(scopeOf(c)), 200),
);

budgetsApi.openapi(
  createRoute({ method: "put", path: "/budgets/settings", tags, security: bearerSecurity, middleware: write, request: { body: jsonBody(LedgerSettings) },
    responses: { 200: jsonResponse(LedgerSettings, "The settings as saved"), ...authErrors, ...mediaTypeError } }),
  async (c) => {
    const { before, after } = await putLedgerSettings(scopeOf(c), c.req.valid("json"));
    await audit(c, { action: "budget_settings.updated", resourceType: "budget_settings", before, after });
    return c.json(after, 200);
  },
);

budgetsApi.openapi(
  createRoute({ method: "get", path: "/budgets/{id}", tags, security: bearerSecurity, middleware: read, request: { params: IdParams },
    responses: { 200: jsonResponse(Budget, "The budget"), ...authErrors } }),
  async (c) => c.json(await getBudget(scopeOf(c), c.req.valid("param").id), 200),
);

budgetsApi.openapi(
  createRoute({ method: "patch", path: "/budgets/{id}", tags, security: bearerSecurity, middleware: write, request: { params: IdParams, body: jsonBody(BudgetPatch) },
    responses: { 200: jsonResponse(Budget, "The budget as saved"), ...authErrors, ...mediaTypeError } }),
  async (c) => {
    const { before, after } = await updateBudget(scopeOf(c), c.req.valid("param").id, c.req.valid("json"));
    await audit(c, { action: "budget.updated", resourceType: "budget", resourceId: after.id, before, after });
    await pushToLedger(c);
    return c.json(after, 200);
  },
);

budgetsApi.openapi(
  createRoute({ method: "delete", path: "/budgets/{id}", tags, security: bearerSecurity, middleware: write, request: { params: IdParams },
    responses: { 200: jsonResponse(Budget, "The budget that was removed"), ...authErrors } }),
  async (c) => {
    const removed = await deleteBudget(scopeOf(c), c.req.valid("param").id);
    await audit(c, { action: "budget.deleted", resourceType: "budget", resourceId: removed.id, before: removed });
    await pushToLedger(c);
    return c.json(removed, 200);
  },
);

budgetsApi.openapi(
  createRoute({ method: "get", path: "/budgets/{id}/spend", tags, security: bearerSecurity, middleware: read, request: { params: IdParams },
    responses: { 200: jsonResponse(Spend, "The budget's current window"), ...authErrors } }),
  async (c) => {
    const budget = await getBudget(scopeOf(c), c.req.valid("param").id);
    return c.json(withUsd(await budgetSpend(c.env, c.get("principal").tenantId, budget.id)), 200);
  },
);

budgetsApi.openapi(
  createRoute({ method: "get", path: "/spend", tags, security: bearerSecurity, middleware: read,
    responses: { 200: jsonResponse(ListOf(Spend), "Every budget's current window: spent, reserved, limit, remaining"), ...authErrors } }),
  async (c) => c.json({ data: (await ledgerSpend(c.env, c.get("principal").tenantId)).map(withUsd) }, 200),
);

budgetsApi.openapi(
  createRoute({ method: "get", path: "/rate-limits", tags, security: bearerSecurity, middleware: read,
    responses: { 200: jsonResponse(ListOf(RateLimit), "The tenant's rate limits"), ...authErrors } }),
  async (c) => c.json({ data: await listRateLimits(scopeOf(c)) }, 200),
);

budgetsApi.openapi(
  createRoute({ method: "post", path: "/rate-limits", tags, security: bearerSecurity, middleware: write, request: { body: jsonBody(RateLimitCreate) },
    responses: { 201: jsonResponse(RateLimit, "The limit as saved"), ...authErrors, ...conflictError, ...mediaTypeError } }),
  async (c) => {
    const created = await createRateLimit(scopeOf(c), c.req.valid("json"));
    await audit(c, { action: "rate_limit.created", resourceType: "rate_limit", resourceId: created.id, after: created });
    await pushToLedger(c);
    return c.json(created, 201);
  },
);

budgetsApi.openapi(
  createRoute({ method: "get", path: "/rate-limits/{id}", tags, security: bearerSecurity, middleware: read, request: { params: IdParams },
    responses: { 200: jsonResponse(RateLimit, "The limit"), ...authErrors } }),
  async (c) => c.json(await getRateLimit(scopeOf(c), c.req.valid("param").id), 200),
);

budgetsApi.openapi(
  createRoute({ method: "patch", path: "/rate-limits/{id}", tags, security: bearerSecurity, middleware: write, request: { params: IdParams, body: jsonBody(RateLimitPatch) },
    responses: { 200: jsonResponse(RateLimit, "The limit as saved"), ...authErrors, ...mediaTypeError } }),
  async (c) => {
    const { before, after } = await updateRateLimit(scopeOf(c), c.req.valid("param").id, c.req.valid("json"));
    await audit(c, { action: "rate_limit.updated", resourceType: "rate_limit", resourceId: after.id, before, after });
    await pushToLedger(c);
    return c.json(after, 200);
  },
);

budgetsApi.openapi(
  createRoute({ method: "delete", path: "/rate-limits/{id}", tags, security: bearerSecurity, middleware: write, request: { params: IdParams },
    responses: { 200: jsonResponse(RateLimit, "The limit that was removed"), ...authErrors } }),
  async (c) => {
    const removed = await deleteRateLimit(scopeOf(c), c.req.valid("param").id);
    await audit(c, { action: "rate_limit.deleted", resourceType: "rate_limit", resourceId: removed.id, before: removed });
    await pushToLedger(c);
    return c.json(removed, 200);
  },
);
