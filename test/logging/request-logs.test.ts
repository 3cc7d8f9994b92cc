/**
 * What an HTTP request writes to the log: JSON lines, each with the request's id (the one in
 * its x-request-id header) and, once the caller is authenticated, its tenant; one access
 * line at the end with method, route pattern, path, status and duration.
 */
import { createExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { app } from "../../workers/app";
import { createTestTenant, type TestTenant } from "../helpers/fixtures";
import { BASE, marker } from "../gateway/helpers";
import { captureLogs, type Capture, type LogLine } from "./helpers";

let capture: Capture;
let tenant: TestTenant;

beforeAll(async () => {
  tenant = await createTestTenant("Log Motors");
});
beforeEach(() => {
  capture = captureLogs();
});
afterEach(() => capture.restore());

/** The lines written for request `id` (every line must be a JSON log line). */
function linesOf(id: string): LogLine[] {
  return capture.lines().filter((l) => l.requestId === id);
}

function accessLine(id: string): LogLine {
  const found = linesOf(id).filter((l) => l.msg === "request");
  expect(found).toHaveLength(1);
  return found[0] as LogLine;
}

describe("request logs", () => {
  it("an authenticated API call: every line is JSON with the request id and the tenant, and the access line names the route", async () => {
    const res = await exports.default.fetch(`${BASE}/api/v1/leads/lead_missing`, { headers: { authorization: `Bearer ${tenant.adminKey}` } });
    expect(res.status).toBe(404);
    const id = res.headers.get("x-request-id") ?? "";
    expect(id).toMatch(/^req_/);
    expect(capture.raw().length).toBeGreaterThan(0);
    for (const line of linesOf(id)) expect(line.tenantId).toBe(tenant.tenantId);
    expect(accessLine(id)).toMatchObject({
      level: "info",
      method: "GET",
      route: "/api/v1/leads/:id",
      path: "/api/v1/leads/lead_missing",
      status: 404,
      durationMs: expect.any(Number),
      tenantId: tenant.tenantId,
    });
  });

  it("a gateway call: lines written deep in the call path carry the caller's request id and tenant", async () => {
    const id = `trace-${marker()}`;
    const res = await exports.default.fetch(`${BASE}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${tenant.gatewayKey}`, "content-type": "application/json", "x-request-id": id },
      // An e-mail address in the prompt: the default guard policy logs the finding.
      body: JSON.stringify({ model: "gpt-4o-mini", messages: [{ role: "user", content: "Reach me at jane.doe@example.com" }] }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-request-id")).toBe(id);
    const lines = linesOf(id);
    expect(lines.map((l) => l.msg)).toEqual(expect.arrayContaining(["prompt guard findings", "request"]));
    for (const line of lines) expect(line.tenantId).toBe(tenant.tenantId);
    expect(lines.find((l) => l.msg === "prompt guard findings")).toMatchObject({ kinds: ["email"] });
    expect(accessLine(id)).toMatchObject({ method: "POST", route: "/v1/chat/completions", status: 200 });
  });

  it("a call that fails authentication has no tenant", async () => {
    const res = await exports.default.fetch(`${BASE}/api/v1/tenant`, { headers: { authorization: "Bearer sk-aut-wrong" } });
    expect(res.status).toBe(401);
    const id = res.headers.get("x-request-id") ?? "";
    expect(accessLine(id)).toMatchObject({ level: "info", status: 401, route: "/api/v1/tenant", tenantId: null });
  });

  it("an unmatched path logs no route", async () => {
    const res = await exports.default.fetch(`${BASE}/api/v1/no/such/thing`);
    expect(accessLine(res.headers.get("x-request-id") ?? "")).toMatchObject({ status: 404, route: null, path: "/api/v1/no/such/thing" });
  });

  it("a /health probe logs its access line at debug", async () => {
    const res = await exports.default.fetch(`${BASE}/health`);
    expect(accessLine(res.headers.get("x-request-id") ?? "")).toMatchObject({ level: "debug", route: "/health", status: 200 });
  });

  it("an unexpected failure logs an error line with the cause, and the caller sees neither cause nor stack", async () => {
    const broken = {
      ...env,
      DB: {
        prepare: () => {
          throw new Error("disk I/O error in shard 7");
        },
      },
    } as unknown as Env;
    const req = new Request(`${BASE}/api/v1/tenant`, { headers: { authorization: `Bearer ${tenant.adminKey}`, "x-request-id": "trace-broken-db-1" } });
    const res = await app.fetch(req, broken, createExecutionContext());
    expect(res.status).toBe(500);
    const body = await res.text();
    expect(body).not.toContain("disk I/O");
    expect(body).toContain("trace-broken-db-1");
    const errors = linesOf("trace-broken-db-1").filter((l) => l.level === "error");
    expect(errors).toEqual([expect.objectContaining({ msg: "unhandled error", path: "/api/v1/tenant", error: "disk I/O error in shard 7", stack: expect.any(String) })]);
    expect(accessLine("trace-broken-db-1")).toMatchObject({ level: "warn", status: 500 });
  });
});
