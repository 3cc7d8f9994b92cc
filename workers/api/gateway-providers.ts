/**
 * /gateway/providers: bring-your-own-key credentials and OpenAI-compatible hosts. The
 * apiKey is write-only: responses say whether one is set and show its last 4 characters.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { PROVIDER_KINDS } from "../../d1/schema";
import { platformAuth, requirePermission } from "../auth/middleware";
import type { Context } from "hono";
import type { AppEnv } from "../env";
import { audit, scopeOf } from "./context";
import { createApiApp } from "./factory";
import { deleteProvider, getProvider, listProviders, type ProviderDeps, putProvider } from "./gateway-provider-store";
import { ModelId, ProviderName, settingsTags } from "./gateway-settings";
import { authErrors, bearerSecurity, conflictError, EpochMs, jsonBody, jsonResponse, mediaTypeError } from "./schemas";

const Kind = z.enum(PROVIDER_KINDS).openapi({ example: "openai-compatible" });

const ProviderSchema = z
  .object({
    name: z.string(),
    kind: Kind,
    baseUrl: z.string().nullable(),
    models: z.array(z.string()),
    hasApiKey: z.boolean(),
    apiKeyLast4: z.string().nullable().openapi({ description: "The key's last 4 characters, to tell keys apart", example: "x9Qz" }),
    createdAt: EpochMs,
  })
  .openapi("GatewayProvider");

const PutProvider = z
  .object({
    kind: Kind,
    baseUrl: z.string().max(500).nullable().optional().openapi({
      description: "Required for openai-compatible; https (http only in development)",
      example: "https://api.groq.com/openai/v1",
    }),
    apiKey: z.string().min(1).max(4000).optional().openapi({ description: "Write-only. Omit to keep the stored key (unless the kind changes)" }),
    models: z.array(ModelId).max(500).optional().openapi({ description: "Models this provider serves, callable by bare name", example: ["llama-3.3-70b-versatile"] }),
  })
  .strict();

const Params = z.object({ name: ProviderName.openapi({ param: { name: "name", in: "path" } }) });

function depsOf(c: Context<AppEnv>): ProviderDeps {
  return { scope: scopeOf(c), masterKey: c.env.MASTER_KEY, environment: c.env.ENVIRONMENT };
}

export const gatewayProvidersApi = createApiApp();
gatewayProvidersApi.use("*", platformAuth);

const tags = settingsTags;
const read = requirePermission("gateway:read");
const write = requirePermission("gateway:write");
const ok = (description: string) => jsonResponse(ProviderSchema, description);

gatewayProvidersApi.openapi(
  createRoute({ method: "get", path: "/", tags, security: bearerSecurity, middleware: [read],
    responses: { 200: jsonResponse(z.object({ data: z.array(ProviderSchema) }), "The tenant's providers"), ...authErrors } }),
  async (c) => c.json({ data: await listProviders(depsOf(c)) }, 200),
);

gatewayProvidersApi.openapi(
  createRoute({ method: "get", path: "/{name}", tags, security: bearerSecurity, middleware: [read], request: { params: Params },
    responses: { 200: ok("The provider"), ...authErrors } }),
  async (c) => c.json(await getProvider(depsOf(c), c.req.valid("param").name), 200),
);

gatewayProvidersApi.openapi(
  createRoute({ method: "put", path: "/{name}", tags, security: bearerSecurity, middleware: [write],
    description: "Creates or replaces a provider. The names openai and anthropic are reserved for your own key for that provider.",
    request: { params: Params, body: jsonBody(PutProvider) },
    responses: { 200: ok("The provider as saved"), ...authErrors, ...mediaTypeError } }),
  async (c) => {
    const { name } = c.req.valid("param");
    const { before, after, keyChanged } = await putProvider(depsOf(c), name, c.req.valid("json"));
    await audit(c, {
      action: before ? "gateway_provider.updated" : "gateway_provider.created",
      resourceType: "gateway_provider",
      resourceId: name,
      before: before && { kind: before.kind, baseUrl: before.baseUrl, models: before.models },
      after: { kind: after.kind, baseUrl: after.baseUrl, models: after.models, keyChanged },
    });
    return c.json(after, 200);
  },
);

gatewayProvidersApi.openapi(
  createRoute({ method: "delete", path: "/{name}", tags, security: bearerSecurity, middleware: [write], request: { params: Params },
    responses: { 200: ok("The provider that was removed (its key is deleted)"), ...authErrors, ...conflictError } }),
  async (c) => {
    const removed = await deleteProvider(depsOf(c), c.req.valid("param").name);
    await audit(c, { action: "gateway_provider.deleted", resourceType: "gateway_provider", resourceId: removed.name, before: { kind: removed.kind, baseUrl: removed.baseUrl, models: removed.models } });
    return c.json(removed, 200);
  },
);
