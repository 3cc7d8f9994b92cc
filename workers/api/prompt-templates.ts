/**
 * /prompt-templates: the versioned prompt library. Lists the shipped defaults and the
 * tenant's own templates (its latest version of a key wins), saves new versions and
 * renders a preview with variables checked.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { platformAuth, requirePermission } from "../auth/middleware";
import { actorOf } from "../auth/principal";
import { renderMessages, VariablesSchema, VariableValuesSchema } from "../models/prompts/render";
import { getTemplate, listTemplates, parseTemplateRef, saveTemplate, tenantVersions, type ResolvedTemplate } from "../models/prompts/store";
import { audit, scopeOf } from "./context";
import { createApiApp } from "./factory";
import { authErrors, bearerSecurity, jsonBody, jsonResponse, mediaTypeError } from "./schemas";

const KeyParams = z.object({ key: z.string().min(1).max(63).openapi({ param: { name: "key", in: "path" }, example: "lead-reply" }) });
const VersionQuery = z.object({ version: z.string().max(20).optional().openapi({ description: "A version number, or 'default' for the shipped text; the latest when absent" }) });

const TemplateSchema = z
  .object({
    key: z.string(),
    version: z.union([z.number().int(), z.literal("default")]),
    ref: z.string().openapi({ example: "lead-reply@2", description: "What x-auterity-template accepts and usage rows record" }),
    source: z.enum(["default", "tenant"]),
    description: z.string(),
    variables: VariablesSchema,
    system: z.string().nullable(),
    template: z.string(),
    createdAt: z.number().int().nullable(),
  })
  .openapi("PromptTemplate");

const SaveBody = z
  .object({
    key: z.string().min(1).max(63).openapi({ example: "lead-reply" }),
    description: z.string().max(2000).optional(),
    variables: VariablesSchema,
    system: z.string().max(20_000).nullable().optional(),
    template: z.string().min(1).max(50_000).openapi({ example: "Write a reply to {{ customer_name }} about the {{ vehicle }}." }),
  })
  .strict();

const RenderBody = z.object({ version: z.union([z.number().int().positive(), z.literal("default")]).optional(), variables: VariableValuesSchema.default({}) }).strict();

function view(t: ResolvedTemplate): z.infer<typeof TemplateSchema> {
  return { key: t.key, version: t.version, ref: t.ref, source: t.source, description: t.description, variables: t.variables, system: t.system, template: t.template, createdAt: t.createdAt };
}

export const promptTemplatesApi = createApiApp();
promptTemplatesApi.use("*", platformAuth);

const tags = ["Prompt templates"];
const read = requirePermission("models:read");
const write = requirePermission("models:write");
const route = <R extends Parameters<typeof createRoute>[0]>(r: R) => createRoute({ tags, security: bearerSecurity, ...r });

promptTemplatesApi.openapi(
  route({ method: "get", path: "/", middleware: [read],
    responses: { 200: jsonResponse(z.object({ data: z.array(TemplateSchema.extend({ overridesDefault: z.boolean() })) }), "Every key's effective template"), ...authErrors } }),
  async (c) => c.json({ data: (await listTemplates(scopeOf(c))).map((t) => ({ ...view(t), overridesDefault: t.overridesDefault })) }, 200),
);

promptTemplatesApi.openapi(
  route({ method: "get", path: "/{key}", middleware: [read], request: { params: KeyParams, query: VersionQuery },
    responses: { 200: jsonResponse(TemplateSchema.extend({ versions: z.array(z.number().int()) }), "The template (latest, or the version asked for) and the tenant's version numbers"), ...authErrors } }),
  async (c) => {
    const scope = scopeOf(c);
    const { key } = c.req.valid("param");
    const q = c.req.valid("query").version;
    const pin = parseTemplateRef(q ? `${key}@${q}` : key).version;
    const [t, versions] = await Promise.all([getTemplate(scope, key, pin), tenantVersions(scope, key)]);
    return c.json({ ...view(t), versions: versions.map((v) => v.version) }, 200);
  },
);

promptTemplatesApi.openapi(
  route({ method: "post", path: "/", middleware: [write], request: { body: jsonBody(SaveBody) },
    description: "Saves a new version of the key (the first save creates it; a default's key is overridden).",
    responses: { 201: jsonResponse(TemplateSchema, "The new version"), ...authErrors, ...mediaTypeError } }),
  async (c) => {
    const { key, ...input } = c.req.valid("json");
    const saved = await saveTemplate(scopeOf(c), key, input, actorOf(c.get("principal")).actorId, Date.now());
    await audit(c, { action: "prompt_template.saved", resourceType: "prompt_template", resourceId: saved.ref, after: { key, version: saved.version } });
    return c.json(view(saved), 201);
  },
);

promptTemplatesApi.openapi(
  route({ method: "post", path: "/{key}/render", middleware: [read], request: { params: KeyParams, body: jsonBody(RenderBody) },
    description: "Renders the messages a gateway call with this template would start with; 400 when variables are missing or mistyped.",
    responses: { 200: jsonResponse(z.object({ ref: z.string(), messages: z.array(z.object({ role: z.enum(["system", "user"]), content: z.string() })) }), "The rendered messages"), ...authErrors, ...mediaTypeError } }),
  async (c) => {
    const body = c.req.valid("json");
    const t = await getTemplate(scopeOf(c), c.req.valid("param").key, body.version ?? null);
    return c.json({ ref: t.ref, messages: renderMessages(t, body.variables) }, 200);
  },
);
