/**
 * /workflows: definitions with their immutable versions, validation, the shipped
 * templates, and starting runs.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { actorOf } from "../auth/principal";
import { platformAuth, requirePermission } from "../auth/middleware";
import type { AppEnv } from "../env";
import { invalidDefinition, parseDefinition } from "../workflows/definition/parse";
import type { Definition } from "../workflows/definition/schema";
import { engineDeps } from "../workflows/engine/deps";
import { runJobs } from "../workflows/engine/jobs";
import { startRun } from "../workflows/engine/start";
import { createWorkflow, getVersion, getWorkflow, listVersions, listWorkflows, saveVersion, setEnabled } from "../workflows/store/definitions";
import { installTemplate, listTemplates } from "../workflows/templates";
import { audit, scopeOf } from "./context";
import { createApiApp } from "./factory";
import { authErrors, bearerSecurity, conflictError, IdParams, jsonBody, jsonResponse, mediaTypeError } from "./schemas";
import { CreateWorkflow, DefinitionSource, publicRun, publicVersion, publicWorkflow, RunSchema, VersionSchema, WorkflowSchema } from "./workflow-schemas";

export const workflowsApi = createApiApp();
workflowsApi.use("*", platformAuth);

const tags = ["Workflows"];
const read = requirePermission("workflows:read");
const write = requirePermission("workflows:write");
const route = <R extends Parameters<typeof createRoute>[0]>(r: R) => createRoute({ tags, security: bearerSecurity, ...r });

function definitionFrom(body: { definition?: Record<string, unknown>; yaml?: string }): Definition {
  const parsed = parseDefinition(body.yaml !== undefined ? { yaml: body.yaml } : { definition: body.definition });
  if (!parsed.ok) throw invalidDefinition(parsed.problems);
  return parsed.definition;
}

const byOf = (c: Context<AppEnv>) => actorOf(c.get("principal")).actorId;
const VersionParams = IdParams.extend({ version: z.coerce.number().int().min(1).openapi({ param: { name: "version", in: "path" } }) });
const TemplateParams = z.object({ name: z.string().min(1).max(64).openapi({ param: { name: "name", in: "path" }, example: "speed-to-lead" }) });
const StartRun = z
  .object({
    input: z.unknown().optional().openapi({ description: "Checked against the workflow's input schema" }),
    version: z.number().int().min(1).optional().openapi({ description: "Pin a version; default the latest" }),
    idempotencyKey: z.string().min(1).max(200).optional().openapi({ description: "A second start with the same key returns the first run" }),
  })
  .strict();

workflowsApi.openapi(
  route({ method: "get", path: "/", middleware: [read], responses: { 200: jsonResponse(z.object({ data: z.array(WorkflowSchema) }), "The tenant's workflows"), ...authErrors } }),
  async (c) => c.json({ data: (await listWorkflows(scopeOf(c))).map(publicWorkflow) }, 200),
);

workflowsApi.openapi(
  route({ method: "post", path: "/", middleware: [write], request: { body: jsonBody(CreateWorkflow) },
    description: "Creates a workflow with its first version. Problems in the definition come back as details, each naming the step, the path and (for YAML) the line.",
    responses: { 201: jsonResponse(WorkflowSchema, "The new workflow"), ...authErrors, ...conflictError, ...mediaTypeError } }),
  async (c) => {
    const body = c.req.valid("json");
    const wf = await createWorkflow(scopeOf(c), { key: body.key, definition: definitionFrom(body), by: byOf(c) });
    await audit(c, { action: "workflow.created", resourceType: "workflow", resourceId: wf.id, after: { key: wf.key, version: wf.latestVersion } });
    return c.json(publicWorkflow(wf), 201);
  },
);

workflowsApi.openapi(
  route({ method: "post", path: "/validate", middleware: [read], request: { body: jsonBody(DefinitionSource) },
    description: "Validates a definition without saving it.",
    responses: { 200: jsonResponse(z.object({ valid: z.literal(true), definition: z.unknown() }), "Valid: the definition with its defaults filled in"), ...authErrors, ...mediaTypeError } }),
  async (c) => c.json({ valid: true as const, definition: definitionFrom(c.req.valid("json")) }, 200),
);

workflowsApi.openapi(
  route({ method: "get", path: "/templates", middleware: [read], responses: { 200: jsonResponse(z.object({ data: z.array(z.object({ key: z.string(), name: z.string(), description: z.string(), definition: z.unknown() })) }), "Shipped templates"), ...authErrors } }),
  async (c) => c.json({ data: listTemplates().map((t) => ({ key: t.key, name: t.definition.name, description: t.definition.description ?? "", definition: t.definition })) }, 200),
);

workflowsApi.openapi(
  route({ method: "post", path: "/templates/{name}/install", middleware: [write], request: { params: TemplateParams, body: jsonBody(z.object({ key: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/).optional() }).strict()) },
    responses: { 201: jsonResponse(WorkflowSchema, "The workflow made from the template"), ...authErrors, ...conflictError, ...mediaTypeError } }),
  async (c) => {
    const wf = await installTemplate(scopeOf(c), c.req.valid("param").name, { key: c.req.valid("json").key, by: byOf(c) });
    await audit(c, { action: "workflow.created", resourceType: "workflow", resourceId: wf.id, after: { key: wf.key, template: wf.template } });
    return c.json(publicWorkflow(wf), 201);
  },
);

workflowsApi.openapi(
  route({ method: "get", path: "/{id}", middleware: [read], request: { params: IdParams },
    responses: { 200: jsonResponse(WorkflowSchema.extend({ definition: z.unknown() }), "The workflow and its latest definition"), ...authErrors } }),
  async (c) => {
    const scope = scopeOf(c);
    const wf = await getWorkflow(scope, c.req.valid("param").id);
    return c.json({ ...publicWorkflow(wf), definition: (await getVersion(scope, wf.id, wf.latestVersion)).definition }, 200);
  },
);

workflowsApi.openapi(
  route({ method: "put", path: "/{id}", middleware: [write], request: { params: IdParams, body: jsonBody(DefinitionSource) },
    description: "Saves a new version (201); an unchanged definition adds none (200). Running runs keep the version they started with.",
    responses: { 200: jsonResponse(WorkflowSchema, "Unchanged"), 201: jsonResponse(WorkflowSchema, "Saved as a new version"), ...authErrors, ...conflictError, ...mediaTypeError } }),
  async (c) => {
    const { workflow, created } = await saveVersion(scopeOf(c), c.req.valid("param").id, definitionFrom(c.req.valid("json")), byOf(c));
    if (created) await audit(c, { action: "workflow.version_saved", resourceType: "workflow", resourceId: workflow.id, after: { version: workflow.latestVersion } });
    return created ? c.json(publicWorkflow(workflow), 201) : c.json(publicWorkflow(workflow), 200);
  },
);

workflowsApi.openapi(
  route({ method: "patch", path: "/{id}", middleware: [write], request: { params: IdParams, body: jsonBody(z.object({ enabled: z.boolean() }).strict()) },
    description: "Disables (no new runs from any trigger) or re-enables a workflow.",
    responses: { 200: jsonResponse(WorkflowSchema, "The workflow"), ...authErrors, ...mediaTypeError } }),
  async (c) => {
    const wf = await setEnabled(scopeOf(c), c.req.valid("param").id, c.req.valid("json").enabled);
    await audit(c, { action: "workflow.updated", resourceType: "workflow", resourceId: wf.id, after: { enabled: wf.enabled } });
    return c.json(publicWorkflow(wf), 200);
  },
);

workflowsApi.openapi(
  route({ method: "get", path: "/{id}/versions", middleware: [read], request: { params: IdParams }, responses: { 200: jsonResponse(z.object({ data: z.array(VersionSchema) }), "Every version, newest first"), ...authErrors } }),
  async (c) => {
    const scope = scopeOf(c);
    const wf = await getWorkflow(scope, c.req.valid("param").id);
    return c.json({ data: (await listVersions(scope, wf.id)).map(publicVersion) }, 200);
  },
);

workflowsApi.openapi(
  route({ method: "get", path: "/{id}/versions/{version}", middleware: [read], request: { params: VersionParams }, responses: { 200: jsonResponse(VersionSchema, "One version"), ...authErrors } }),
  async (c) => {
    const scope = scopeOf(c);
    const { id, version } = c.req.valid("param");
    const wf = await getWorkflow(scope, id);
    return c.json(publicVersion(await getVersion(scope, wf.id, version)), 200);
  },
);

workflowsApi.openapi(
  route({ method: "post", path: "/{id}/runs", middleware: [write], request: { params: IdParams, body: jsonBody(StartRun) },
    description: "Starts a run (202). With an idempotencyKey already used, answers 200 with the existing run.",
    responses: { 200: jsonResponse(RunSchema, "The run started earlier with this idempotency key"), 202: jsonResponse(RunSchema, "The run, queued or running"), ...authErrors, ...conflictError, ...mediaTypeError } }),
  async (c) => {
    const body = c.req.valid("json");
    const deps = engineDeps(c.env, (p) => c.executionCtx.waitUntil(p));
    const { tenantId } = scopeOf(c);
    const started = await startRun(deps, tenantId, {
      workflow: c.req.valid("param").id, input: body.input ?? {}, version: body.version,
      trigger: { type: "api", by: byOf(c) }, triggerKey: body.idempotencyKey ? `api:${body.idempotencyKey}` : null,
    });
    await runJobs(deps, started.jobs, { inline: false });
    if (started.created) await audit(c, { action: "workflow_run.started", resourceType: "workflow_run", resourceId: started.run.id, after: { workflowId: started.run.workflowId, version: started.run.version } });
    return started.created ? c.json(publicRun(started.run), 202) : c.json(publicRun(started.run), 200);
  },
);
