/**
 * GET /metrics: the Prometheus scrape endpoint. Off (404, like any unknown path) unless the
 * METRICS_TOKEN secret is set; then it wants `Authorization: Bearer <METRICS_TOKEN>`,
 * compared in constant time.
 */
import type { Context } from "hono";
import type { AppEnv } from "../env";
import { AppError } from "../errors";
import { timingSafeEqual } from "../lib/crypto";
import { EXPOSITION_CONTENT_TYPE } from "./render";
import { scrapeMetrics } from "./scrape";

function bearerOf(header: string | undefined): string | null {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
  return m?.[1] ?? null;
}

/** Throws unless metrics are on and the request carries the scrape token. */
export function checkScrapeToken(configured: string | undefined, authorization: string | undefined, method: string, path: string): void {
  if (!configured) throw new AppError("not_found", `No route for ${method} ${path}`);
  const given = bearerOf(authorization);
  if (given === null || !timingSafeEqual(given, configured)) {
    throw new AppError("unauthorized", "Scraping /metrics needs Authorization: Bearer <METRICS_TOKEN>", undefined, undefined, { "www-authenticate": 'Bearer realm="metrics"' });
  }
}

export async function serveMetrics(c: Context<AppEnv>): Promise<Response> {
  checkScrapeToken(c.env.METRICS_TOKEN, c.req.header("authorization"), c.req.method, c.req.path);
  const body = await scrapeMetrics(c.env);
  return c.body(body, 200, { "content-type": EXPOSITION_CONTENT_TYPE, "cache-control": "no-store" });
}
