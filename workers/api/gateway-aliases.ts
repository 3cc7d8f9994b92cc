/**
 * /gateway/aliases: a tenant's short names for `provider/model` (e.g. "fast" ->
 * "anthropic/claude-3-5-haiku-latest"), resolved by the gateway on every call.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { and, asc, eq } from "drizzle-orm";
import { modelAliases, providerCredentials } from "../../d1/schema";
import { platformAuth, requirePermission } from "../auth/middleware";
import type { TenantScope } from "../db";
import { AppError } from "../errors";
import { audit, scopeOf } from "./context";
import { createApiApp } from "./factory";
import { BUILT_IN, ModelId, ProviderName, invalidateGatewaySettings, settingsTags } from "./gateway-settings";
import { authErrors, bearerSecurity, EpochMs, jsonBody, jsonResponse, mediaTypeError } from "./schemas";

export type AliasView = { alias: string; target: string; createdAt: number };

const AliasName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/, "Use 1-64 letters, digits, '.', '_', ':' or '-' (no '/': that would read as provider/model)")
  .openapi({ param: { name: "alias", in: "path" }, example: "fast" });

const Target = z
  .string()
  .max(250)
  .refine((t) => {
    const slash = t.indexOf("/");
    return slash > 0 && ProviderName.safeParse(t.slice(0, slash)).success && ModelId.safeParse(t.slice(slash + 1)).success;
  }, "Expected provider/model, e.g. openai/gpt-4o-mini")
  .openapi({ example: "anthropic/claude-3-5-haiku-latest" });

const AliasSchema = z.object({ alias: z.string(), target: z.string(), createdAt: EpochMs }).openapi("ModelAlias");

/** The tenant's aliases, by name. */
export async function listAliases(scope: TenantScope): Promise<AliasView[]> {
  return scope.db
    .select({ alias: modelAliases.alias, target: modelAliases.target, createdAt: modelAliases.createdAt })
    .from(modelAliases)
    .where(eq(modelAliases.tenantId, scope.tenantId))
    .orderBy(asc(modelAliases.alias));
}

/** One alias; 404 when this tenant has none by that name. */
export async function getAlias(scope: TenantScope, alias: string): Promise<AliasView> {
  const found = await findAlias(scope, alias);
  if (!found) throw new AppError("not_found", `No alias named '${alias}'`);
  return found;
}

async function findAlias(scope: TenantScope, alias: string): Promise<AliasView | null> {
  const rows = await scope.db
    .select({ alias: modelAliases.alias, target: modelAliases.target, createdAt: modelAliases.createdAt })
    .from(modelAliases)
    .where(and(eq(modelAliases.tenantId, scope.tenantId), eq(modelAliases.alias, alias)));
  return rows[0] ?? null;
}

// The provider part of a target must be one the tenant can call, or the alias could never resolve.
async function checkTarget(scope: TenantScope, target: string): Promise<void> {
  const provider = target.slice(0, target.indexOf("/"));
  if ((BUILT_IN as readonly string[]).includes(provider)) return;
  const own = await scope.db
    .select({ name: providerCredentials.name })
    .from(providerCredentials)
    .where(and(eq(providerCredentials.tenantId, scope.tenantId), eq(providerCredentials.name, provider)));
  if (own.length === 0) {
    throw new AppError("validation_failed", `Unknown provider '${provider}' in target: use openai/…, anthropic/…, or a provider added under /gateway/providers`, [
      { path: "target", message: `unknown provider '${provider}'` },
    ]);
  }
}

/** Creates or repoints an alias. */
export async function putAlias(scope: TenantScope, alias: string, target: string, now = Date.now()): Promise<{ before: AliasView | null; after: AliasView }> {
  await checkTarget(scope, target);
  const before = await findAlias(scope, alias);
  const after: AliasView = { alias, target, createdAt: before?.createdAt ?? now };
  await scope.db
    .insert(modelAliases)
    .values({ tenantId: scope.tenantId, ...after })
    .onConflictDoUpdate({ target: [modelAliases.tenantId, modelAliases.alias], set: { target } });
  invalidateGatewaySettings(scope.tenantId);
  return { before, after };
}

/** Removes an alias; 404 when this tenant has none by that name. */
export async function deleteAlias(scope: TenantScope, alias: string): Promise<AliasView> {
  const before = await getAlias(scope, alias);
  await scope.db.delete(modelAliases).where(and(eq(modelAliases.tenantId, scope.tenantId), eq(modelAliases.alias, alias)));
  invalidateGatewaySettings(scope.tenantId);
  return before;
}

export const gatewayAliasesApi = createApiApp();
gatewayAliasesApi.use("*", platformAuth);

const tags = settingsTags;
const read = requirePermission("gateway:read");
const write = requirePermission("gateway:write");
const Params = z.object({ alias: AliasName });

gatewayAliasesApi.openapi(
  createRoute({ method: "get", path: "/", tags, security: bearerSecurity, middleware: [read],
    responses: { 200: jsonResponse(z.object({ data: z.array(AliasSchema) }), "The tenant's aliases"), ...authErrors } }),
  async (c) => c.json({ data: await listAliases(scopeOf(c)) }, 200),
);

gatewayAliasesApi.openapi(
  createRoute({ method: "get", path: "/{alias}", tags, security: bearerSecurity, middleware: [read], request: { params: Params },
    responses: { 200: jsonResponse(AliasSchema, "The alias"), ...authErrors } }),
  async (c) => c.json(await getAlias(scopeOf(c), c.req.valid("param").alias), 200),
);

gatewayAliasesApi.openapi(
  createRoute({ method: "put", path: "/{alias}", tags, security: bearerSecurity, middleware: [write],
    request: { params: Params, body: jsonBody(z.object({ target: Target }).strict()) },
    responses: { 200: jsonResponse(AliasSchema, "The alias as saved"), ...authErrors, ...mediaTypeError } }),
  async (c) => {
    const { alias } = c.req.valid("param");
    const { before, after } = await putAlias(scopeOf(c), alias, c.req.valid("json").target);
    await audit(c, { action: before ? "gateway_alias.updated" : "gateway_alias.created", resourceType: "gateway_alias", resourceId: alias, before, after });
    return c.json(after, 200);
  },
);

gatewayAliasesApi.openapi(
  createRoute({ method: "delete", path: "/{alias}", tags, security: bearerSecurity, middleware: [write], request: { params: Params },
    responses: { 200: jsonResponse(AliasSchema, "The alias that was removed"), ...authErrors } }),
  async (c) => {
    const removed = await deleteAlias(scopeOf(c), c.req.valid("param").alias);
    await audit(c, { action: "gateway_alias.deleted", resourceType: "gateway_alias", resourceId: removed.alias, before: removed });
    return c.json(removed, 200);
  },
);
