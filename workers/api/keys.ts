/**
 * /keys: API keys. The secret is returned once, by POST; lists show only the prefix.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { API_KEY_SCOPES } from "../../d1/schema";
import { createApiKey, revokeApiKey } from "../auth/api-keys";
import { platformAuth, requirePermission } from "../auth/middleware";
import { actorOf } from "../auth/principal";
import { getApiKey, listApiKeys, type ApiKeyRow, publicApiKey } from "../platform/keys";
import { audit, scopeOf } from "./context";
import { createApiApp } from "./factory";
import { AppError } from "../errors";
import { authErrors, bearerSecurity, EpochMs, IdParams, jsonBody, jsonResponse, mediaTypeError } from "./schemas";

const Scope = z.enum(API_KEY_SCOPES);

export const ApiKeySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string().openapi({ description: "The first characters of the key, to recognise it", example: "sk-aut-4fGh7Jk9LmNp" }),
    scopes: z.array(Scope),
    tags: z.array(z.string()),
    createdBy: z.string().nullable(),
    expiresAt: EpochMs.nullable(),
    revokedAt: EpochMs.nullable(),
    lastUsedAt: EpochMs.nullable(),
    createdAt: EpochMs,
  })
  .openapi("ApiKey");

const CreatedKey = ApiKeySchema.extend({ key: z.string().openapi({ description: "The secret. Shown only in this response." }) }).openapi("ApiKeyCreated");

const CreateKey = z
  .object({
    name: z.string().trim().min(1).max(200),
    scopes: z.array(Scope).min(1).max(API_KEY_SCOPES.length).refine((s) => new Set(s).size === s.length, { message: "scopes repeat" }),
    tags: z.array(z.string().trim().min(1).max(64)).max(20).optional(),
    expiresAt: EpochMs.refine((t) => t > Date.now(), { message: "must be in the future" })
      .nullable()
      .optional()
      .openapi({ description: "Epoch ms; omit for a key that does not expire" }),
  })
  .strict();

function summary(k: ApiKeyRow) {
  return { name: k.name, prefix: k.prefix, scopes: k.scopes, tags: k.tags, expiresAt: k.expiresAt, revokedAt: k.revokedAt };
}

export const keysApi = createApiApp();
keysApi.use("*", platformAuth);

const tags = ["API keys"];
const read = requirePermission("keys:read");
const write = requirePermission("keys:write");

keysApi.openapi(
  createRoute({ method: "get", path: "/", tags, security: bearerSecurity, middleware: [read],
    responses: { 200: jsonResponse(z.object({ data: z.array(ApiKeySchema) }), "The tenant's keys, revoked ones included"), ...authErrors } }),
  async (c) => c.json({ data: (await listApiKeys(scopeOf(c))).map(publicApiKey) }, 200),
);

keysApi.openapi(
  createRoute({ method: "post", path: "/", tags, security: bearerSecurity, middleware: [write], request: { body: jsonBody(CreateKey) },
    responses: { 201: jsonResponse(CreatedKey, "The new key, with its secret"), ...authErrors, ...mediaTypeError } }),
  async (c) => {
    const input = c.req.valid("json");
    const { key, row } = await createApiKey(scopeOf(c), { ...input, createdBy: actorOf(c.get("principal")).actorId });
    await audit(c, { action: "api_key.created", resourceType: "api_key", resourceId: row.id, after: summary(row) });
    return c.json({ ...publicApiKey(row), key }, 201);
  },
);

keysApi.openapi(
  createRoute({ method: "get", path: "/{id}", tags, security: bearerSecurity, middleware: [read], request: { params: IdParams },
    responses: { 200: jsonResponse(ApiKeySchema, "The key (without its secret)"), ...authErrors } }),
  async (c) => c.json(publicApiKey(await getApiKey(scopeOf(c), c.req.valid("param").id)), 200),
);

keysApi.openapi(
  createRoute({ method: "delete", path: "/{id}", tags, security: bearerSecurity, middleware: [write], request: { params: IdParams },
    description: "Revokes the key; calls made with it fail from now on.",
    responses: { 200: jsonResponse(ApiKeySchema, "The revoked key"), ...authErrors } }),
  async (c) => {
    const scope = scopeOf(c);
    const before = await revokeApiKey(scope, c.req.valid("param").id);
    if (!before) throw new AppError("not_found", "API key not found");
    const after = await getApiKey(scope, before.id);
    await audit(c, { action: "api_key.revoked", resourceType: "api_key", resourceId: after.id, before: summary(before), after: summary(after) });
    return c.json(publicApiKey(after), 200);
  },
);
