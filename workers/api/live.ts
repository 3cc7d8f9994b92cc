/**
 * /live: the dashboard's WebSocket. The caller is authenticated here, before the upgrade,
 * and the upgrade is then handed to the tenant's LiveHub, which owns the socket.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { makeDb } from "../db";
import { AppError } from "../errors";
import { authorizeLive, liveCredentials } from "../live/auth";
import { liveHubFor, noteLiveConnection } from "../live/publish";
import { createApiApp } from "./factory";
import { authErrors, bearerSecurity, ErrorBody } from "./schemas";

const LiveQuery = z.object({
  access_token: z
    .string()
    .max(4_096)
    .optional()
    .openapi({ description: "An access token or API key, for clients that cannot offer a subprotocol. Prefer the subprotocol: URLs end up in logs." }),
});

const LiveHeaders = z.object({
  upgrade: z.string().max(100).optional().openapi({ description: "Must be `websocket`", example: "websocket" }),
  "sec-websocket-protocol": z
    .string()
    .max(8_192)
    .optional()
    .openapi({ description: "Offer `bearer.<access token or API key>`; the server selects and echoes it", example: "bearer.eyJhbGciOiJIUzI1NiJ9…" }),
});

const route = createRoute({
  method: "get",
  path: "/",
  tags: ["Live"],
  security: bearerSecurity,
  description:
    "Opens a WebSocket that pushes the tenant's live updates as JSON frames `{type, at, data}` (run.updated, step.updated, " +
    "approval.requested, training.updated, usage.recorded, anomaly.detected, anomaly.resolved). Send `{type:\"subscribe\"|\"unsubscribe\", topics}` " +
    "with topics `*`, `runs`, `run:<id>`, `training`, `usage`, `operations` (default `*`), or `{type:\"ping\"}`. Needs workflows:read.",
  request: { query: LiveQuery, headers: LiveHeaders },
  responses: {
    101: { description: "Switching Protocols: the socket is open. Closed with 1013 when the tenant already holds its limit of sockets." },
    426: { description: "Not a WebSocket upgrade request", content: { "application/json": { schema: ErrorBody } } },
    ...authErrors,
  },
});

export const liveApi = createApiApp();

liveApi.openapi(route, async (c) => {
  const headers = c.req.valid("header");
  if (headers.upgrade?.toLowerCase() !== "websocket") {
    throw new AppError("upgrade_required", "This endpoint speaks WebSocket only: connect with 'Upgrade: websocket'");
  }
  const credentials = liveCredentials(c.req.valid("query").access_token, headers["sec-websocket-protocol"]);
  const principal = await authorizeLive({ db: makeDb(c.env.DB), jwtSecret: c.env.JWT_SECRET }, credentials.token);
  noteLiveConnection(principal.tenantId);
  // Only the upgrade goes on to the hub: the token stays here.
  const upgraded = await liveHubFor(c.env, principal.tenantId).fetch("https://live-hub/connect", { headers: { upgrade: "websocket" } });
  if (!upgraded.webSocket) throw new AppError("internal_error", "The live hub did not accept the connection");
  const responseHeaders = credentials.protocol ? { "sec-websocket-protocol": credentials.protocol } : undefined;
  return new Response(null, { status: 101, webSocket: upgraded.webSocket, headers: responseHeaders });
});
