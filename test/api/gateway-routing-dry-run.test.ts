import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createTestTenant, type TestTenant } from "../helpers/fixtures";
import { call, expectError, expectOk } from "./helpers";
import { SAMPLE_RULES as RULES } from "../gateway/routing/helpers";

const Info = z.object({
  price: z.object({ inputPerMtok: z.number(), outputPerMtok: z.number() }).nullable(),
  contextWindow: z.number().nullable(),
  capabilities: z.object({ tools: z.boolean(), json: z.boolean(), vision: z.boolean() }).nullable(),
  latencyMs: z.number().nullable(),
  circuit: z.enum(["closed", "open", "half_open"]),
  resolved: z.object({ provider: z.string(), model: z.string(), via: z.string(), healthKey: z.string() }).nullable(),
});
const Plan = z.object({
  rule: z.string().nullable(),
  strategy: z.string(),
  reason: z.string(),
  cache: z.object({ ttlSeconds: z.number() }).nullable(),
  targets: z.array(z.object({ model: z.string(), timeoutMs: z.number(), retry: z.object({ attempts: z.number(), onStatuses: z.array(z.number()) }), info: Info })),
  skipped: z.array(z.object({ model: z.string(), why: z.string(), info: Info })),
  evaluated: z.array(z.object({ rule: z.string(), matched: z.boolean(), reason: z.string() })),
  request: z.object({ estimatedPromptTokens: z.number(), timezone: z.string(), localTime: z.string(), at: z.string(), metadata: z.record(z.string(), z.string()) }),
  source: z.object({ kind: z.string(), version: z.number().nullable().optional() }),
  warnings: z.array(z.object({ line: z.number(), path: z.string(), message: z.string() })),
});


let t: TestTenant;

async function dryRun(body: Record<string, unknown>, token = t.adminKey) {
  return expectOk(await call("POST", "/gateway/routing/dry-run", { token, body }), 200, Plan);
}

beforeAll(async () => {
  t = await createTestTenant("Dry Run Motors");
  expect((await call("PATCH", "/tenant", { token: t.adminKey, body: { timezone: "America/Chicago" } })).status).toBe(200);
  expect((await call("PUT", "/gateway/routing", { token: t.adminKey, body: { yaml: RULES } })).status).toBe(200);
});

describe("POST /gateway/routing/dry-run against the saved rules", () => {
  it("explains the matching rule, the order, the policy and what it knows of each target", async () => {
    const plan = await dryRun({ model: "gpt-4o", messages: [{ role: "user", content: "Reply to this ADF lead" }], metadata: { "X-Auterity-Task": "lead-reply" } });
    expect(plan).toMatchObject({ rule: "lead-replies", strategy: "fallback", cache: { ttlSeconds: 300 }, source: { kind: "saved", version: 1 } });
    expect(plan.reason).toBe("rule 'lead-replies' matched (task = 'lead-reply'); fallback: targets in the order written");
    expect(plan.evaluated).toEqual([{ rule: "lead-replies", matched: true, reason: "task = 'lead-reply'" }]);
    expect(plan.targets.map((x) => [x.model, x.retry.attempts, x.retry.onStatuses])).toEqual([
      ["anthropic/claude-3-5-haiku-latest", 2, [429, 503]],
      ["openai/gpt-4o-mini", 2, [429, 503]],
    ]);
    expect(plan.targets[0]?.info).toEqual({
      price: { inputPerMtok: 0.8, outputPerMtok: 4 },
      contextWindow: 200_000,
      // Anthropic has no response_format switch, but the gateway emulates JSON mode for it.
      capabilities: { tools: true, json: true, vision: true },
      latencyMs: null,
      circuit: "closed",
      resolved: { provider: "anthropic", model: "claude-3-5-haiku-latest", via: "qualified", healthKey: "platform:anthropic/claude-3-5-haiku-latest" },
    });
    expect(plan.request.metadata).toEqual({ task: "lead-reply" });
  });

  it("matches hours across midnight in the tenant's zone, and says why earlier rules did not match", async () => {
    // Friday 22:30 in Chicago is Saturday 04:30 UTC.
    const late = await dryRun({ model: "gpt-4o", at: "2026-03-07T04:30:00Z", draw: 0.9 });
    expect(late.request).toMatchObject({ timezone: "America/Chicago", localTime: "fri 22:30" });
    expect(late.evaluated).toEqual([
      { rule: "lead-replies", matched: false, reason: "no x-auterity-task header" },
      { rule: "after-hours", matched: true, reason: "model 'gpt-4o' matches 'gpt-4o'; it is fri 22:30 America/Chicago" },
    ]);
    // 0.9 of total weight 100 lands past gpt-4o-mini's 80.
    expect(late.targets.map((x) => x.model)).toEqual(["openai/gpt-4o", "openai/gpt-4o-mini"]);
    const cheapDraw = await dryRun({ model: "gpt-4o", at: "2026-03-07T04:30:00Z", draw: 0.5 });
    expect(cheapDraw.targets.map((x) => x.model)).toEqual(["openai/gpt-4o-mini", "openai/gpt-4o"]);
    // 19:00 Friday in Chicago is 01:00 UTC: inside the range in UTC, outside it locally.
    const evening = await dryRun({ model: "gpt-4o", at: Date.parse("2026-03-07T01:00:00Z") });
    expect(evening).toMatchObject({ rule: null, strategy: "direct" });
    expect(evening.reason).toBe("no rule matched: the call goes to 'gpt-4o' as asked");
    expect(evening.evaluated[1]?.reason).toBe("it is fri 19:00 America/Chicago, outside 21:00-08:00");
  });
});

