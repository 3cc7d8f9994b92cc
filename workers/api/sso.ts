/**
 * Single sign-on: the tenant's OIDC configuration (/sso) and the public sign-in
 * endpoints the browser walks through (/auth/sso/start, /auth/sso/callback).
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { ROLES } from "../../d1/schema";
import { platformAuth, requirePermission } from "../auth/middleware";
import { canGrantRole, roleOf } from "../auth/rbac";
import { deleteSsoConfig, getSsoConfig, saveSsoConfig, toView } from "../auth/sso-config";
import { beginSsoLogin, completeSsoLogin } from "../auth/sso-login";
import { makeDb } from "../db";
import type { AppEnv } from "../env";
import { AppError } from "../errors";
import { publicUser } from "../platform/users";
import { audit, scopeOf } from "./context";
import { createApiApp } from "./factory";
import { authErrors, bearerSecurity, ErrorBody, jsonBody, jsonResponse, mediaTypeError } from "./schemas";
import { outboundFetch } from "../lib/outbound-fetch";

const CALLBACK_PATH = "/api/v1/auth/sso/callback";

/** What to register at the identity provider as the redirect (reply) URI. */
function callbackUrl(c: Context<AppEnv>): string {
  return new URL(CALLBACK_PATH, c.req.url).toString();
}

/** Owner is never handed out by a first sign-in. */
const JIT_ROLES = ["admin", "department_admin", "member", "viewer"] as const;
const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

const configBody = z
  .object({
    issuer: z.url().max(2048).openapi({ example: "https://login.microsoftonline.com/<directory-id>/v2.0" }),
    clientId: z.string().trim().min(1).max(512),
    clientSecret: z.string().min(1).max(4096).optional().openapi({ description: "Required the first time; left out on update keeps the stored secret." }),
    allowedDomains: z.array(z.string().trim().regex(DOMAIN, "must be a domain such as example.com")).max(50).default([]),
    defaultRole: z.enum(JIT_ROLES).default("member").openapi({ description: "Role of users created at their first sign-in." }),
    enabled: z.boolean().default(true),
  })
  .strict()
  .openapi("SsoConfigInput");

const configView = z
  .object({
    issuer: z.string(),
    clientId: z.string(),
    clientSecretSet: z.literal(true),
    allowedDomains: z.array(z.string()),
    defaultRole: z.enum(ROLES),
    enabled: z.boolean(),
    createdAt: z.number().int(),
    redirectUri: z.string().openapi({ description: "Register this as the redirect URI at the identity provider." }),
  })
  .openapi("SsoConfig");


const getConfig = createRoute({
  method: "get",
  path: "/sso",
  tags: ["sso"],
  summary: "The tenant's single sign-on configuration (the client secret is never returned)",
  middleware: [platformAuth, requirePermission("tenant:read")] as const,
  security: bearerSecurity,
  responses: { 200: jsonResponse(configView.nullable(), "The configuration, or null while single sign-on is not set up"), ...authErrors },
});

const putConfig = createRoute({
  method: "put",
  path: "/sso",
  tags: ["sso"],
  summary: "Configure single sign-on through an OpenID Connect provider (the issuer is checked by discovery)",
  middleware: [platformAuth, requirePermission("tenant:write")] as const,
  security: bearerSecurity,
  request: { body: jsonBody(configBody) },
  responses: {
    200: jsonResponse(configView, "The saved configuration"),
    ...authErrors,
    ...mediaTypeError,
    422: jsonResponse(ErrorBody, "The issuer's discovery document could not be read"),
  },
});

const deleteConfig = createRoute({
  method: "delete",
  path: "/sso",
  tags: ["sso"],
  summary: "Turn single sign-on off and forget its configuration",
  middleware: [platformAuth, requirePermission("tenant:write")] as const,
  security: bearerSecurity,
  responses: { 204: { description: "Deleted" }, ...authErrors },
});

