import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

describe("liveness", () => {
  it("answers /health with ok and a request id, touching no binding", async () => {
    const res = await exports.default.fetch("http://auterity.test/health");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
    expect(res.headers.get("x-request-id")).toMatch(/^req_/);
    expect(res.headers.get("cache-control")).toBe("no-store");
  });

  it("answers an unknown API route with the API error body", async () => {
    const res = await exports.default.fetch("http://auterity.test/api/v1/nowhere", { headers: { "x-request-id": "trace-12345678" } });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      error: { code: "not_found", message: "No route for GET /api/v1/nowhere", requestId: "trace-12345678" },
    });
  });

  it("answers an unknown /v1 route with an OpenAI error object", async () => {
    const res = await exports.default.fetch("http://auterity.test/v1/nowhere", { method: "POST" });
    expect(res.status).toBe(404);
    const body = (await res.json()) as { error: { type: string; code: string; request_id: string } };
    expect(body.error.type).toBe("not_found_error");
    expect(body.error.code).toBe("not_found");
    expect(body.error.request_id).toBe(res.headers.get("x-request-id"));
  });

  it("has every migration applied", async () => {
    const row = await env.DB.prepare("select count(*) as n from sqlite_master where type = 'table' and name = 'usage_events'").first<{ n: number }>();
    expect(row?.n).toBe(1);
  });
});
