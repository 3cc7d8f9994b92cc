/**
 * /gateway/prices: what each model costs this tenant (catalog list prices, platform rows,
 * the tenant's own overrides). Setting a price adds a version; old versions are kept so
 * past charges stay explainable.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { platformAuth, requirePermission } from "../auth/middleware";
import { addTenantPrice, effectivePrices, priceHistory } from "../gateway/pricing";
import { audit, scopeOf } from "./context";
import { createApiApp } from "./factory";
import { ModelId, ProviderName, settingsTags } from "./gateway-settings";
import { authErrors, bearerSecurity, EpochMs, jsonBody, jsonResponse, mediaTypeError } from "./schemas";

const PerMtok = z.number().finite().min(0).max(100_000).openapi({ description: "USD per million tokens", example: 0.15 });
const Source = z.enum(["tenant", "platform"]);

const EffectivePriceSchema = z
  .object({
    provider: z.string(),
    model: z.string(),
    inputPerMtok: z.number(),
    outputPerMtok: z.number(),
    cachedInputPerMtok: z.number().nullable(),
    source: Source,
    effectiveFrom: EpochMs.nullable(),
    inCatalog: z.boolean(),
  })
  .openapi("EffectivePrice");

const PriceVersionSchema = z
  .object({
    id: z.string(),
    inputPerMtok: z.number(),
    outputPerMtok: z.number(),
    cachedInputPerMtok: z.number().nullable(),
    source: Source,
    effectiveFrom: EpochMs,
    createdAt: EpochMs,
    current: z.boolean().openapi({ description: "Whether this version is the one in effect now" }),
  })
  .openapi("PriceVersion");

const PutPrice = z
  .object({
    provider: ProviderName,
    model: ModelId,
    inputPerMtok: PerMtok,
    outputPerMtok: PerMtok,
    cachedInputPerMtok: PerMtok.nullable().optional().openapi({ description: "Price of cached input tokens; omit to bill them as input" }),
    effectiveFrom: EpochMs.min(0).optional().openapi({ description: "When the price starts to apply; default now" }),
  })
  .strict();

const HistoryQuery = z.object({ provider: ProviderName, model: ModelId });

export const gatewayPricesApi = createApiApp();
gatewayPricesApi.use("*", platformAuth);

const tags = settingsTags;

gatewayPricesApi.openapi(
  createRoute({ method: "get", path: "/", tags, security: bearerSecurity, middleware: [requirePermission("gateway:read")],
    responses: { 200: jsonResponse(z.object({ data: z.array(EffectivePriceSchema) }), "Prices in effect now"), ...authErrors } }),
  async (c) => {
    const { db, tenantId } = scopeOf(c);
    return c.json({ data: await effectivePrices(db, tenantId) }, 200);
  },
);

gatewayPricesApi.openapi(
  createRoute({ method: "get", path: "/history", tags, security: bearerSecurity, middleware: [requirePermission("gateway:read")],
    request: { query: HistoryQuery },
    responses: { 200: jsonResponse(z.object({ data: z.array(PriceVersionSchema) }), "Every version of one model's price, newest first"), ...authErrors } }),
  async (c) => {
    const { db, tenantId } = scopeOf(c);
    const q = c.req.valid("query");
    return c.json({ data: await priceHistory(db, tenantId, q.provider, q.model) }, 200);
  },
);

gatewayPricesApi.openapi(
  createRoute({ method: "put", path: "/", tags, security: bearerSecurity, middleware: [requirePermission("gateway:write")],
    description: "Adds a tenant price version for provider/model (old versions are kept).",
    request: { body: jsonBody(PutPrice) },
    responses: { 200: jsonResponse(PriceVersionSchema, "The new version"), ...authErrors, ...mediaTypeError } }),
  async (c) => {
    const { db, tenantId } = scopeOf(c);
    const row = await addTenantPrice(db, tenantId, c.req.valid("json"));
    const { id, provider, model, inputPerMtok, outputPerMtok, cachedInputPerMtok, effectiveFrom, createdAt } = row;
    await audit(c, { action: "gateway_price.created", resourceType: "gateway_price", resourceId: id, after: { provider, model, inputPerMtok, outputPerMtok, cachedInputPerMtok, effectiveFrom } });
    const current = effectiveFrom <= Date.now();
    return c.json({ id, inputPerMtok, outputPerMtok, cachedInputPerMtok, source: "tenant" as const, effectiveFrom, createdAt, current }, 200);
  },
);
