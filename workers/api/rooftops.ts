/**
 * /rooftops: dealership locations and their departments.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { platformAuth, requirePermission } from "../auth/middleware";
import { createRooftop, deleteRooftop, getRooftop, listRooftops, publicRooftop, type RooftopRow, updateRooftop } from "../platform/rooftops";
import { audit, scopeOf } from "./context";
import { createApiApp } from "./factory";
import { authErrors, bearerSecurity, conflictError, EpochMs, IdParams, jsonBody, jsonResponse, mediaTypeError } from "./schemas";
import { TimeZone } from "./tenant";

const Kind = z.enum(["rooftop", "department"]);

export const RooftopSchema = z
  .object({
    id: z.string(),
    kind: Kind,
    name: z.string(),
    parentId: z.string().nullable(),
    timezone: z.string().nullable(),
    createdAt: EpochMs,
  })
  .openapi("Rooftop");

const CreateRooftop = z
  .object({
    kind: Kind,
    name: z.string().trim().min(1).max(200),
    parentId: z.string().min(1).max(64).nullable().optional().openapi({ description: "Required for a department: its rooftop" }),
    timezone: TimeZone.nullable().optional().openapi({ description: "Defaults to the tenant's" }),
  })
  .strict();

const PatchRooftop = z
  .object({ name: z.string().trim().min(1).max(200), parentId: z.string().min(1).max(64).nullable(), timezone: TimeZone.nullable() })
  .partial()
  .strict();

const ListQuery = z.object({ kind: Kind.optional(), parentId: z.string().max(64).optional() });

function summary(r: RooftopRow) {
  return { kind: r.kind, name: r.name, parentId: r.parentId, timezone: r.timezone };
}

export const rooftopsApi = createApiApp();
rooftopsApi.use("*", platformAuth);

const tags = ["Rooftops"];
const read = requirePermission("tenant:read");
const write = requirePermission("tenant:write");
const ok = (description: string) => jsonResponse(RooftopSchema, description);

rooftopsApi.openapi(
  createRoute({ method: "get", path: "/", tags, security: bearerSecurity, middleware: [read], request: { query: ListQuery },
    responses: { 200: jsonResponse(z.object({ data: z.array(RooftopSchema) }), "Rooftops and departments"), ...authErrors } }),
  async (c) => c.json({ data: (await listRooftops(scopeOf(c), c.req.valid("query"))).map(publicRooftop) }, 200),
);

rooftopsApi.openapi(
  createRoute({ method: "post", path: "/", tags, security: bearerSecurity, middleware: [write], request: { body: jsonBody(CreateRooftop) },
    responses: { 201: ok("The new rooftop or department"), ...authErrors, ...mediaTypeError } }),
  async (c) => {
    const row = await createRooftop(scopeOf(c), c.req.valid("json"));
    await audit(c, { action: "rooftop.created", resourceType: "rooftop", resourceId: row.id, after: summary(row) });
    return c.json(publicRooftop(row), 201);
  },
);

rooftopsApi.openapi(
  createRoute({ method: "get", path: "/{id}", tags, security: bearerSecurity, middleware: [read], request: { params: IdParams },
    responses: { 200: ok("The rooftop or department"), ...authErrors } }),
  async (c) => c.json(publicRooftop(await getRooftop(scopeOf(c), c.req.valid("param").id)), 200),
);

rooftopsApi.openapi(
  createRoute({ method: "patch", path: "/{id}", tags, security: bearerSecurity, middleware: [write], request: { params: IdParams, body: jsonBody(PatchRooftop) },
    responses: { 200: ok("The updated rooftop or department"), ...authErrors, ...mediaTypeError } }),
  async (c) => {
    const { before, after } = await updateRooftop(scopeOf(c), c.req.valid("param").id, c.req.valid("json"));
    await audit(c, { action: "rooftop.updated", resourceType: "rooftop", resourceId: after.id, before: summary(before), after: summary(after) });
    return c.json(publicRooftop(after), 200);
  },
);

rooftopsApi.openapi(
  createRoute({ method: "delete", path: "/{id}", tags, security: bearerSecurity, middleware: [write], request: { params: IdParams },
    responses: { 204: { description: "Deleted" }, ...authErrors, ...conflictError } }),
  async (c) => {
    const row = await deleteRooftop(scopeOf(c), c.req.valid("param").id);
    await audit(c, { action: "rooftop.deleted", resourceType: "rooftop", resourceId: row.id, before: summary(row) });
    return c.body(null, 204);
  },
);
