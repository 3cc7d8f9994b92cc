/**
 * /health (liveness: the isolate answers, nothing else is touched) and /health/ready
 * (readiness: every binding answers in time; 503 naming the failed checks otherwise).
 */
import { Hono } from "hono";
import type { AppEnv } from "../env";
import { cachedReadiness } from "./ready-cache";

export const healthRoutes = new Hono<AppEnv>();

healthRoutes.get("/", (c) => c.json({ status: "ok" }, 200, { "cache-control": "no-store" }));

healthRoutes.get("/ready", async (c) => {
  const readiness = await cachedReadiness(c.env);
  return c.json(readiness, readiness.status === "ready" ? 200 : 503, { "cache-control": "no-store" });
});
