/**
 * What the settings API does with routing rules: show the saved version with its warnings,
 * and validate-then-save a new one.
 */
import { and, eq } from "drizzle-orm";
import { routingRulesHistory } from "../../../d1/schema";
import type { TenantScope } from "../../db";
import { invalidRules, parseRoutingRules } from "./parse";
import { currentRoutingRules, saveRoutingRules } from "./store";
import { modelChecker } from "./target-info";
import type { RoutingRules, RuleProblem } from "./types";

export type RoutingRulesView = {
  /** The id of the saved version (as in the history), null when none was saved. */
  id: string | null;
  yaml: string | null;
  version: number;
  updatedAt: number | null;
  updatedBy: string | null;
  warnings: RuleProblem[];
};

/** The saved rules (yaml null, version 0 when none), with warnings worked out against what the tenant can call today. */
export async function routingRulesView(scope: TenantScope): Promise<RoutingRulesView> {
  const row = await currentRoutingRules(scope);
  if (!row) return { id: null, yaml: null, version: 0, updatedAt: null, updatedBy: null, warnings: [] };
  const [knownModel, id] = await Promise.all([modelChecker(scope.db, scope.tenantId), versionId(scope, row.version)]);
  const parsed = parseRoutingRules(row.yaml, { knownModel });
  return { id, yaml: row.yaml, version: row.version, updatedAt: row.updatedAt, updatedBy: row.updatedBy, warnings: parsed.ok ? parsed.warnings : [] };
}

export type PutRoutingResult = { before: RoutingRulesView & { rules: RoutingRules | null }; after: RoutingRulesView & { id: string; rules: RoutingRules } };

async function versionId(scope: TenantScope, version: number): Promise<string | null> {
  const rows = await scope.db
    .select({ id: routingRulesHistory.id })
    .from(routingRulesHistory)
    .where(and(eq(routingRulesHistory.tenantId, scope.tenantId), eq(routingRulesHistory.version, version)));
  return rows[0]?.id ?? null;
}

/** Validates and saves a new version; throws 400 validation_failed with line/column pointers when the YAML has problems. */
export async function putRoutingRules(scope: TenantScope, input: { yaml: string; expectedVersion?: number; actorId: string | null }): Promise<PutRoutingResult> {
  const knownModel = await modelChecker(scope.db, scope.tenantId);
  const parsed = parseRoutingRules(input.yaml, { knownModel });
  if (!parsed.ok) throw invalidRules(parsed.errors);
  const view = await routingRulesView(scope);
  const previous = view.yaml === null ? null : parseRoutingRules(view.yaml);
  const saved = await saveRoutingRules(scope, { yaml: input.yaml, document: parsed.document, actorId: input.actorId, expectedVersion: input.expectedVersion });
  return {
    before: { ...view, rules: previous?.ok ? previous.rules : null },
    after: { id: saved.id, yaml: saved.yaml, version: saved.version, updatedAt: saved.createdAt, updatedBy: saved.createdBy, warnings: parsed.warnings, rules: parsed.rules },
  };
}
