/**
 * The canary monitor, run every minute by the cron: for each model sending canary traffic,
 * compares the challenger with the champion over the recent window (error rate from the
 * usage log, quality from their latest evals). Beyond the model's margins it stops the
 * canary (0 %), audits that as the system and publishes model.canary.rolled_back.
 */
import { and, eq, gt, gte, inArray, sql } from "drizzle-orm";
import { models, usageEvents } from "../../../d1/schema";
import { makeDb, type TenantScope } from "../../db";
import { publishEvent } from "../../events/publish";
import { invalidateGatewayConfig } from "../../gateway/tenant-config";
import { log, withLogTenant } from "../../lib/log";
import { recordAudit } from "../../platform/audit";
import { latestEval } from "../evals/gate";
import { aliasesOf, listVersions, versionLabel, type ModelRow } from "./store";

export const MONITOR_WINDOW_MS = 10 * 60_000;
/** Fewer challenger calls than this in the window say nothing yet. */
export const MIN_REQUESTS = 10;

export type TrafficStats = { requests: number; errors: number };
export type CanaryEvidence = { challenger: TrafficStats; champion: TrafficStats; challengerScore: number | null; championScore: number | null };
export type CanaryVerdict = { rollback: false } | { rollback: true; reason: "error_rate" | "quality"; detail: Record<string, number> };

const rate = (s: TrafficStats) => (s.requests === 0 ? 0 : s.errors / s.requests);

/** Whether the evidence says the challenger is worse than the model's margins allow. */
export function canaryVerdict(model: Pick<ModelRow, "errorRateMargin" | "qualityMargin">, e: CanaryEvidence): CanaryVerdict {
  if (e.challenger.requests >= MIN_REQUESTS && rate(e.challenger) - rate(e.champion) > model.errorRateMargin) {
    return { rollback: true, reason: "error_rate", detail: { challengerErrorRate: rate(e.challenger), championErrorRate: rate(e.champion), margin: model.errorRateMargin } };
  }
  if (e.challengerScore !== null && e.championScore !== null && e.challengerScore < e.championScore - model.qualityMargin) {
    return { rollback: true, reason: "quality", detail: { challengerScore: e.challengerScore, championScore: e.championScore, margin: model.qualityMargin } };
  }
  return { rollback: false };
}

/** Calls served by each label in the window; eval traffic is left out (it is measured by its own runs). */
async function trafficOf(scope: TenantScope, labels: string[], since: number): Promise<Map<string, TrafficStats>> {
  const rows = await scope.db
    .select({
      served: usageEvents.modelServed,
      requests: sql<number>`count(*)`,
      errors: sql<number>`sum(case when ${usageEvents.status} >= 500 or ${usageEvents.errorCode} is not null then 1 else 0 end)`,
    })
    .from(usageEvents)
    .where(and(eq(usageEvents.tenantId, scope.tenantId), gte(usageEvents.createdAt, since), inArray(usageEvents.modelServed, labels), sql`${usageEvents.tags} not like '%"eval"%'`))
    .groupBy(usageEvents.modelServed);
  return new Map(rows.map((r) => [r.served ?? "", { requests: Number(r.requests), errors: Number(r.errors ?? 0) }]));
}

async function evidenceFor(scope: TenantScope, model: ModelRow, now: number): Promise<{ e: CanaryEvidence; challengerId: string; championId: string | null } | null> {
  const aliases = await aliasesOf(scope, model.id);
  if (!aliases.challenger) return null;
  const versions = new Map((await listVersions(scope, model.id)).map((v) => [v.id, v]));
  const label = (id: string | undefined) => {
    const v = id ? versions.get(id) : undefined;
    return v ? versionLabel(model.key, v.version) : null;
  };
  const ch = label(aliases.challenger);
  const cp = label(aliases.champion);
  if (!ch) return null;
  const traffic = await trafficOf(scope, cp ? [ch, cp] : [ch], now - MONITOR_WINDOW_MS);
  const [chEval, cpEval] = await Promise.all([latestEval(scope, aliases.challenger), aliases.champion ? latestEval(scope, aliases.champion) : null]);
  const none = { requests: 0, errors: 0 };
  const e = { challenger: traffic.get(ch) ?? none, champion: (cp && traffic.get(cp)) || none, challengerScore: chEval?.meanScore ?? null, championScore: cpEval?.meanScore ?? null };
  return { e, challengerId: aliases.challenger, championId: aliases.champion ?? null };
}

/** Stops one model's canary if the evidence says so; answers the verdict. */
export async function checkCanary(env: Env, scope: TenantScope, model: ModelRow, now: number): Promise<CanaryVerdict> {
  const found = await evidenceFor(scope, model, now);
  if (!found) return { rollback: false };
  const verdict = canaryVerdict(model, found.e);
  if (!verdict.rollback) return verdict;
  // Conditional on the canary still running, so two overlapping runs stop it (and report it) once.
  const stopped = await scope.db
    .update(models)
    .set({ canaryPercent: 0, updatedAt: now })
    .where(and(eq(models.tenantId, scope.tenantId), eq(models.id, model.id), gt(models.canaryPercent, 0)))
    .returning({ id: models.id });
  if (stopped.length === 0) return { rollback: false };
  log.warn("canary rolled back", { modelId: model.id, reason: verdict.reason, previousPercent: model.canaryPercent });
  invalidateGatewayConfig(scope.tenantId);
  const actor = { actorType: "system" as const, actorId: "canary-monitor" };
  await recordAudit(scope, actor, { action: "model.canary.rolled_back", resourceType: "model", resourceId: model.id, before: { canaryPercent: model.canaryPercent }, after: { canaryPercent: 0, reason: verdict.reason, ...verdict.detail } }, now);
  await publishEvent(env, {
    tenantId: scope.tenantId,
    type: "model.canary.rolled_back",
    data: { modelId: model.id, challengerVersionId: found.challengerId, championVersionId: found.championId, reason: verdict.reason, previousPercent: model.canaryPercent, ...verdict.detail },
  });
  return verdict;
}

/** One pass over every model with canary traffic, all tenants. A failing model does not stop the others. */
export async function runCanaryMonitor(env: Env, now = Date.now()): Promise<void> {
  const db = makeDb(env.DB);
  const canaries = await db.select().from(models).where(gt(models.canaryPercent, 0));
  for (const model of canaries) {
    await withLogTenant(model.tenantId, () =>
      checkCanary(env, { db, tenantId: model.tenantId }, model, now).catch((err: unknown) => {
        log.error("canary check failed", { modelId: model.id, err });
      }),
    );
  }
}
