/**
 * /roles: the roles a user can hold and what each may do, as the platform enforces them
 * (workers/auth/rbac.ts), so clients show the real table instead of a copy of it.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { ROLES } from "../../d1/schema";
import { platformAuth } from "../auth/middleware";
import { PERMISSIONS, permissionsOf, roleOf } from "../auth/rbac";
import { mayGrantRole } from "../platform/user-admin";
import { createApiApp } from "./factory";
import { authErrors, bearerSecurity, jsonResponse } from "./schemas";

const RoleSchema = z
  .object({
    role: z.enum(ROLES),
    permissions: z.array(z.enum(PERMISSIONS)),
    grantable: z.boolean().openapi({ description: "Whether the caller may give this role to someone" }),
  })
  .openapi("Role");

const listRoles = createRoute({
  method: "get",
  path: "/",
  tags: ["users"],
  summary: "Roles and their permissions",
  middleware: [platformAuth] as const,
  security: bearerSecurity,
  responses: { 200: jsonResponse(z.object({ data: z.array(RoleSchema) }), "Every role, highest first"), ...authErrors },
});

export const rolesApi = createApiApp().openapi(listRoles, (c) => {
  const actor = roleOf(c.get("principal"));
  return c.json({ data: ROLES.map((role) => ({ role, permissions: permissionsOf(role), grantable: mayGrantRole(actor, role) })) }, 200);
});
