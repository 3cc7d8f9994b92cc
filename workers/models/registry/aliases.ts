/**
 * Promotion and rollback are alias moves. Each move is kept in model_alias_history (so a
 * rollback knows the previous champion), audited, published as an event, and made visible
 * to this isolate's gateway at once (other isolates within the config cache's few seconds).
 */
import { and, desc, eq, max } from "drizzle-orm";
import { modelAliasHistory, models, modelVersionAliases, type ModelAliasName } from "../../../d1/schema";
import type { TenantScope } from "../../db";
import { AppError } from "../../errors";
import { publishEvent } from "../../events/publish";
import { invalidateGatewayConfig } from "../../gateway/tenant-config";
import { newId } from "../../lib/ids";
import { recordAudit, type AuditActor } from "../../platform/audit";
import { checkPromotionGate, type GateVerdict } from "../evals/gate";
import { aliasesOf, getModel, getVersion, type ModelRow } from "./store";

export type RegistryDeps = { scope: TenantScope; env: Env; actor: AuditActor; now: number };

export type PromoteInput = { versionId: string; alias: ModelAliasName; force?: boolean; mayForce: boolean };
export type PromoteResult = { changed: boolean; previousVersionId: string | null; forced: boolean; gate: GateVerdict | null };

type Move = { model: ModelRow; alias: ModelAliasName; versionId: string; previousVersionId: string | null; action: "promote" | "rollback"; forced: boolean };

async function writeMove(deps: RegistryDeps, m: Move): Promise<void> {
  const { db, tenantId } = deps.scope;
  const seqRows = await db.select({ n: max(modelAliasHistory.seq) }).from(modelAliasHistory).where(eq(modelAliasHistory.modelId, m.model.id));
  const history = {
    id: newId("mah"),
    tenantId,
    modelId: m.model.id,
    alias: m.alias,
    versionId: m.versionId,
    previousVersionId: m.previousVersionId,
    action: m.action,
    forced: m.forced,
    actor: deps.actor.actorId,
    seq: (seqRows[0]?.n ?? 0) + 1,
    createdAt: deps.now,
  };
  const alias = { modelId: m.model.id, alias: m.alias, tenantId, versionId: m.versionId, updatedAt: deps.now };
  await db.batch([
    db.insert(modelVersionAliases).values(alias).onConflictDoUpdate({ target: [modelVersionAliases.modelId, modelVersionAliases.alias], set: { versionId: m.versionId, updatedAt: deps.now } }),
    db.insert(modelAliasHistory).values(history),
  ]);
  invalidateGatewayConfig(tenantId);
}

/** A version promoted out of the challenger slot leaves it: its canary has nothing left to test. */
async function clearChallenger(deps: RegistryDeps, model: ModelRow): Promise<void> {
  const { db, tenantId } = deps.scope;
  await db.batch([
    db.delete(modelVersionAliases).where(and(eq(modelVersionAliases.modelId, model.id), eq(modelVersionAliases.alias, "challenger"))),
    db.update(models).set({ canaryPercent: 0, updatedAt: deps.now }).where(and(eq(models.tenantId, tenantId), eq(models.id, model.id))),
  ]);
}

/**
 * Points `alias` at a version. Promotion to champion passes the eval gate unless forced,
 * which only callers with `mayForce` (admins) may ask for.
 */
export async function promote(deps: RegistryDeps, modelId: string, input: PromoteInput): Promise<PromoteResult> {
  const model = await getModel(deps.scope, modelId);
  const version = await getVersion(deps.scope, modelId, input.versionId);
  if (version.status !== "active") throw new AppError("conflict", "A retired version cannot be promoted");
  const aliases = await aliasesOf(deps.scope, modelId);
  const previous = aliases[input.alias] ?? null;
  if (previous === version.id) return { changed: false, previousVersionId: previous, forced: false, gate: null };
  const forced = input.force === true;
  if (forced && !input.mayForce) throw new AppError("forbidden", "Only an admin may force a promotion past the eval gate");
  const gate = input.alias === "champion" && !forced ? await checkPromotionGate(deps.scope, { candidateId: version.id, championId: previous, margin: model.evalMargin }) : null;
  await writeMove(deps, { model, alias: input.alias, versionId: version.id, previousVersionId: previous, action: "promote", forced });
  if (input.alias === "champion" && aliases.challenger === version.id) await clearChallenger(deps, model);
  await recordAudit(deps.scope, deps.actor, {
    action: forced ? "model.version.promoted_forced" : "model.version.promoted",
    resourceType: "model",
    resourceId: model.id,
    before: { alias: input.alias, versionId: previous },
    after: { alias: input.alias, versionId: version.id, version: version.version, forced, gate },
  }, deps.now);
  await publishEvent(deps.env, { tenantId: deps.scope.tenantId, type: "model.version.promoted", data: { modelId: model.id, versionId: version.id, alias: input.alias, previousVersionId: previous, forced } });
  return { changed: true, previousVersionId: previous, forced, gate };
}

/** The champion before the current one took over, from the promotion that installed it. */
async function previousChampion(deps: RegistryDeps, modelId: string, current: string): Promise<string | null> {
  const rows = await deps.scope.db
    .select({ previous: modelAliasHistory.previousVersionId })
    .from(modelAliasHistory)
    .where(and(eq(modelAliasHistory.modelId, modelId), eq(modelAliasHistory.alias, "champion"), eq(modelAliasHistory.action, "promote"), eq(modelAliasHistory.versionId, current)))
    .orderBy(desc(modelAliasHistory.seq))
    .limit(1);
  return rows[0]?.previous ?? null;
}

/** Moves the champion back to the version it replaced; 409 when there is none. */
export async function rollback(deps: RegistryDeps, modelId: string): Promise<{ versionId: string; fromVersionId: string }> {
  const model = await getModel(deps.scope, modelId);
  const current = (await aliasesOf(deps.scope, modelId)).champion;
  if (!current) throw new AppError("conflict", "This model has no champion to roll back");
  const previous = await previousChampion(deps, modelId, current);
  if (!previous) throw new AppError("conflict", "The champion has no earlier version to roll back to");
  await writeMove(deps, { model, alias: "champion", versionId: previous, previousVersionId: current, action: "rollback", forced: false });
  await recordAudit(deps.scope, deps.actor, {
    action: "model.version.rolled_back",
    resourceType: "model",
    resourceId: model.id,
    before: { alias: "champion", versionId: current },
    after: { alias: "champion", versionId: previous },
  }, deps.now);
  await publishEvent(deps.env, { tenantId: deps.scope.tenantId, type: "model.version.rolled_back", data: { modelId: model.id, versionId: previous, alias: "champion", fromVersionId: current } });
  return { versionId: previous, fromVersionId: current };
}

/** Alias moves, newest first, for the model's detail view. */
export function aliasHistory(scope: TenantScope, modelId: string) {
  return scope.db
    .select()
    .from(modelAliasHistory)
    .where(and(eq(modelAliasHistory.tenantId, scope.tenantId), eq(modelAliasHistory.modelId, modelId)))
    .orderBy(desc(modelAliasHistory.seq))
    .limit(50);
}
