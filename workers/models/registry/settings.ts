/**
 * Changing a model's settings: its name, the canary share and the margins the eval gate
 * and the canary monitor use. A canary needs a challenger to send traffic to.
 */
import { AppError } from "../../errors";
import { invalidateGatewayConfig } from "../../gateway/tenant-config";
import { recordAudit } from "../../platform/audit";
import type { RegistryDeps } from "./aliases";
import { aliasesOf, updateModel, type ModelRow, type ModelSettings } from "./store";

const SETTINGS = ["name", "description", "canaryPercent", "evalMargin", "errorRateMargin", "qualityMargin"] as const satisfies readonly (keyof ModelSettings)[];

/** Applies `changes`, audited as model.updated (model.canary.updated when the canary moved). */
export async function updateModelSettings(deps: RegistryDeps, modelId: string, changes: ModelSettings): Promise<ModelRow> {
  if (changes.canaryPercent !== undefined && changes.canaryPercent > 0 && !(await aliasesOf(deps.scope, modelId)).challenger) {
    throw new AppError("conflict", "Promote a version to challenger before giving it canary traffic");
  }
  const { before, after } = await updateModel(deps.scope, modelId, changes, deps.now);
  const canaryMoved = changes.canaryPercent !== undefined && changes.canaryPercent !== before.canaryPercent;
  if (canaryMoved) invalidateGatewayConfig(deps.scope.tenantId);
  const pick = (m: ModelRow) => Object.fromEntries(SETTINGS.filter((k) => changes[k] !== undefined).map((k) => [k, m[k]]));
  await recordAudit(deps.scope, deps.actor, { action: canaryMoved ? "model.canary.updated" : "model.updated", resourceType: "model", resourceId: modelId, before: pick(before), after: pick(after) }, deps.now);
  return after;
}
