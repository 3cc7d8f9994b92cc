/**
 * Reading and writing registry rows: models, versions and where their aliases point.
 * Every query filters on the tenant; another tenant's id is simply not found.
 */
import { and, asc, desc, eq } from "drizzle-orm";
import { models, modelVersionAliases, modelVersions, type ModelAliasName } from "../../../d1/schema";
import type { TenantScope } from "../../db";
import { AppError } from "../../errors";
import { invalidateGatewayConfig } from "../../gateway/tenant-config";
import { newId } from "../../lib/ids";

export { versionLabel } from "./routing";

export type ModelRow = typeof models.$inferSelect;
export type VersionRow = typeof modelVersions.$inferSelect;
export type AliasMap = Partial<Record<ModelAliasName, string>>;

/** Model keys are what callers type after `ft:`; kept to a URL- and header-safe alphabet. */
export const MODEL_KEY = /^[a-z0-9][a-z0-9._-]{0,62}$/;

export type NewModel = { key: string; name?: string; baseModel: string; description?: string };

/** Creates a model; 409 when the tenant already has one with this key. */
export async function createModel(scope: TenantScope, input: NewModel, now: number): Promise<ModelRow> {
  if (!MODEL_KEY.test(input.key)) throw new AppError("validation_failed", "key must be lower-case letters, digits, '.', '_' or '-' (at most 63)");
  const existing = await findModelByKey(scope, input.key);
  if (existing) throw new AppError("conflict", `A model with key '${input.key}' already exists`, { id: existing.id });
  const row: ModelRow = {
    id: newId("mdl"),
    tenantId: scope.tenantId,
    key: input.key,
    name: input.name ?? input.key,
    baseModel: input.baseModel,
    description: input.description ?? "",
    canaryPercent: 0,
    evalMargin: 0,
    errorRateMargin: 0.05,
    qualityMargin: 10,
    evalSet: null,
    createdAt: now,
    updatedAt: now,
  };
  await scope.db.insert(models).values(row);
  invalidateGatewayConfig(scope.tenantId);
  return row;
}

export async function findModelByKey(scope: TenantScope, key: string): Promise<ModelRow | null> {
  const rows = await scope.db.select().from(models).where(and(eq(models.tenantId, scope.tenantId), eq(models.key, key))).limit(1);
  return rows[0] ?? null;
}

/** The model, or 404. */
export async function getModel(scope: TenantScope, id: string): Promise<ModelRow> {
  const rows = await scope.db.select().from(models).where(and(eq(models.tenantId, scope.tenantId), eq(models.id, id))).limit(1);
  const row = rows[0];
  if (!row) throw new AppError("not_found", "No such model");
  return row;
}

export function listModelRows(scope: TenantScope): Promise<ModelRow[]> {
  return scope.db.select().from(models).where(eq(models.tenantId, scope.tenantId)).orderBy(asc(models.key));
}

export type ModelSettings = Partial<Pick<ModelRow, "name" | "description" | "canaryPercent" | "evalMargin" | "errorRateMargin" | "qualityMargin">>;

/** Applies `changes`; answers the row before and after. */
export async function updateModel(scope: TenantScope, id: string, changes: ModelSettings, now: number): Promise<{ before: ModelRow; after: ModelRow }> {
  const before = await getModel(scope, id);
  const after = { ...before, ...changes, updatedAt: now };
  await scope.db.update(models).set({ ...changes, updatedAt: now }).where(and(eq(models.tenantId, scope.tenantId), eq(models.id, id)));
  return { before, after };
}

export function listVersions(scope: TenantScope, modelId: string): Promise<VersionRow[]> {
  return scope.db
    .select()
    .from(modelVersions)
    .where(and(eq(modelVersions.tenantId, scope.tenantId), eq(modelVersions.modelId, modelId)))
    .orderBy(desc(modelVersions.version));
}

/** A version of `modelId`, or 404. */
export async function getVersion(scope: TenantScope, modelId: string, versionId: string): Promise<VersionRow> {
  const rows = await scope.db
    .select()
    .from(modelVersions)
    .where(and(eq(modelVersions.tenantId, scope.tenantId), eq(modelVersions.modelId, modelId), eq(modelVersions.id, versionId)))
    .limit(1);
  const row = rows[0];
  if (!row) throw new AppError("not_found", "No such version of this model");
  return row;
}

/** Where each alias of the model points now. */
export async function aliasesOf(scope: TenantScope, modelId: string): Promise<AliasMap> {
  const rows = await scope.db
    .select()
    .from(modelVersionAliases)
    .where(and(eq(modelVersionAliases.tenantId, scope.tenantId), eq(modelVersionAliases.modelId, modelId)));
  const out: AliasMap = {};
  for (const r of rows) out[r.alias] = r.versionId;
  return out;
}
