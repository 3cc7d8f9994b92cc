import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { healthKeyOf, type Outcome } from "../../../workers/gateway/health";
import { call, createTestUser, expectError, expectOk } from "../../api/helpers";
import { createTestTenant, type TestTenant } from "../../helpers/fixtures";

const Kind = z.enum(["rate_limited", "server_error", "timeout", "connection", "stream_cut"]);
const Row = z
  .object({
    key: z.string(),
    owner: z.enum(["platform", "tenant"]),
    provider: z.string(),
    model: z.string(),
    aliases: z.array(z.string()),
    circuit: z.enum(["closed", "open", "half_open", "unknown"]),
    latencyMs: z.number().nullable(),
    calls: z.number(),
    failures: z.number(),
    failuresByKind: z.record(Kind, z.number()),
    changedAt: z.number().nullable(),
    retryAt: z.number().nullable(),
    lastFailure: z.object({ kind: Kind, at: z.number() }).nullable(),
  })
  .strict();
const Health = z.object({
  config: z.object({ failureRatio: z.number(), minCalls: z.number(), windowSeconds: z.number(), cooldownSeconds: z.number() }),
  data: z.array(Row),
});

const fail: Outcome = { ok: false, kind: "rate_limited", latencyMs: 20 };
const times = (n: number, o: Outcome): Outcome[] => Array.from({ length: n }, () => o);
const record = (key: string, outcomes: Outcome[]) => env.PROVIDER_HEALTH.get(env.PROVIDER_HEALTH.idFromName(key)).record(outcomes);

let a: TestTenant;
let b: TestTenant;

beforeAll(async () => {
  a = await createTestTenant("Healthy Motors");
  b = await createTestTenant("Other Auto");
  await call("PUT", "/gateway/providers/groq", {
    token: a.adminKey,
    body: { kind: "openai-compatible", baseUrl: "https://api.groq.example/openai/v1", apiKey: "gsk_0123456789abcdef", models: ["llama-3.3-70b-versatile"] },
  });
  await call("PUT", "/gateway/providers/openai", { token: a.adminKey, body: { kind: "openai", apiKey: "sk-tenant-own-0123456789" } });
  await call("PUT", "/gateway/aliases/fast", { token: a.adminKey, body: { target: "anthropic/claude-3-5-haiku-latest" } });
  await record("platform:anthropic/claude-3-5-haiku-latest", times(10, fail));
  await record(healthKeyOf({ name: "groq", model: "llama-3.3-70b-versatile" }, a.tenantId), [{ ok: true, latencyMs: 310 }, { ok: false, kind: "timeout", latencyMs: 5 }]);
});

describe("GET /gateway/health", () => {
  it("lists the tenant's own targets under its id and the platform's under 'platform', with their circuits", async () => {
    const body = expectOk(await call("GET", "/gateway/health", { token: a.adminKey }), 200, Health);
    expect(body.config).toEqual({ failureRatio: 0.5, minCalls: 10, windowSeconds: 60, cooldownSeconds: 30 });
    const byKey = new Map(body.data.map((r) => [r.key, r]));
    expect(byKey.get(`${a.tenantId}:groq/llama-3.3-70b-versatile`)).toMatchObject({
      owner: "tenant",
      circuit: "closed",
      calls: 2,
      failures: 1,
      latencyMs: 310,
      failuresByKind: { timeout: 1 },
      lastFailure: { kind: "timeout" },
    });
    // The tenant's own OpenAI key serves the catalog's OpenAI models: their health is the tenant's.
    expect(byKey.get(`${a.tenantId}:openai/gpt-4o-mini`)).toMatchObject({ owner: "tenant", circuit: "closed", calls: 0 });
    expect(byKey.has("platform:openai/gpt-4o-mini")).toBe(false);
    const haiku = byKey.get("platform:anthropic/claude-3-5-haiku-latest");
    expect(haiku).toMatchObject({ owner: "platform", circuit: "open", aliases: ["fast"], failures: 10, failuresByKind: { rate_limited: 10 } });
    expect(haiku?.retryAt).toBeGreaterThan(Date.now());
  });

  it("never shows another tenant's own targets", async () => {
    const body = expectOk(await call("GET", "/gateway/health", { token: b.adminKey }), 200, Health);
    expect(body.data.some((r) => r.key.startsWith(a.tenantId) || r.owner === "tenant")).toBe(false);
    expect(body.data.find((r) => r.key === "platform:openai/gpt-4o-mini")).toMatchObject({ owner: "platform" });
    expect(body.data.find((r) => r.key === "platform:anthropic/claude-3-5-haiku-latest")).toMatchObject({ circuit: "open", aliases: [] });
  });

  it("filters by circuit state", async () => {
    const open = expectOk(await call("GET", "/gateway/health?circuit=open", { token: a.adminKey }), 200, Health);
    expect(open.data.map((r) => r.key)).toEqual(["platform:anthropic/claude-3-5-haiku-latest"]);
    expectError(await call("GET", "/gateway/health?circuit=broken", { token: a.adminKey }), 400, "validation_failed");
  });

  it("is readable by a viewer and closed to callers without a platform credential", async () => {
    const viewer = await createTestUser(a.tenantId, "viewer");
    expectOk(await call("GET", "/gateway/health", { token: viewer.accessToken }), 200, Health);
    expectError(await call("GET", "/gateway/health"), 401, "unauthorized");
    expectError(await call("GET", "/gateway/health", { token: a.gatewayKey }), 403, "insufficient_scope");
  });
});
