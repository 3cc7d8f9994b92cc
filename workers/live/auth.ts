/**
 * Who may open a live socket. Browsers cannot set headers on a WebSocket, so the token
 * comes from the `Sec-WebSocket-Protocol` offer (`bearer.<token>`, preferred because URLs
 * end up in logs) or from `?access_token=`. It is checked like platformAuth checks a
 * bearer token: a user's access token or an API key with the admin or workflows scope.
 */
import { platformPrincipal } from "../auth/middleware";
import type { Principal } from "../auth/principal";
import { can } from "../auth/rbac";
import type { Db } from "../db";
import { AppError } from "../errors";

const PROTOCOL_PREFIX = "bearer.";

/** The token a client presented, and the subprotocol to echo when it came that way. */
export type LiveCredentials = { token: string; protocol: string | null };

/** Reads the token from the subprotocol offer or the query; throws unauthorized when neither has one. */
export function liveCredentials(accessToken: string | undefined, protocolHeader: string | undefined): LiveCredentials {
  const offered = (protocolHeader ?? "").split(",").map((p) => p.trim());
  const protocol = offered.find((p) => p.startsWith(PROTOCOL_PREFIX) && p.length > PROTOCOL_PREFIX.length);
  if (protocol) return { token: protocol.slice(PROTOCOL_PREFIX.length), protocol };
  const token = accessToken?.trim();
  if (token) return { token, protocol: null };
  throw new AppError("unauthorized", "Sign in first: offer the subprotocol 'bearer.<access token or API key>' or pass ?access_token=");
}

export type LiveAuthDeps = { db: Db; jwtSecret: string };

/** Resolves a live-socket token to a principal that may read workflows, or throws. */
export async function authorizeLive(deps: LiveAuthDeps, token: string): Promise<Principal> {
  const principal = await platformPrincipal(deps.db, deps.jwtSecret, token);
  if (!can(principal, "workflows:read")) throw new AppError("forbidden", "You lack the 'workflows:read' permission");
  return principal;
}
