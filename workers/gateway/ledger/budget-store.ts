/**
 * Budgets in D1, the ledger's source of truth: list, create, change, remove. A budget may
 * only name API keys and users of its own tenant, and a degrade budget a model the tenant
 * can call.
 */
import { and, asc, eq } from "drizzle-orm";
import { apiKeys, type BudgetScope, budgets, users } from "../../../d1/schema";
import type { TenantScope } from "../../db";
import { AppError } from "../../errors";
import { newId } from "../../lib/ids";
import { findModel } from "../resolve";
import { tenantGatewayConfig } from "../tenant-config";
import type { BudgetCreateInput, BudgetPatchInput, BudgetView } from "./inputs";

type BudgetRow = typeof budgets.$inferSelect;

/** The fields a budget is made of, as validated together. */
type BudgetFields = Omit<BudgetCreateInput, "scopeId" | "degradeTo" | "name" | "limitUsd"> & {
  name: string | null;
  scopeId: string | null;
  degradeTo: string | null;
  limitNanoUsd: number;
};

function nanoOf(usd: number): number {
  return Math.round(usd * 1e9);
}

function invalid(path: string, message: string): AppError {
  return new AppError("validation_failed", message, [{ path, message }]);
}

/** A budget as the API shows it. */
export function budgetView(row: BudgetRow): BudgetView {
  return {
    id: row.id,
    name: row.name,
    scope: row.scope,
    scopeId: row.scopeId,
    limitNanoUsd: row.limitNanoUsd,
    limitUsd: row.limitNanoUsd / 1e9,
    window: row.window,
    action: row.action,
    degradeTo: row.degradeTo,
    degradeAtPercent: row.degradeAtPercent,
    thresholds: row.thresholds,
    enabled: row.enabled,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

// Another tenant's key or user answers exactly like one that does not exist.
async function checkScope(scope: TenantScope, kind: BudgetScope, id: string | null): Promise<void> {
  if (kind === "tenant") {
    if (id !== null) throw invalid("scopeId", "A tenant budget covers the whole tenant: leave scopeId out");
    return;
  }
  if (id === null) throw invalid("scopeId", `A ${kind} budget needs scopeId (the ${kind === "key" ? "API key id" : kind === "user" ? "user id" : "tag"})`);
  if (kind === "key") {
    const found = await scope.db.select({ id: apiKeys.id }).from(apiKeys).where(and(eq(apiKeys.id, id), eq(apiKeys.tenantId, scope.tenantId)));
    if (found.length === 0) throw invalid("scopeId", `No API key '${id}' in this tenant`);
  }
  if (kind === "user") {
    const found = await scope.db.select({ id: users.id }).from(users).where(and(eq(users.id, id), eq(users.tenantId, scope.tenantId)));
    if (found.length === 0) throw invalid("scopeId", `No user '${id}' in this tenant`);
  }
}

async function checkDegrade(scope: TenantScope, f: BudgetFields): Promise<void> {
  if (f.action !== "degrade") {
    if (f.degradeTo !== null) throw invalid("degradeTo", "degradeTo only applies to action 'degrade'");
    return;
  }
  if (f.degradeTo === null) throw invalid("degradeTo", "A degrade budget needs degradeTo: the cheaper model to switch calls to");
  if (!findModel(await tenantGatewayConfig(scope.db, scope.tenantId), f.degradeTo)) {
    throw invalid("degradeTo", `'${f.degradeTo}' is not a model this tenant can call (use provider/model, a catalog model or an alias)`);
  }
}

function defaultName(f: BudgetFields): string {
  return f.scope === "tenant" ? `Tenant ${f.window}` : `${f.scope} ${f.scopeId ?? ""} ${f.window}`;
}

async function validated(scope: TenantScope, f: BudgetFields) {
  await checkScope(scope, f.scope, f.scopeId);
  await checkDegrade(scope, f);
  return {
    name: f.name ?? defaultName(f),
    scope: f.scope,
    scopeId: f.scopeId,
    limitNanoUsd: f.limitNanoUsd,
    window: f.window,
    action: f.action,
    degradeTo: f.degradeTo,
    degradeAtPercent: f.degradeAtPercent,
    thresholds: f.thresholds,
    enabled: f.enabled,
  };
}

export async function listBudgets(scope: TenantScope): Promise<BudgetView[]> {
  const rows = await scope.db.select().from(budgets).where(eq(budgets.tenantId, scope.tenantId)).orderBy(asc(budgets.createdAt), asc(budgets.id));
  return rows.map(budgetView);
}

async function findRow(scope: TenantScope, id: string): Promise<BudgetRow> {
  const row = await scope.db.query.budgets.findFirst({ where: and(eq(budgets.id, id), eq(budgets.tenantId, scope.tenantId)) });
  if (!row) throw new AppError("not_found", `No budget '${id}'`);
  return row;
}

/** One budget; 404 when this tenant has none by that id. */
export async function getBudget(scope: TenantScope, id: string): Promise<BudgetView> {
  return budgetView(await findRow(scope, id));
}

export async function createBudget(scope: TenantScope, input: BudgetCreateInput, now = Date.now()): Promise<BudgetView> {
  const { limitUsd, ...rest } = input;
  const fields = await validated(scope, { ...rest, limitNanoUsd: nanoOf(limitUsd), name: input.name ?? null, scopeId: input.scopeId ?? null, degradeTo: input.degradeTo ?? null });
  const [row] = await scope.db.insert(budgets).values({ id: newId("bud"), tenantId: scope.tenantId, ...fields, createdAt: now, updatedAt: now }).returning();
  if (!row) throw new AppError("internal_error", "The budget was not saved");
  return budgetView(row);
}

/** Changes a budget; the result is checked as a whole, as if it were created anew. */
export async function updateBudget(scope: TenantScope, id: string, patch: BudgetPatchInput, now = Date.now()): Promise<{ before: BudgetView; after: BudgetView }> {
  const before = budgetView(await findRow(scope, id));
  const merged: BudgetFields = {
    name: patch.name ?? before.name,
    scope: patch.scope ?? before.scope,
    // Moving a budget to the tenant scope drops the id it had.
    scopeId: patch.scopeId !== undefined ? patch.scopeId : patch.scope === "tenant" ? null : before.scopeId,
    limitNanoUsd: patch.limitUsd === undefined ? before.limitNanoUsd : nanoOf(patch.limitUsd),
    window: patch.window ?? before.window,
    action: patch.action ?? before.action,
    degradeTo: patch.degradeTo !== undefined ? patch.degradeTo : patch.action && patch.action !== "degrade" ? null : before.degradeTo,
    degradeAtPercent: patch.degradeAtPercent ?? before.degradeAtPercent,
    thresholds: patch.thresholds ?? before.thresholds,
    enabled: patch.enabled ?? before.enabled,
  };
  const fields = await validated(scope, merged);
  const [row] = await scope.db
    .update(budgets)
    .set({ ...fields, updatedAt: now })
    .where(and(eq(budgets.id, id), eq(budgets.tenantId, scope.tenantId)))
    .returning();
  if (!row) throw new AppError("not_found", `No budget '${id}'`);
  return { before, after: budgetView(row) };
}

export async function deleteBudget(scope: TenantScope, id: string): Promise<BudgetView> {
  const before = await getBudget(scope, id);
  await scope.db.delete(budgets).where(and(eq(budgets.id, id), eq(budgets.tenantId, scope.tenantId)));
  return before;
}
