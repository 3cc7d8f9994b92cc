/**
 * Authentication and authorisation middleware. Sets `principal` on the context.
 */
import { createMiddleware } from "hono/factory";
import { and, eq } from "drizzle-orm";
import { users, type ApiKeyScope } from "../../d1/schema";
import { type Db, makeDb } from "../db";
import type { AppEnv } from "../env";
import { AppError } from "../errors";
import { setLogTenant } from "../lib/log";
import { verifyApiKey } from "./api-keys";
import { verifyAccessToken } from "./jwt";
import type { Principal } from "./principal";
import { can, type Permission } from "./rbac";

function bearer(header: string | undefined): string | null {
  if (!header) return null;
  const m = /^Bearer\s+(.+)$/i.exec(header.trim());
  return m?.[1]?.trim() ?? null;
}

/** Gateway auth: `Authorization: Bearer <key>` (OpenAI clients) or `x-api-key` (Anthropic clients). */
export function apiKeyAuth(scope: ApiKeyScope) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const presented = bearer(c.req.header("authorization")) ?? c.req.header("x-api-key")?.trim();
    if (!presented) throw new AppError("unauthorized", "Missing API key: send 'Authorization: Bearer <key>' or 'x-api-key: <key>'");
    const key = await verifyApiKey(makeDb(c.env.DB), presented);
    if (!key.scopes.includes(scope)) throw new AppError("insufficient_scope", `This API key lacks the '${scope}' scope`);
    c.set("principal", { type: "api_key", tenantId: key.tenantId, apiKeyId: key.id, scopes: key.scopes, tags: key.tags });
    setLogTenant(key.tenantId);
    await next();
  });
}

/**
 * The signed-in user as the database has them now: a disabled user is shut out at once,
 * and a role change takes effect without waiting for the access token to expire.
 */
async function currentUser(db: Db, tenantId: string, userId: string): Promise<Principal> {
  const user = await db.query.users.findFirst({
    columns: { id: true, tenantId: true, role: true, rooftopId: true, status: true },
    where: and(eq(users.id, userId), eq(users.tenantId, tenantId)),
  });
  if (!user || user.status !== "active") throw new AppError("invalid_token", "This account is disabled or no longer exists");
  return { type: "user", tenantId: user.tenantId, userId: user.id, role: user.role, rooftopId: user.rooftopId };
}

/**
 * Who a platform token belongs to: a user's access token (JWT) or an API key with the
 * admin or workflows scope. Shared by the API and by live sockets (which take the token
 * from elsewhere than a header). The request's log lines carry the tenant from here on.
 */
export async function platformPrincipal(db: Db, jwtSecret: string, token: string): Promise<Principal> {
  const principal = await principalOfToken(db, jwtSecret, token);
  setLogTenant(principal.tenantId);
  return principal;
}

async function principalOfToken(db: Db, jwtSecret: string, token: string): Promise<Principal> {
  if (token.startsWith("sk-aut-")) {
    const key = await verifyApiKey(db, token);
    if (!key.scopes.includes("admin") && !key.scopes.includes("workflows")) {
      throw new AppError("insufficient_scope", "This API key may only call the gateway; the platform API needs the 'admin' or 'workflows' scope");
    }
    return { type: "api_key", tenantId: key.tenantId, apiKeyId: key.id, scopes: key.scopes, tags: key.tags };
  }
  const claims = await verifyAccessToken(jwtSecret, token);
  return currentUser(db, claims.tid, claims.sub);
}

/** Platform API auth: `Authorization: Bearer <access token or API key>`. */
export const platformAuth = createMiddleware<AppEnv>(async (c, next) => {
  const token = bearer(c.req.header("authorization")) ?? c.req.header("x-api-key")?.trim();
  if (!token) throw new AppError("unauthorized", "Sign in first: send 'Authorization: Bearer <access token or API key>'");
  c.set("principal", await platformPrincipal(makeDb(c.env.DB), c.env.JWT_SECRET, token));
  await next();
});

/** Refuses the call unless the principal holds `permission`. */
export function requirePermission(permission: Permission) {
  return createMiddleware<AppEnv>(async (c, next) => {
    if (!can(c.get("principal"), permission)) throw new AppError("forbidden", `You lack the '${permission}' permission`);
    await next();
  });
}
