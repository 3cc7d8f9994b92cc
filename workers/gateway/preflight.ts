/**
 * Everything decided before a provider is called: the prompt guard, the request's routing
 * features, the routing plan (rules, strategies, circuit states) and the cache decision.
 * Reads only per-isolate caches on the hot path; never waits on a Durable Object.
 */
import { AppError } from "../errors";
import { cacheDecision, type CacheDecision } from "./cache";
import type { CallInput, GatewayDeps } from "./call";
import { guardBlockedError, inspectRequest, loadGuardPolicy, type GuardFinding } from "./guard";
import { healthView } from "./health";
import { candidateModels, featuresOf, loadRoutingRules, planRoute, targetDetails, type HealthSource, type RequestFeatures, type RoutePlan, type TargetDetails } from "./routing";
import { tenantGatewayConfig } from "./tenant-config";
import { log } from "../lib/log";

export type Preflight = {
  /** The request body after the guard (redacted where the tenant's policy says so). */
  body: CallInput["body"];
  features: RequestFeatures;
  plan: RoutePlan;
  info: (model: string) => TargetDetails;
  cache: CacheDecision;
  findings: GuardFinding[];
};

/** The per-isolate health view as the planner reads it: no waiting, unknown keys are closed. */
function viewSource(deps: GatewayDeps): HealthSource {
  const view = healthView(deps.env, deps.waitUntil);
  return async (keys) => new Map(keys.map((k) => [k, { circuit: view.circuit(k), latencyMs: view.latencyMs(k) }]));
}

function guarded(input: CallInput, body: Record<string, unknown>): CallInput["body"] {
  if (typeof body.model !== "string") throw new AppError("internal_error", "the guard dropped the model");
  return { ...body, model: body.model };
}

export async function preflight(deps: GatewayDeps, input: CallInput, now = Date.now()): Promise<Preflight> {
  const tenantId = input.caller.tenantId;
  const [policy, rules, config] = await Promise.all([
    loadGuardPolicy(deps.db, tenantId, now),
    loadRoutingRules(deps.db, tenantId, now),
    tenantGatewayConfig(deps.db, tenantId, now),
  ]);
  const guard = inspectRequest(input.format, input.body, policy);
  if (guard.action === "block") throw guardBlockedError(guard.findings);
  if (guard.findings.length > 0) {
    const kinds = [...new Set(guard.findings.map((f) => f.kind))];
    log.info("prompt guard findings", { action: guard.action, kinds });
  }
  const body = guarded(input, guard.body);
  const features = featuresOf(input.format, body, { tags: input.caller.tags, metadata: input.metadata, now, timezone: config.timezone });
  const info = await targetDetails(deps.db, tenantId, candidateModels(rules, features), viewSource(deps), now);
  const plan = planRoute(rules, features, info, Math.random);
  return { body, features, plan, info, cache: cacheDecision(input.headers, plan.cache), findings: guard.findings };
}
