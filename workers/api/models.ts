/**
 * /models: the model registry. Models and their versions (with lineage and serving
 * endpoint), champion / challenger aliases with promotion, rollback and canary share,
 * and the eval runs that gate promotion.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import type { Context } from "hono";
import { modelVersionAliases } from "../../d1/schema";
import { platformAuth, requirePermission } from "../auth/middleware";
import { roleOf } from "../auth/rbac";
import { makeDb } from "../db";
import type { AppEnv } from "../env";
import { gatewayDepsOf } from "../gateway/call";
import { sealSecret } from "../lib/secret-box";
import { listEvalRuns, runEval } from "../models/evals/run";
import { aliasHistory, promote, rollback, type RegistryDeps } from "../models/registry/aliases";
import { addVersion } from "../models/registry/register";
import { updateModelSettings } from "../models/registry/settings";
import { aliasesOf, createModel, getModel, listModelRows, listVersions } from "../models/registry/store";
import { CreateModelBody, CreateVersionBody, EvalBody, EvalRunSchema, evalRunView, ModelSchema, modelView, PromoteBody, UpdateModelBody, VersionSchema, versionView } from "../models/registry/views";
import { audit, auditActorOf, scopeOf } from "./context";
import { createApiApp } from "./factory";
import { authErrors, bearerSecurity, conflictError, IdParams, jsonBody, jsonResponse, mediaTypeError } from "./schemas";

export const modelsApi = createApiApp();
modelsApi.use("*", platformAuth);

const tags = ["Models"];
const read = requirePermission("models:read");
const write = requirePermission("models:write");
const route = <R extends Parameters<typeof createRoute>[0]>(r: R) => createRoute({ tags, security: bearerSecurity, ...r });

function registryDeps(c: Context<AppEnv>): RegistryDeps {
  return { scope: scopeOf(c), env: c.env, actor: auditActorOf(c), now: Date.now() };
}

const Detail = ModelSchema.extend({
  versions: z.array(VersionSchema),
  aliasHistory: z.array(z.object({ alias: z.string(), versionId: z.string(), previousVersionId: z.string().nullable(), action: z.string(), forced: z.boolean(), actor: z.string().nullable(), createdAt: z.number() })),
}).openapi("ModelDetail");

modelsApi.openapi(
  route({ method: "get", path: "/", middleware: [read], responses: { 200: jsonResponse(z.object({ data: z.array(ModelSchema) }), "The tenant's models"), ...authErrors } }),
  async (c) => {
    const scope = scopeOf(c);
    const [rows, aliasRows] = await Promise.all([listModelRows(scope), scope.db.select().from(modelVersionAliases).where(eq(modelVersionAliases.tenantId, scope.tenantId))]);
    const aliasesByModel = (id: string) => Object.fromEntries(aliasRows.filter((a) => a.modelId === id).map((a) => [a.alias, a.versionId]));
    return c.json({ data: rows.map((m) => modelView(m, aliasesByModel(m.id))) }, 200);
  },
);

modelsApi.openapi(
  route({ method: "post", path: "/", middleware: [write], request: { body: jsonBody(CreateModelBody) }, responses: { 201: jsonResponse(ModelSchema, "Created"), ...authErrors, ...conflictError, ...mediaTypeError } }),
  async (c) => {
    const row = await createModel(scopeOf(c), c.req.valid("json"), Date.now());
    await audit(c, { action: "model.created", resourceType: "model", resourceId: row.id, after: { key: row.key, baseModel: row.baseModel } });
    return c.json(modelView(row, {}), 201);
  },
);

modelsApi.openapi(
  route({ method: "get", path: "/{id}", middleware: [read], request: { params: IdParams }, responses: { 200: jsonResponse(Detail, "The model with its versions, aliases and alias history"), ...authErrors } }),
  async (c) => {
    const scope = scopeOf(c);
    const id = c.req.valid("param").id;
    const model = await getModel(scope, id);
    const [versions, aliases, history] = await Promise.all([listVersions(scope, id), aliasesOf(scope, id), aliasHistory(scope, id)]);
    const moves = history.map((h) => ({ alias: h.alias, versionId: h.versionId, previousVersionId: h.previousVersionId, action: h.action, forced: h.forced, actor: h.actor, createdAt: h.createdAt }));
    return c.json({ ...modelView(model, aliases), versions: versions.map((v) => versionView(model.key, v)), aliasHistory: moves }, 200);
  },
);

modelsApi.openapi(
  route({ method: "patch", path: "/{id}", middleware: [write], request: { params: IdParams, body: jsonBody(UpdateModelBody) },
    description: "Name, description, canary share (needs a challenger) and the margins of the eval gate and the canary monitor.",
    responses: { 200: jsonResponse(ModelSchema, "Updated"), ...authErrors, ...conflictError, ...mediaTypeError } }),
  async (c) => {
    const deps = registryDeps(c);
    const id = c.req.valid("param").id;
    const row = await updateModelSettings(deps, id, c.req.valid("json"));
    return c.json(modelView(row, await aliasesOf(deps.scope, id)), 200);
  },
);

modelsApi.openapi(
  route({ method: "get", path: "/{id}/versions", middleware: [read], request: { params: IdParams }, responses: { 200: jsonResponse(z.object({ data: z.array(VersionSchema) }), "Versions, newest first"), ...authErrors } }),
  async (c) => {
    const scope = scopeOf(c);
    const model = await getModel(scope, c.req.valid("param").id);
    return c.json({ data: (await listVersions(scope, model.id)).map((v) => versionView(model.key, v)) }, 200);
  },
);

modelsApi.openapi(
  route({ method: "post", path: "/{id}/versions", middleware: [write], request: { params: IdParams, body: jsonBody(CreateVersionBody) },
    description: "Registers a version trained elsewhere: its lineage and the OpenAI-compatible endpoint that serves it.",
    responses: { 201: jsonResponse(VersionSchema, "Registered"), ...authErrors, ...mediaTypeError } }),
  async (c) => {
    const scope = scopeOf(c);
    const model = await getModel(scope, c.req.valid("param").id);
    const b = c.req.valid("json");
    const apiKeySealed = b.servingEndpoint.apiKey ? await sealSecret(c.env.MASTER_KEY, b.servingEndpoint.apiKey) : null;
    const row = await addVersion(scope, model, {
      baseModel: b.baseModel ?? model.baseModel,
      datasetId: b.datasetId ?? null,
      datasetSha256: b.datasetSha256 ?? null,
      hyperparameters: b.hyperparameters ?? {},
      provider: b.provider,
      providerJobId: b.providerJobId ?? null,
      jobId: null,
      metrics: b.metrics ?? {},
      servingEndpoint: { baseUrl: b.servingEndpoint.baseUrl, model: b.servingEndpoint.model, apiKeySealed },
    }, Date.now());
    await audit(c, { action: "model.version.registered", resourceType: "model", resourceId: model.id, after: { versionId: row.id, version: row.version, provider: row.provider } });
    return c.json(versionView(model.key, row), 201);
  },
);

const PromoteResult = z.object({ alias: z.string(), versionId: z.string(), previousVersionId: z.string().nullable(), changed: z.boolean(), forced: z.boolean() });

modelsApi.openapi(
  route({ method: "post", path: "/{id}/promote", middleware: [write], request: { params: IdParams, body: jsonBody(PromoteBody) },
    description: "Points an alias at a version. To champion only with a completed eval scoring at least the champion's minus evalMargin, unless an admin forces it.",
    responses: { 200: jsonResponse(PromoteResult, "The alias moved (or already pointed there)"), ...authErrors, ...conflictError, ...mediaTypeError } }),
  async (c) => {
    const body = c.req.valid("json");
    const role = roleOf(c.get("principal"));
    const result = await promote(registryDeps(c), c.req.valid("param").id, { ...body, mayForce: role === "admin" || role === "owner" });
    return c.json({ alias: body.alias, versionId: body.versionId, previousVersionId: result.previousVersionId, changed: result.changed, forced: result.forced }, 200);
  },
);

modelsApi.openapi(
  route({ method: "post", path: "/{id}/rollback", middleware: [write], request: { params: IdParams },
    description: "Moves the champion back to the version it replaced.",
    responses: { 200: jsonResponse(z.object({ alias: z.literal("champion"), versionId: z.string(), fromVersionId: z.string() }), "Rolled back"), ...authErrors, ...conflictError } }),
  async (c) => {
    const moved = await rollback(registryDeps(c), c.req.valid("param").id);
    return c.json({ alias: "champion" as const, ...moved }, 200);
  },
);

modelsApi.openapi(
  route({ method: "post", path: "/{id}/evals", middleware: [write], request: { params: IdParams, body: jsonBody(EvalBody) },
    description: "Runs the eval set (or the model's stored one) against the version and the current champion through the gateway; stores one run per version.",
    responses: { 201: jsonResponse(z.object({ batchId: z.string(), candidate: EvalRunSchema, champion: EvalRunSchema.nullable() }), "Both runs"), ...authErrors, ...mediaTypeError } }),
  async (c) => {
    const scope = scopeOf(c);
    const gateway = gatewayDepsOf(c.env, makeDb(c.env.DB), (p) => c.executionCtx.waitUntil(p));
    const result = await runEval({ gateway, scope, now: Date.now }, c.req.valid("param").id, c.req.valid("json"));
    await audit(c, { action: "model.eval.run", resourceType: "model", resourceId: c.req.valid("param").id, after: { batchId: result.batchId, candidate: result.candidate.meanScore, champion: result.champion?.meanScore ?? null } });
    return c.json({ batchId: result.batchId, candidate: evalRunView(result.candidate), champion: result.champion ? evalRunView(result.champion) : null }, 201);
  },
);

modelsApi.openapi(
  route({ method: "get", path: "/{id}/evals", middleware: [read], request: { params: IdParams }, responses: { 200: jsonResponse(z.object({ data: z.array(EvalRunSchema) }), "Eval runs, newest first"), ...authErrors } }),
  async (c) => {
    const scope = scopeOf(c);
    const model = await getModel(scope, c.req.valid("param").id);
    return c.json({ data: (await listEvalRuns(scope, model.id)).map(evalRunView) }, 200);
  },
);
