/**
 * The first middleware of every request: gives the request an id (the caller's
 * x-request-id when sane), runs the rest of the request inside a log context carrying it,
 * returns it in the x-request-id header and writes one access log line at the end.
 */
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { matchedRoutes } from "hono/route";
import type { AppEnv } from "../env";
import { errorFormatFor } from "../errors";
import { newId } from "./ids";
import { log, withLogContext } from "./log";

const ACCEPTABLE = /^[A-Za-z0-9._:-]{8,128}$/;

/** The caller's id when it is safe to echo and to log, a new one otherwise. */
function requestIdFor(given: string | undefined): string {
  return given && ACCEPTABLE.test(given) ? given : newId("req");
}

/** The pattern of the route that handled the request (`/api/v1/leads/:id`); null when none matched (a 404). */
function handlerRoute(c: Context<AppEnv>): string | null {
  // Middleware is registered for every method; a handler for one.
  const handlers = matchedRoutes(c).filter((r) => r.method !== "ALL");
  return handlers.at(-1)?.path ?? null;
}

// Load balancers probe /health every few seconds: those lines are debug so they can be filtered out.
function accessLog(c: Context<AppEnv>, startedAt: number): void {
  const status = c.res.status;
  const fields = {
    method: c.req.method,
    route: handlerRoute(c),
    path: c.req.path,
    status,
    durationMs: Date.now() - startedAt,
  };
  if (c.req.path === "/health" || c.req.path.startsWith("/health/")) log.debug("request", fields);
  else if (status >= 500) log.warn("request", fields);
  else log.info("request", fields);
}

/** Gives every request an id and a log context; returns the id in a header and logs the request. */
export const requestId = createMiddleware<AppEnv>((c, next) => {
  const id = requestIdFor(c.req.header("x-request-id"));
  c.set("requestId", id);
  return withLogContext({ requestId: id }, async () => {
    const startedAt = Date.now();
    await next();
    c.header("x-request-id", id);
    // Anthropic's API names its header request-id, and @anthropic-ai/sdk reads that one.
    if (errorFormatFor(c.req.path) === "anthropic") c.header("request-id", id);
    accessLog(c, startedAt);
  });
});
