/**
 * CORS for the public widget routes, decided per widget: the Origin header must be one of
 * the widget's allowed origins. Allowed origins get CORS headers on every answer (errors
 * too, so the widget can show them); refused ones get a 403 without any.
 */
import { createMiddleware } from "hono/factory";
import { makeDb } from "../db";
import type { AppEnv } from "../env";
import { AppError } from "../errors";
import { setLogTenant } from "../lib/log";
import { originAllowed } from "./origins";
import { findPublishedWidget, type WidgetRow } from "./store";

export type WidgetEnv = { Bindings: AppEnv["Bindings"]; Variables: AppEnv["Variables"] & { widget: WidgetRow } };

/** Loads the widget named in the path and enforces its allowed origins. */
export const widgetCors = createMiddleware<WidgetEnv>(async (c, next) => {
  const widget = await findPublishedWidget(makeDb(c.env.DB), c.req.param("widgetId") ?? "");
  setLogTenant(widget.tenantId);
  const origin = c.req.header("origin");
  // Requests without an Origin come from the Worker's own pages or from outside a browser,
  // where an Origin check protects nothing; the rate limit still applies to them.
  if (origin !== undefined && !originAllowed(widget.allowedOrigins, origin, new URL(c.req.url).origin, c.env.ENVIRONMENT)) {
    throw new AppError("forbidden", `The website ${origin} is not allowed to use this widget`);
  }
  c.set("widget", widget);
  await next();
  c.res.headers.append("vary", "Origin");
  if (origin !== undefined) {
    c.res.headers.set("access-control-allow-origin", origin);
    c.res.headers.set("access-control-expose-headers", "retry-after, x-request-id, x-thread-id");
  }
});

/** The answer to a preflight that passed `widgetCors`. */
export function preflight(): Response {
  return new Response(null, {
    status: 204,
    headers: {
      "access-control-allow-methods": "GET, POST, OPTIONS",
      "access-control-allow-headers": "content-type",
      "access-control-max-age": "600",
    },
  });
}
