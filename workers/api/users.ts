/**
 * /users: the people of a tenant. Rules about who may grant what live in
 * workers/platform/user-admin.ts.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { ROLES } from "../../d1/schema";
import { platformAuth, requirePermission } from "../auth/middleware";
import { MIN_PASSWORD_LENGTH } from "../auth/passwords";
import { createUserAs, disableUserAs, managerOf, updateUserAs } from "../platform/user-admin";
import { getUser, listUsers, publicUser, type UserRow } from "../platform/users";
import { audit, scopeOf } from "./context";
import { createApiApp } from "./factory";
import { authErrors, bearerSecurity, conflictError, Email, EpochMs, IdParams, jsonBody, jsonResponse, mediaTypeError } from "./schemas";

const Role = z.enum(ROLES).openapi({ example: "member" });
const Status = z.enum(["active", "disabled"]);

export const UserSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    role: Role,
    rooftopId: z.string().nullable(),
    status: Status,
    hasPassword: z.boolean().openapi({ description: "False for users who sign in only through SSO" }),
    lastLoginAt: EpochMs.nullable(),
    createdAt: EpochMs,
  })
  .openapi("User");

const CreateUser = z
  .object({
    email: Email,
    name: z.string().trim().min(1).max(200),
    role: Role,
    rooftopId: z.string().min(1).max(64).nullable().optional(),
    password: z.string().min(MIN_PASSWORD_LENGTH).max(1024).optional().openapi({ description: "Omit for SSO-only users" }),
  })
  .strict();

const PatchUser = z
  .object({
    name: z.string().trim().min(1).max(200),
    role: Role,
    rooftopId: z.string().min(1).max(64).nullable(),
    status: Status,
  })
  .partial()
  .strict();

const ListQuery = z.object({ rooftopId: z.string().max(64).optional(), status: Status.optional(), role: Role.optional() });

/** The small summary kept in the audit log. */
function summary(u: UserRow) {
  return { email: u.email, name: u.name, role: u.role, rooftopId: u.rooftopId, status: u.status };
}

export const usersApi = createApiApp();
usersApi.use("*", platformAuth);

const tags = ["Users"];
const read = requirePermission("users:read");
const write = requirePermission("users:write");
const ok = (description: string) => jsonResponse(UserSchema, description);

usersApi.openapi(
  createRoute({ method: "get", path: "/", tags, security: bearerSecurity, middleware: [read], request: { query: ListQuery },
    responses: { 200: jsonResponse(z.object({ data: z.array(UserSchema) }), "The tenant's users"), ...authErrors } }),
  async (c) => c.json({ data: (await listUsers(scopeOf(c), c.req.valid("query"))).map(publicUser) }, 200),
);

usersApi.openapi(
  createRoute({ method: "post", path: "/", tags, security: bearerSecurity, middleware: [write], request: { body: jsonBody(CreateUser) },
    responses: { 201: ok("The new user"), ...authErrors, ...conflictError, ...mediaTypeError } }),
  async (c) => {
    const input = c.req.valid("json");
    const user = await createUserAs(scopeOf(c), managerOf(c.get("principal")), input);
    await audit(c, { action: "user.created", resourceType: "user", resourceId: user.id, after: { ...summary(user), password: input.password ?? null } });
    return c.json(publicUser(user), 201);
  },
);

usersApi.openapi(
  createRoute({ method: "get", path: "/{id}", tags, security: bearerSecurity, middleware: [read], request: { params: IdParams },
    responses: { 200: ok("The user"), ...authErrors } }),
  async (c) => c.json(publicUser(await getUser(scopeOf(c), c.req.valid("param").id)), 200),
);

usersApi.openapi(
  createRoute({ method: "patch", path: "/{id}", tags, security: bearerSecurity, middleware: [write], request: { params: IdParams, body: jsonBody(PatchUser) },
    responses: { 200: ok("The updated user"), ...authErrors, ...conflictError, ...mediaTypeError } }),
  async (c) => {
    const { before, after } = await updateUserAs(scopeOf(c), managerOf(c.get("principal")), c.req.valid("param").id, c.req.valid("json"));
    await audit(c, { action: "user.updated", resourceType: "user", resourceId: after.id, before: summary(before), after: summary(after) });
    return c.json(publicUser(after), 200);
  },
);

usersApi.openapi(
  createRoute({ method: "delete", path: "/{id}", tags, security: bearerSecurity, middleware: [write], request: { params: IdParams },
    description: "Disables the user (users are kept so the audit log can name them) and ends their sessions.",
    responses: { 200: ok("The disabled user"), ...authErrors, ...conflictError } }),
  async (c) => {
    const { before, after } = await disableUserAs(scopeOf(c), managerOf(c.get("principal")), c.req.valid("param").id);
    await audit(c, { action: "user.disabled", resourceType: "user", resourceId: after.id, before: summary(before), after: summary(after) });
    return c.json(publicUser(after), 200);
  },
);
