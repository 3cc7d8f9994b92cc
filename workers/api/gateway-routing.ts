/**
 * /gateway/routing: a tenant's routing rules as YAML. Saving keeps every version; a dry run
 * plans a described request (against the saved rules or a draft) and explains the plan.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { platformAuth, requirePermission } from "../auth/middleware";
import { makeDb } from "../db";
import type { AppEnv } from "../env";
import { circuitAt } from "../gateway/health/circuit";
import { fetchSnapshots } from "../gateway/health/client";
import { dryRun } from "../gateway/routing/dry-run";
import { putRoutingRules, routingRulesView } from "../gateway/routing/settings";
import { currentRoutingRules, routingHistory, routingVersion } from "../gateway/routing/store";
import type { HealthSource } from "../gateway/routing/target-info";
import type { RoutingRules, RuleProblem } from "../gateway/routing/types";
import { audit, auditActorOf, scopeOf } from "./context";
import { createApiApp } from "./factory";
import { DryRunBody, DryRunResultSchema, HistoryQuery, PutRouting, RoutingCurrent, RoutingVersionSchema, VersionParams } from "./gateway-routing-schemas";
import { settingsTags } from "./gateway-settings";
import { authErrors, bearerSecurity, conflictError, jsonBody, jsonResponse, mediaTypeError } from "./schemas";

function summary(version: number, rules: RoutingRules | null, warnings: RuleProblem[]) {
  return { version, rules: rules?.rules.map((r) => `${r.name} (${r.strategy}: ${r.targets.map((t) => t.model).join(", ")})`) ?? [], warnings: warnings.length };
}

function healthOf(c: Context<AppEnv>): HealthSource {
  return async (keys) => {
    const now = Date.now();
    const snaps = await fetchSnapshots(c.env, keys);
    return new Map([...snaps].map(([k, s]) => [k, { circuit: circuitAt(s, now), latencyMs: s.latencyMs }]));
  };
}

export const gatewayRoutingApi = createApiApp();
gatewayRoutingApi.use("*", platformAuth);

const tags = settingsTags;
const read = requirePermission("gateway:read");
const write = requirePermission("gateway:write");

gatewayRoutingApi.openapi(
  createRoute({ method: "get", path: "/", tags, security: bearerSecurity, middleware: [read],
    responses: { 200: jsonResponse(RoutingCurrent, "The saved rules (yaml null when none)"), ...authErrors } }),
  async (c) => c.json(await routingRulesView(scopeOf(c)), 200),
);

gatewayRoutingApi.openapi(
  createRoute({ method: "put", path: "/", tags, security: bearerSecurity, middleware: [write],
    description: "Saves the rules as a new version. Problems answer 400 validation_failed with details [{line, column, path, message}].",
    request: { body: jsonBody(PutRouting) },
    responses: { 200: jsonResponse(RoutingCurrent, "The rules as saved"), ...authErrors, ...conflictError, ...mediaTypeError } }),
  async (c) => {
    const body = c.req.valid("json");
    const { before, after } = await putRoutingRules(scopeOf(c), { ...body, actorId: auditActorOf(c).actorId });
    await audit(c, {
      action: before.yaml === null ? "gateway_routing.created" : "gateway_routing.updated",
      resourceType: "gateway_routing",
      resourceId: after.id,
      before: before.yaml === null ? null : summary(before.version, before.rules, before.warnings),
      after: summary(after.version, after.rules, after.warnings),
    });
    const { rules: _rules, ...view } = after;
    return c.json(view, 200);
  },
);

gatewayRoutingApi.openapi(
  createRoute({ method: "get", path: "/history", tags, security: bearerSecurity, middleware: [read], request: { query: HistoryQuery },
    responses: { 200: jsonResponse(z.object({ data: z.array(RoutingVersionSchema), nextBefore: z.number().int().nullable() }), "Saved versions, newest first"), ...authErrors } }),
  async (c) => {
    const scope = scopeOf(c);
    const [page, current] = await Promise.all([routingHistory(scope, c.req.valid("query")), currentRoutingRules(scope)]);
    return c.json({ data: page.data.map((v) => ({ ...v, current: v.version === current?.version })), nextBefore: page.nextBefore }, 200);
  },
);

gatewayRoutingApi.openapi(
  createRoute({ method: "get", path: "/history/{id}", tags, security: bearerSecurity, middleware: [read], request: { params: VersionParams },
    responses: { 200: jsonResponse(RoutingVersionSchema, "One saved version"), ...authErrors } }),
  async (c) => {
    const scope = scopeOf(c);
    const [v, current] = await Promise.all([routingVersion(scope, c.req.valid("param").id), currentRoutingRules(scope)]);
    return c.json({ ...v, current: v.version === current?.version }, 200);
  },
);

gatewayRoutingApi.openapi(
  createRoute({ method: "post", path: "/dry-run", tags, security: bearerSecurity, middleware: [read],
    description: "Plans a described request without calling anything: which rule matches, which targets in which order, what was skipped and why.",
    request: { body: jsonBody(DryRunBody) },
    responses: { 200: jsonResponse(DryRunResultSchema, "The plan and its explanation"), ...authErrors, ...mediaTypeError } }),
  async (c) => {
    const deps = { db: makeDb(c.env.DB), health: healthOf(c), random: Math.random, now: Date.now() };
    return c.json(await dryRun(deps, c.get("principal").tenantId, c.req.valid("json")), 200);
  },
);