export const sso = createApiApp()
  .openapi(getConfig, async (c) => {
    const row = await getSsoConfig(scopeOf(c));
    if (!row) return c.json(null, 200);
    return c.json({ ...toView(row), redirectUri: callbackUrl(c) }, 200);
  })
  .openapi(putConfig, async (c) => {
    const input = c.req.valid("json");
    const actorRole = roleOf(c.get("principal"));
    if (!canGrantRole(actorRole, input.defaultRole)) throw new AppError("forbidden", `A ${actorRole} cannot make ${input.defaultRole} the default role`);
    const { before, after } = await saveSsoConfig(
      scopeOf(c),
      { fetch: outboundFetch, masterKey: c.env.MASTER_KEY, allowInsecureIssuer: ["development", "test"].includes(c.env.ENVIRONMENT) },
      input,
    );
    await audit(c, { action: before ? "sso.updated" : "sso.configured", resourceType: "sso_config", resourceId: after.tenantId, before: before ? toView(before) : null, after: toView(after) });
    return c.json({ ...toView(after), redirectUri: callbackUrl(c) }, 200);
  })
  .openapi(deleteConfig, async (c) => {
    const before = await deleteSsoConfig(scopeOf(c));
    if (!before) throw new AppError("not_found", "Single sign-on is not configured");
    await audit(c, { action: "sso.deleted", resourceType: "sso_config", resourceId: before.tenantId, before: toView(before) });
    return c.body(null, 204);
  });

const RELATIVE_PATH = /^\/(?![/\\])[^\s#\\]*$/;

const startRoute = createRoute({
  method: "get",
  path: "/auth/sso/start",
  tags: ["sso"],
  summary: "Begin an SSO sign-in: redirects the browser to the tenant's identity provider",
  request: {
    query: z.object({
      tenant: z.string().min(1).max(100).openapi({ description: "The tenant's slug" }),
      redirect: z.string().max(2048).regex(RELATIVE_PATH, "must be a path on this site, such as /dashboard").optional(),
      login_hint: z.string().max(320).optional().openapi({ description: "Passed to the identity provider to preselect an account" }),
    }),
  },
  responses: { 302: { description: "To the identity provider's authorization endpoint" }, 404: jsonResponse(ErrorBody, "SSO is not enabled for this tenant") },
});

const tokensView = z
  .object({
    accessToken: z.string(),
    refreshToken: z.string(),
    expiresIn: z.number().int(),
    tokenType: z.literal("Bearer"),
    user: z.object({ id: z.string(), email: z.string(), name: z.string(), role: z.enum(ROLES) }).passthrough(),
  })
  .openapi("SsoSession");

const callbackRoute = createRoute({
  method: "get",
  path: "/auth/sso/callback",
  tags: ["sso"],
  summary: "Where the identity provider sends the browser back; issues a session",
  description:
    "With `Accept: application/json` the tokens come back as JSON; otherwise the browser is redirected to the start's `redirect` with the tokens in the URL fragment (#access_token=…&refresh_token=…), so they never reach a server log.",
  request: {
    query: z.object({
      state: z.string().min(1).max(200),
      code: z.string().min(1).max(4096).optional(),
      error: z.string().max(200).optional(),
      error_description: z.string().max(2000).optional(),
    }),
  },
  responses: {
    200: jsonResponse(tokensView, "Signed in (JSON callers)"),
    302: { description: "Signed in: back to the app with the tokens in the fragment" },
    400: jsonResponse(ErrorBody, "Unknown, expired or replayed state"),
    401: jsonResponse(ErrorBody, "The identity provider refused, or its id_token failed verification"),
    403: jsonResponse(ErrorBody, "The account may not sign in to this tenant"),
  },
});

sso.openapi(startRoute, async (c) => {
  const q = c.req.valid("query");
  const { location } = await beginSsoLogin(
    { db: makeDb(c.env.DB), fetch: outboundFetch },
    { tenantSlug: q.tenant, redirect: q.redirect ?? null, redirectUri: callbackUrl(c), loginHint: q.login_hint },
  );
  c.header("cache-control", "no-store");
  return c.redirect(location, 302);
});

sso.openapi(callbackRoute, async (c) => {
  const q = c.req.valid("query");
  const result = await completeSsoLogin(
    {
      db: makeDb(c.env.DB),
      fetch: outboundFetch,
      masterKey: c.env.MASTER_KEY,
      jwtSecret: c.env.JWT_SECRET,
      audit: { requestId: c.get("requestId"), ip: c.req.header("cf-connecting-ip") ?? null },
    },
    { state: q.state, code: q.code, error: q.error, errorDescription: q.error_description, redirectUri: callbackUrl(c) },
  );
  c.header("cache-control", "no-store");
  c.header("referrer-policy", "no-referrer");
  const { session } = result;
  if ((c.req.header("accept") ?? "").includes("application/json")) {
    return c.json({ ...session, user: publicUser(result.user) }, 200);
  }
  const fragment = new URLSearchParams({
    access_token: session.accessToken,
    refresh_token: session.refreshToken,
    expires_in: String(session.expiresIn),
    token_type: session.tokenType,
  });
  return c.redirect(`${result.redirectTo ?? "/"}#${fragment.toString()}`, 302);
});
