/**
 * /audit: the tenant's audit log, newest first, with cursor pagination.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { platformAuth, requirePermission } from "../auth/middleware";
import { type AuditRow, listAudit } from "../platform/audit-query";
import { scopeOf } from "./context";
import { createApiApp } from "./factory";
import { authErrors, bearerSecurity, EpochMs, jsonResponse, TimeParam } from "./schemas";

const AuditQuery = z.object({
  resourceType: z.string().max(64).optional().openapi({ example: "user" }),
  resourceId: z.string().max(64).optional(),
  actorId: z.string().max(64).optional(),
  action: z.string().max(64).optional().openapi({ example: "user.updated" }),
  from: TimeParam.optional(),
  to: TimeParam.optional(),
  limit: z.coerce.number().int().min(1).max(200).optional().openapi({ example: 50 }),
  cursor: z.string().max(200).optional().openapi({ description: "nextCursor of the previous page" }),
});

const Summary = z.record(z.string(), z.unknown()).nullable();

export const AuditEntrySchema = z
  .object({
    id: z.string(),
    actorType: z.enum(["user", "api_key", "system"]),
    actorId: z.string().nullable(),
    action: z.string(),
    resourceType: z.string(),
    resourceId: z.string().nullable(),
    before: Summary,
    after: Summary,
    requestId: z.string().nullable(),
    ip: z.string().nullable(),
    createdAt: EpochMs,
  })
  .openapi("AuditEntry");

function publicEntry(row: AuditRow) {
  const { tenantId: _tenantId, ...rest } = row;
  return rest;
}

export const auditApi = createApiApp();
auditApi.use("*", platformAuth);

auditApi.openapi(
  createRoute({
    method: "get",
    path: "/",
    tags: ["Audit"],
    security: bearerSecurity,
    middleware: [requirePermission("audit:read")],
    request: { query: AuditQuery },
    responses: {
      200: jsonResponse(z.object({ data: z.array(AuditEntrySchema), nextCursor: z.string().nullable() }), "Audit entries, newest first"),
      ...authErrors,
    },
  }),
  async (c) => {
    const page = await listAudit(scopeOf(c), c.req.valid("query"));
    return c.json({ data: page.data.map(publicEntry), nextCursor: page.nextCursor }, 200);
  },
);
