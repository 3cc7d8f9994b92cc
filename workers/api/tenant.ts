/**
 * /tenant: the caller's own tenant (there is no way to name another one).
 */
import { createRoute, z } from "@hono/zod-openapi";
import { platformAuth, requirePermission } from "../auth/middleware";
import { getTenant, isTimeZone, type TenantRow, updateTenant } from "../platform/tenants";
import { audit, scopeOf } from "./context";
import { createApiApp } from "./factory";
import { authErrors, bearerSecurity, EpochMs, jsonBody, jsonResponse, mediaTypeError } from "./schemas";

/** An IANA time zone name, checked against the runtime's zone database. */
export const TimeZone = z
  .string()
  .min(1)
  .max(64)
  .refine(isTimeZone, { message: "not an IANA time zone (e.g. America/Chicago)" })
  .openapi({ example: "America/Chicago" });

export const TenantSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    slug: z.string(),
    timezone: z.string(),
    settings: z.record(z.string(), z.unknown()),
    createdAt: EpochMs,
  })
  .openapi("Tenant");

const PatchTenant = z
  .object({
    name: z.string().trim().min(1).max(200),
    timezone: TimeZone,
    settings: z.record(z.string(), z.unknown()).openapi({ description: "Merged one level deep; a key set to null is removed" }),
  })
  .partial()
  .strict();

export function publicTenant(t: TenantRow) {
  return { id: t.id, name: t.name, slug: t.slug, timezone: t.timezone, settings: t.settings, createdAt: t.createdAt };
}

export const tenantApi = createApiApp();
tenantApi.use("*", platformAuth);
const tags = ["Tenant"];

tenantApi.openapi(
  createRoute({ method: "get", path: "/", tags, security: bearerSecurity, middleware: [requirePermission("tenant:read")],
    responses: { 200: jsonResponse(TenantSchema, "Your tenant"), ...authErrors } }),
  async (c) => c.json(publicTenant(await getTenant(scopeOf(c))), 200),
);

tenantApi.openapi(
  createRoute({ method: "patch", path: "/", tags, security: bearerSecurity, middleware: [requirePermission("tenant:write")],
    request: { body: jsonBody(PatchTenant) },
    responses: { 200: jsonResponse(TenantSchema, "Your tenant, updated"), ...authErrors, ...mediaTypeError } }),
  async (c) => {
    const { before, after } = await updateTenant(scopeOf(c), c.req.valid("json"));
    const summary = (t: TenantRow) => ({ name: t.name, timezone: t.timezone, settings: t.settings });
    await audit(c, { action: "tenant.updated", resourceType: "tenant", resourceId: after.id, before: summary(before), after: summary(after) });
    return c.json(publicTenant(after), 200);
  },
);
