/**
 * The root Hono app: request ids, the one error handler, and the mounted parts.
 */
import { Hono } from "hono";
import type { AppEnv } from "./env";
import { AppError, renderError } from "./errors";
import { requestId } from "./lib/request-id";
import { api } from "./api";
import { gateway } from "./gateway/routes";
import { apiDocs } from "./api/docs";
import { hooks } from "./hooks";
import { widgetRoutes } from "./widget/routes";
import { healthRoutes } from "./health/routes";
import { httpMetrics, markUnmatched } from "./metrics/http";
import { serveMetrics } from "./metrics/route";

export function createApp() {
  const app = new Hono<AppEnv>();
  app.use("*", requestId);
  app.use("*", httpMetrics);
  app.onError(renderError);
  // Answered here rather than thrown: a throw from notFound skips the rest of every middleware (access log, metrics).
  app.notFound((c) => {
    markUnmatched(c);
    return renderError(new AppError("not_found", `No route for ${c.req.method} ${c.req.path}`), c);
  });

  app.route("/health", healthRoutes);
  app.route("/api/v1", api);
  app.route("/v1", gateway);
  app.route("/hooks", hooks);
  app.route("/widget", widgetRoutes);
  app.get("/api/docs", apiDocs);
  app.get("/metrics", serveMetrics);
  return app;
}

export const app = createApp();
