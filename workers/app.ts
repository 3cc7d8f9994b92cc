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

export function createApp() {
  const app = new Hono<AppEnv>();
  app.use("*", requestId);
  app.onError(renderError);
  app.notFound((c) => {
    throw new AppError("not_found", `No route for ${c.req.method} ${c.req.path}`);
  });

  app.get("/health", (c) => c.json({ status: "ok" }));
  app.route("/api/v1", api);
  app.route("/v1", gateway);
  app.route("/hooks", hooks);
  app.route("/widget", widgetRoutes);
  app.get("/api/docs", apiDocs);
  return app;
}

export const app = createApp();
