/**
 * Who may scrape: /metrics wants the scrape token (401 in the platform's error body
 * otherwise) and does not exist at all while METRICS_TOKEN is unset.
 */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { app } from "../../workers/app";
import { BASE, fetchMetrics, parseExposition } from "./helpers";

const ErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string(), requestId: z.string() }) });

async function errorOf(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toContain("application/json");
  const body = ErrorBody.parse(await res.json());
  expect(body.error.code).toBe(code);
  expect(body.error.requestId).toBe(res.headers.get("x-request-id"));
  return body.error;
}

/** Calls the app with its bindings changed, as a deployment without the secret would run it. */
async function withEnv(changes: Partial<Env>, authorization = `Bearer ${env.METRICS_TOKEN}`): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await app.fetch(new Request(`${BASE}/metrics`, { headers: { authorization } }), { ...env, ...changes }, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

describe("scraping /metrics", () => {
  it("answers 401 with the platform error body without the token", async () => {
    const res = await fetchMetrics(null);
    const error = await errorOf(res, 401, "unauthorized");
    expect(error.message).toContain("Bearer");
    expect(res.headers.get("www-authenticate")).toBe('Bearer realm="metrics"');
  });

  it("answers 401 to a wrong token, a token of another length and another scheme", async () => {
    const token = env.METRICS_TOKEN;
    const wrongChar = `${token.slice(0, -1)}${token.endsWith("x") ? "y" : "x"}`;
    for (const authorization of [`Bearer ${wrongChar}`, `Bearer ${token}extra`, `Bearer ${token.slice(1)}`, `Basic ${btoa(`prom:${token}`)}`, token, "Bearer", `Bearer ${token} ${token}`]) {
      await errorOf(await fetchMetrics(authorization), 401, "unauthorized");
    }
  });

  it("takes the token with the scheme in any case and answers the exposition format", async () => {
    const res = await fetchMetrics(`bearer ${env.METRICS_TOKEN}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    expect(res.headers.get("cache-control")).toBe("no-store");
    const e = parseExposition(await res.text());
    expect(e.types.get("auterity_http_requests_total")).toBe("counter");
  });

  it("does not exist (404 not_found) while METRICS_TOKEN is unset or empty", async () => {
    for (const changes of [{ METRICS_TOKEN: "" }, { METRICS_TOKEN: undefined }]) {
      const error = await errorOf(await withEnv(changes), 404, "not_found");
      expect(error.message).toBe("No route for GET /metrics");
    }
    // ...even for a caller that sends what would have been the right token.
    await errorOf(await withEnv({ METRICS_TOKEN: "" }, "Bearer "), 404, "not_found");
  });

  it("is only a GET route", async () => {
    const res = await fetchMetrics(undefined, { method: "POST", body: "x" });
    await errorOf(res, 404, "not_found");
  });
});
