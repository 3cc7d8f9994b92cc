import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createTestTenant, type TestTenant } from "../helpers/fixtures";
import { call, createTestUser, expectError, expectOk } from "./helpers";
import { SAMPLE_RULES as RULES } from "../gateway/routing/helpers";

const Problem = z.object({ line: z.number(), column: z.number(), path: z.string(), message: z.string() });
const Current = z.object({ id: z.string().nullable(), yaml: z.string().nullable(), version: z.number(), updatedAt: z.number().nullable(), updatedBy: z.string().nullable(), warnings: z.array(Problem) });
const Version = z.object({ id: z.string(), version: z.number(), yaml: z.string(), createdAt: z.number(), createdBy: z.string().nullable(), current: z.boolean() });
const History = z.object({ data: z.array(Version), nextBefore: z.number().nullable() });
const ErrorDetails = z.object({ error: z.object({ code: z.string(), message: z.string(), details: z.array(Problem) }) });


async function auditRows(tenantId: string): Promise<{ action: string; resource_id: string | null; before: string | null; after: string | null }[]> {
  const { results } = await env.DB.prepare("select action, resource_id, before, after from audit_log where tenant_id = ? and resource_type = 'gateway_routing' order by id")
    .bind(tenantId)
    .all<{ action: string; resource_id: string | null; before: string | null; after: string | null }>();
  return results;
}

let t: TestTenant;
beforeAll(async () => {
  t = await createTestTenant("Routing Motors");
});

describe("PUT / GET /gateway/routing and its history", () => {
  it("answers version 0 before anything is saved", async () => {
    const fresh = await createTestTenant();
    expect(expectOk(await call("GET", "/gateway/routing", { token: fresh.adminKey }), 200, Current)).toEqual({ id: null, yaml: null, version: 0, updatedAt: null, updatedBy: null, warnings: [] });
  });

  it("saves versions, shows the YAML as written, keeps history and audits each save", async () => {
    const first = expectOk(await call("PUT", "/gateway/routing", { token: t.adminKey, body: { yaml: RULES } }), 200, Current);
    expect(first).toMatchObject({ yaml: RULES, version: 1, warnings: [] });
    const v2yaml = `# comments are kept\n${RULES.replace("weight: 80", "weight: 60")}`;
    expectOk(await call("PUT", "/gateway/routing", { token: t.adminKey, body: { yaml: v2yaml, expectedVersion: 1 } }), 200, Current);
    expect(expectOk(await call("GET", "/gateway/routing", { token: t.adminKey }), 200, Current)).toMatchObject({ yaml: v2yaml, version: 2 });
    const history = expectOk(await call("GET", "/gateway/routing/history", { token: t.adminKey }), 200, History);
    expect(history.data.map((v) => [v.version, v.current])).toEqual([[2, true], [1, false]]);
    const old = expectOk(await call("GET", `/gateway/routing/history/${history.data[1]?.id}`, { token: t.adminKey }), 200, Version);
    expect(old).toMatchObject({ version: 1, yaml: RULES, current: false });
    const audit = await auditRows(t.tenantId);
    expect(audit.map((a) => a.action)).toEqual(["gateway_routing.created", "gateway_routing.updated"]);
    expect(audit[1]?.resource_id).toBe(history.data[0]?.id);
    expect(expectOk(await call("GET", "/gateway/routing", { token: t.adminKey }), 200, Current).id).toBe(history.data[0]?.id);
    expect(JSON.parse(audit[1]?.before ?? "null")).toMatchObject({ version: 1, rules: ["lead-replies (fallback: anthropic/claude-3-5-haiku-latest, openai/gpt-4o-mini)", "after-hours (weighted: openai/gpt-4o-mini, openai/gpt-4o)"] });
    expect(JSON.parse(audit[1]?.after ?? "null")).toMatchObject({ version: 2 });
  });

  it("pages the history", async () => {
    const p = await createTestTenant();
    for (let i = 0; i < 3; i++) await call("PUT", "/gateway/routing", { token: p.adminKey, body: { yaml: "rules: []\n" } });
    const page = expectOk(await call("GET", "/gateway/routing/history?limit=2", { token: p.adminKey }), 200, History);
    expect(page.data.map((v) => v.version)).toEqual([3, 2]);
    const next = expectOk(await call("GET", `/gateway/routing/history?limit=2&before=${page.nextBefore}`, { token: p.adminKey }), 200, History);
    expect(next.data.map((v) => v.version)).toEqual([1]);
    expect(next.nextBefore).toBeNull();
  });

  it("answers 400 validation_failed with line, column and path for each problem, and saves nothing", async () => {
    const p = await createTestTenant();
    const bad = "rules:\n  - name: a\n    strategy: weighted\n    targets:\n      - { model: openai/gpt-4o, wieght: 5 }\n    timeout_ms: soon\n";
    const reply = await call("PUT", "/gateway/routing", { token: p.adminKey, body: { yaml: bad } });
    expectError(reply, 400, "validation_failed");
    const body = ErrorDetails.parse(reply.body);
    expect(body.error.details).toEqual([
      { line: 5, column: 33, path: "rules.0.targets.0.wieght", message: "unknown key 'wieght': did you mean 'weight'?" },
      { line: 6, column: 17, path: "rules.0.timeout_ms", message: "expected a number, got the text 'soon'" },
    ]);
    expect(body.error.message).toBe("The routing rules are not valid: line 5, column 33 (rules.0.targets.0.wieght): unknown key 'wieght': did you mean 'weight'? (and 1 more)");
    const syntax = ErrorDetails.parse((await call("PUT", "/gateway/routing", { token: p.adminKey, body: { yaml: "rules:\n  - name: [oops\n" } })).body);
    expect(syntax.error.details[0]).toMatchObject({ path: "(yaml)" });
    expect(syntax.error.details[0]?.line).toBeGreaterThanOrEqual(2);
    expect(expectOk(await call("GET", "/gateway/routing", { token: p.adminKey }), 200, Current).version).toBe(0);
    expect(await auditRows(p.tenantId)).toEqual([]);
  });

  it("refuses bodies that are not {yaml}, and an outdated expectedVersion", async () => {
    const p = await createTestTenant();
    expectError(await call("PUT", "/gateway/routing", { token: p.adminKey, body: {} }), 400, "validation_failed");
    expectError(await call("PUT", "/gateway/routing", { token: p.adminKey, body: { yaml: "rules: []", extra: 1 } }), 400, "validation_failed");
    expectError(await call("PUT", "/gateway/routing", { token: p.adminKey, body: { yaml: `rules: []\n#${"x".repeat(70_000)}` } }), 400, "validation_failed");
    expectError(await call("PUT", "/gateway/routing", { token: p.adminKey, raw: "{yaml:" }), 400, "invalid_json");
    await call("PUT", "/gateway/routing", { token: p.adminKey, body: { yaml: "rules: []\n" } });
    expectError(await call("PUT", "/gateway/routing", { token: p.adminKey, body: { yaml: "rules: []\n", expectedVersion: 0 } }), 409, "conflict");
  });

  it("saves targets the tenant cannot call yet, with warnings that clear once the provider exists", async () => {
    const p = await createTestTenant();
    const yaml = "rules:\n  - name: llama\n    targets: [groq/llama-3.3-70b, openai/gpt-4o-mini]\n";
    const saved = expectOk(await call("PUT", "/gateway/routing", { token: p.adminKey, body: { yaml } }), 200, Current);
    expect(saved.warnings).toHaveLength(1);
    expect(saved.warnings[0]).toMatchObject({ line: 3, column: 15, path: "rules.0.targets.0" });
    await call("PUT", "/gateway/providers/groq", { token: p.adminKey, body: { kind: "openai-compatible", baseUrl: "https://api.groq.example/openai/v1", apiKey: "gsk_0123456789abcdef" } });
    expect(expectOk(await call("GET", "/gateway/routing", { token: p.adminKey }), 200, Current).warnings).toEqual([]);
  });
});

