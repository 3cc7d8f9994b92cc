/**
 * Authentication of inbound hooks. Lead providers are configured with one URL and one
 * secret; many of them can only do HTTP Basic, so the API key is accepted as a Bearer token
 * or as the Basic password (or, when the password is empty, the user name).
 */
import { createMiddleware } from "hono/factory";
import type { ApiKeyScope } from "../../d1/schema";
import { verifyApiKey } from "../auth/api-keys";
import { makeDb } from "../db";
import type { AppEnv } from "../env";
import { AppError } from "../errors";
import { setLogTenant } from "../lib/log";

/** The key in `Authorization: Bearer <key>` or `Authorization: Basic base64(user:key)`. */
export function presentedKey(header: string | undefined): string | null {
  const m = /^(Bearer|Basic)\s+(\S+)\s*$/i.exec(header?.trim() ?? "");
  if (!m?.[1] || !m[2]) return null;
  if (m[1].toLowerCase() === "bearer") return m[2];
  let decoded: string;
  try {
    decoded = atob(m[2]);
  } catch {
    return null;
  }
  const colon = decoded.indexOf(":");
  const user = colon < 0 ? decoded : decoded.slice(0, colon);
  const password = colon < 0 ? "" : decoded.slice(colon + 1);
  return password || user || null;
}

/** Lets in an API key of the tenant with `scope` (or `admin`); sets the principal. */
export function hookKeyAuth(scope: ApiKeyScope) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const presented = presentedKey(c.req.header("authorization"));
    if (!presented) {
      throw new AppError("unauthorized", "Send an API key as 'Authorization: Bearer <key>' or as the password of HTTP Basic auth", undefined, undefined, {
        "www-authenticate": 'Basic realm="Auterity", charset="UTF-8"',
      });
    }
    const key = await verifyApiKey(makeDb(c.env.DB), presented);
    if (!key.scopes.includes(scope) && !key.scopes.includes("admin")) throw new AppError("insufficient_scope", `This API key lacks the '${scope}' scope`);
    c.set("principal", { type: "api_key", tenantId: key.tenantId, apiKeyId: key.id, scopes: key.scopes, tags: key.tags });
    setLogTenant(key.tenantId);
    await next();
  });
}
