/**
 * Sign-up, sign-in and the session lifecycle, plus /me. Sign-up, login, refresh and
 * logout need no credentials beyond their body.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { platformAuth } from "../auth/middleware";
import { MIN_PASSWORD_LENGTH } from "../auth/passwords";
import { can, PERMISSIONS } from "../auth/rbac";
import { makeDb } from "../db";
import type { AppEnv } from "../env";
import { AppError } from "../errors";
import { logIn } from "../platform/login";
import { endSession, issueSession, refreshSession } from "../platform/sessions";
import { getTenant, signUp } from "../platform/tenants";
import { getUser, publicUser } from "../platform/users";
import { auditAsUser, scopeOf } from "./context";
import { createApiApp } from "./factory";
import { authErrors, bearerSecurity, conflictError, Email, jsonBody, jsonResponse, mediaTypeError } from "./schemas";
import { publicTenant, TenantSchema, TimeZone } from "./tenant";
import { UserSchema } from "./users";

const SessionSchema = z
  .object({
    accessToken: z.string().openapi({ description: "Send as 'Authorization: Bearer <accessToken>'" }),
    refreshToken: z.string().openapi({ description: "Trade for a new session at /auth/refresh; works once" }),
    expiresIn: z.number().int().openapi({ description: "Seconds until the access token expires", example: 900 }),
    tokenType: z.literal("Bearer"),
  })
  .openapi("Session");

const Password = z.string().min(MIN_PASSWORD_LENGTH).max(1024);
const SignUpBody = z
  .object({ tenantName: z.string().trim().min(1).max(200), timezone: TimeZone.optional(), name: z.string().trim().min(1).max(200), email: Email, password: Password })
  .strict();
const LoginBody = z.object({ email: z.string().min(1).max(254), password: z.string().min(1).max(1024) }).strict();
const RefreshBody = z.object({ refreshToken: z.string().min(1).max(200) }).strict();

const PermissionList = z.array(z.enum(PERMISSIONS));
const MeSchema = z
  .union([
    z.object({ type: z.literal("user"), user: UserSchema, tenant: TenantSchema, permissions: PermissionList }),
    z.object({
      type: z.literal("api_key"),
      apiKey: z.object({ id: z.string(), scopes: z.array(z.string()), tags: z.array(z.string()) }),
      tenant: TenantSchema,
      permissions: PermissionList,
    }),
  ])
  .openapi("Me");

const sessionDeps = (c: Context<AppEnv>) => ({ db: makeDb(c.env.DB), jwtSecret: c.env.JWT_SECRET });
const tags = ["Sign-in"];
const open = { 400: authErrors[400], 401: authErrors[401], ...mediaTypeError };

export const authApi = createApiApp();

authApi.openapi(
  createRoute({ method: "post", path: "/signup", tags, request: { body: jsonBody(SignUpBody) },
    description: "Creates a tenant and its owner, and signs the owner in. Only where SIGNUP_ENABLED is \"true\".",
    responses: { 201: jsonResponse(SessionSchema.extend({ user: UserSchema, tenant: TenantSchema }), "Signed up"), ...open, 403: authErrors[403], ...conflictError } }),
  async (c) => {
    if (c.env.SIGNUP_ENABLED !== "true") throw new AppError("forbidden", "Sign-up is disabled here; ask an administrator for an account");
    const deps = sessionDeps(c);
    const { tenant, owner } = await signUp(deps.db, c.req.valid("json"));
    await auditAsUser(c, { tenantId: tenant.id, userId: owner.id }, {
      action: "tenant.created", resourceType: "tenant", resourceId: tenant.id, after: { name: tenant.name, timezone: tenant.timezone, owner: owner.email },
    });
    const session = await issueSession(deps, owner);
    return c.json({ ...session, user: publicUser(owner), tenant: publicTenant(tenant) }, 201);
  },
);

authApi.openapi(
  createRoute({ method: "post", path: "/auth/login", tags, request: { body: jsonBody(LoginBody) },
    responses: { 200: jsonResponse(SessionSchema.extend({ user: UserSchema }), "Signed in"), ...open } }),
  async (c) => {
    const { session, user } = await logIn(sessionDeps(c), c.req.valid("json"));
    await auditAsUser(c, { tenantId: user.tenantId, userId: user.id }, { action: "auth.login", resourceType: "user", resourceId: user.id });
    return c.json({ ...session, user: publicUser(user) }, 200);
  },
);

authApi.openapi(
  createRoute({ method: "post", path: "/auth/refresh", tags, request: { body: jsonBody(RefreshBody) },
    description: "Rotates the refresh token. Presenting one that was already used signs out every session of that sign-in.",
    responses: { 200: jsonResponse(SessionSchema, "A new session"), ...open } }),
  async (c) => {
    const result = await refreshSession(sessionDeps(c), c.req.valid("json").refreshToken);
    if (!result.ok) {
      await auditAsUser(c, { tenantId: result.tenantId, userId: result.userId }, {
        action: "auth.refresh_reused", resourceType: "session", resourceId: result.familyId, after: { revoked: true },
      });
      throw new AppError("invalid_token", "This refresh token was already used; the session it belongs to has been signed out");
    }
    return c.json(result.session, 200);
  },
);

authApi.openapi(
  createRoute({ method: "post", path: "/auth/logout", tags, request: { body: jsonBody(RefreshBody) },
    description: "Ends the sign-in the refresh token belongs to. Answers 204 for unknown tokens too.",
    responses: { 204: { description: "Signed out" }, ...open } }),
  async (c) => {
    const ended = await endSession(sessionDeps(c), c.req.valid("json").refreshToken);
    if (ended) await auditAsUser(c, ended, { action: "auth.logout", resourceType: "user", resourceId: ended.userId });
    return c.body(null, 204);
  },
);

authApi.openapi(
  createRoute({ method: "get", path: "/me", tags, security: bearerSecurity, middleware: [platformAuth],
    responses: { 200: jsonResponse(MeSchema, "Who is calling, in which tenant, allowed to do what"), 401: authErrors[401] } }),
  async (c) => {
    const p = c.get("principal");
    const scope = scopeOf(c);
    const tenant = publicTenant(await getTenant(scope));
    const permissions = PERMISSIONS.filter((perm) => can(p, perm));
    if (p.type === "api_key") {
      return c.json({ type: "api_key" as const, apiKey: { id: p.apiKeyId, scopes: p.scopes, tags: p.tags }, tenant, permissions }, 200);
    }
    return c.json({ type: "user" as const, user: publicUser(await getUser(scope, p.userId)), tenant, permissions }, 200);
  },
);