describe("who may read and write routing rules", () => {
  it("viewers and members read and dry-run; only admins and owners write", async () => {
    const p = await createTestTenant();
    for (const role of ["viewer", "member"] as const) {
      const { accessToken } = await createTestUser(p.tenantId, role);
      expectOk(await call("GET", "/gateway/routing", { token: accessToken }), 200, Current);
      expectOk(await call("GET", "/gateway/routing/history", { token: accessToken }), 200, History);
      expect((await call("POST", "/gateway/routing/dry-run", { token: accessToken, body: { model: "gpt-4o" } })).status).toBe(200);
      expectError(await call("PUT", "/gateway/routing", { token: accessToken, body: { yaml: "rules: []" } }), 403, "forbidden");
    }
    const owner = await createTestUser(p.tenantId, "owner");
    expectOk(await call("PUT", "/gateway/routing", { token: owner.accessToken, body: { yaml: "rules: []\n" } }), 200, Current);
    expect(expectOk(await call("GET", "/gateway/routing", { token: p.adminKey }), 200, Current).updatedBy).toBe(owner.id);
  });

  it("refuses gateway-only keys and anonymous calls", async () => {
    expectError(await call("GET", "/gateway/routing", { token: t.gatewayKey }), 403, "insufficient_scope");
    expectError(await call("PUT", "/gateway/routing", { body: { yaml: "rules: []" } }), 401, "unauthorized");
  });

  it("keeps each tenant's rules to itself", async () => {
    const other = await createTestTenant();
    expect(expectOk(await call("GET", "/gateway/routing", { token: other.adminKey }), 200, Current).yaml).toBeNull();
    expect(expectOk(await call("GET", "/gateway/routing/history", { token: other.adminKey }), 200, History).data).toEqual([]);
    const mine = expectOk(await call("GET", "/gateway/routing/history", { token: t.adminKey }), 200, History).data[0]?.id;
    expectError(await call("GET", `/gateway/routing/history/${mine}`, { token: other.adminKey }), 404, "not_found");
    const plan = await call("POST", "/gateway/routing/dry-run", { token: other.adminKey, body: { model: "gpt-4o", metadata: { task: "lead-reply" } } });
    expect(plan.body).toMatchObject({ rule: null, strategy: "direct" });
  });
});
