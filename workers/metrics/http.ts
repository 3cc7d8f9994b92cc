/**
 * The HTTP series: every request the Worker answers counts in auterity_http_requests_total
 * under its matched route pattern (never the raw path, which would make a series per id)
 * and in auterity_http_request_duration_seconds under its part of the platform. After the
 * response, the isolate's buffer is flushed through waitUntil when one is due.
 */
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { routePath } from "hono/route";
import type { AppEnv } from "../env";
import { toAppError } from "../errors";
import { metrics } from "./buffer";
import { flushMetricsSoon } from "./flush";

const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

// Requests no route matched, marked by the app's notFound handler (the route label cannot tell).
const unmatched = new WeakSet<Request>();

/** Called by the app's notFound handler: this request is counted as route "unmatched". */
export function markUnmatched(c: Context<AppEnv>): void {
  unmatched.add(c.req.raw);
}

/** The part of the platform a path belongs to (the duration histogram's only label). */
export function partOf(path: string): string {
  if (path.startsWith("/api/")) return "api";
  if (path.startsWith("/v1/")) return "gateway";
  if (path.startsWith("/hooks/")) return "hooks";
  if (path.startsWith("/widget/")) return "widget";
  if (path === "/health" || path.startsWith("/health/")) return "health";
  return "other";
}

function waitUntilOf(c: Context<AppEnv>): ((p: Promise<unknown>) => void) | null {
  try {
    const ctx = c.executionCtx;
    return (p) => ctx.waitUntil(p);
  } catch {
    // Called without an execution context (app.request in a unit test): nothing to extend.
    return null;
  }
}

function record(c: Context<AppEnv>, status: number, startedAt: number): void {
  const route = unmatched.has(c.req.raw) ? "unmatched" : routePath(c, -1) || "unmatched";
  const method = METHODS.has(c.req.method) ? c.req.method : "OTHER";
  metrics.inc("auterity_http_requests_total", { route, method, status: String(status) });
  metrics.observe("auterity_http_request_duration_seconds", { part: partOf(c.req.path) }, (Date.now() - startedAt) / 1000);
  const waitUntil = waitUntilOf(c);
  if (waitUntil) flushMetricsSoon(c.env, waitUntil);
}

export const httpMetrics = createMiddleware<AppEnv>(async (c, next) => {
  const startedAt = Date.now();
  try {
    await next();
  } catch (err) {
    // Handlers' errors are rendered below this middleware; one that still comes through is
    // answered by the app's error handler with this status.
    record(c, toAppError(err).status, startedAt);
    throw err;
  }
  record(c, c.res.status, startedAt);
});