describe("POST /gateway/routing/dry-run with a draft", () => {
  it("skips a target whose context window the request does not fit", async () => {
    const yaml = "rules:\n  - name: long\n    targets: [openai/gpt-4o-mini, anthropic/claude-3-5-haiku-latest]\n";
    const plan = await dryRun({ yaml, model: "gpt-4o-mini", messages: [{ role: "user", content: "x".repeat(600_000) }], maxTokens: 1000 });
    expect(plan.source).toEqual({ kind: "draft" });
    expect(plan.request.estimatedPromptTokens).toBe(150_000);
    expect(plan.targets.map((x) => x.model)).toEqual(["anthropic/claude-3-5-haiku-latest"]);
    expect(plan.skipped).toMatchObject([{ model: "openai/gpt-4o-mini", why: "needs ~151000 tokens of context (prompt + max output), its window is 128000" }]);
    // The draft is not saved.
    expect((await call("GET", "/gateway/routing", { token: t.adminKey })).body).toMatchObject({ version: 1 });
  });

  it("cheapest uses the tenant's own prices", async () => {
    const p = await createTestTenant();
    const yaml = "rules:\n  - name: c\n    strategy: cheapest\n    targets: [openai/gpt-4o, openai/gpt-4o-mini]\n";
    const body = { yaml, model: "anything", messages: [{ role: "user", content: "hello" }] };
    expect((await dryRun(body, p.adminKey)).targets.map((x) => x.model)).toEqual(["openai/gpt-4o-mini", "openai/gpt-4o"]);
    const price = { provider: "openai", model: "gpt-4o", inputPerMtok: 0.01, outputPerMtok: 0.01 };
    expect((await call("PUT", "/gateway/prices", { token: p.adminKey, body: price })).status).toBe(200);
    const after = await dryRun(body, p.adminKey);
    expect(after.targets.map((x) => x.model)).toEqual(["openai/gpt-4o", "openai/gpt-4o-mini"]);
    expect(after.targets[0]?.info.price).toEqual({ inputPerMtok: 0.01, outputPerMtok: 0.01 });
  });

  it("answers a draft's problems as 400 with pointers, and shows warnings for unknown targets", async () => {
    const reply = await call("POST", "/gateway/routing/dry-run", { token: t.adminKey, body: { model: "gpt-4o", yaml: "rules:\n  - name: a\n    targets: []\n" } });
    expectError(reply, 400, "validation_failed");
    expect(reply.body).toMatchObject({ error: { details: [{ line: 3, column: 14, path: "rules.0.targets", message: "a rule needs at least one target" }] } });
    const warned = await dryRun({ model: "gpt-4o", yaml: "rules:\n  - name: a\n    targets: [nowhere/model-x, openai/gpt-4o-mini]\n" });
    expect(warned.warnings).toMatchObject([{ line: 3, path: "rules.0.targets.0" }]);
    expect(warned.targets[0]).toMatchObject({ model: "nowhere/model-x", info: { resolved: null, price: null, circuit: "closed" } });
  });
});

describe("POST /gateway/routing/dry-run and provider health", () => {
  it("skips a target whose circuit is open and orders lowest_latency by the measured averages", async () => {
    const stub = (key: string) => env.PROVIDER_HEALTH.get(env.PROVIDER_HEALTH.idFromName(key));
    await stub("platform:openai/gpt-4.1-mini").record(Array.from({ length: 12 }, () => ({ ok: false as const, kind: "server_error" as const, latencyMs: 50 })));
    await stub("platform:openai/o4-mini").record([{ ok: true, latencyMs: 900 }]);
    await stub("platform:anthropic/claude-3-haiku-20240307").record([{ ok: true, latencyMs: 200 }]);
    const yaml = "rules:\n  - name: fast\n    strategy: lowest_latency\n    targets: [openai/gpt-4.1-mini, openai/o4-mini, anthropic/claude-3-haiku-20240307]\n";
    const plan = await dryRun({ yaml, model: "gpt-4o" });
    expect(plan.targets.map((x) => [x.model, x.info.latencyMs])).toEqual([
      ["anthropic/claude-3-haiku-20240307", 200],
      ["openai/o4-mini", 900],
    ]);
    expect(plan.skipped).toMatchObject([{ model: "openai/gpt-4.1-mini", why: "circuit open: recent calls failed", info: { circuit: "open" } }]);
  });
});

describe("POST /gateway/routing/dry-run refuses malformed requests", () => {
  it("needs a model, one of messages or input, and a draw below 1", async () => {
    expectError(await call("POST", "/gateway/routing/dry-run", { token: t.adminKey, body: {} }), 400, "validation_failed");
    expectError(await call("POST", "/gateway/routing/dry-run", { token: t.adminKey, body: { model: "gpt-4o", messages: [], input: "hi" } }), 400, "validation_failed");
    expectError(await call("POST", "/gateway/routing/dry-run", { token: t.adminKey, body: { model: "gpt-4o", draw: 1 } }), 400, "validation_failed");
    expectError(await call("POST", "/gateway/routing/dry-run", { token: t.adminKey, body: { model: "gpt-4o", at: "yesterday" } }), 400, "validation_failed");
    expectError(await call("POST", "/gateway/routing/dry-run", { token: t.adminKey, body: { model: "gpt-4o", surprise: true } }), 400, "validation_failed");
  });
});
