import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { makeDb } from "../../../workers/db";
import { gatewayDepsOf, generate } from "../../../workers/gateway/call";
import { templateCallHeaders } from "../../../workers/models/prompts/gateway";
import { call, expectError, expectOk } from "../../api/helpers";
import { createTestTenant } from "../../helpers/fixtures";
import { requestId, upstreamRequests, waitForUsage } from "../../gateway/helpers";
import { chat } from "./helpers";

const t = await createTestTenant("Template Motors");
const other = await createTestTenant("Other Template Motors");

const Template = z.object({ key: z.string(), version: z.union([z.number(), z.literal("default")]), ref: z.string(), source: z.enum(["default", "tenant"]), template: z.string(), system: z.string().nullable() });
const List = z.object({ data: z.array(Template.extend({ overridesDefault: z.boolean() })) });
const Rendered = z.object({ ref: z.string(), messages: z.array(z.object({ role: z.string(), content: z.string() })) });
const OpenAIError = z.object({ error: z.object({ message: z.string(), type: z.string() }) });

const LEAD_VARS = { customer_name: "Dana", vehicle: "2024 Toyota RAV4", dealership: "Smith Motors", question: "Is it available?" };

async function save(token: string, key: string, template: string, variables: Record<string, unknown> = { name: { type: "string", required: true } }) {
  return call("POST", "/prompt-templates", { token, body: { key, variables, system: "Be brief.", template } });
}

describe("/api/v1/prompt-templates", () => {
  it("lists the shipped defaults", async () => {
    const list = expectOk(await call("GET", "/prompt-templates", { token: t.adminKey }), 200, List);
    expect(list.data.map((d) => d.key)).toEqual(expect.arrayContaining(["lead-reply", "service-reminder", "review-response", "trade-in-appraisal-note", "fi-follow-up"]));
    expect(list.data.every((d) => d.source === "default" && d.ref === `${d.key}@default`)).toBe(true);
  });

  it("renders a preview with variables checked: missing, mistyped, off-enum and unknown variables are 400", async () => {
    const ok = expectOk(await call("POST", "/prompt-templates/lead-reply/render", { token: t.adminKey, body: { variables: LEAD_VARS } }), 200, Rendered);
    expect(ok.ref).toBe("lead-reply@default");
    expect(ok.messages[0]?.role).toBe("system");
    expect(ok.messages[1]?.content).toContain("Write a reply to Dana, who asked Smith Motors about the 2024 Toyota RAV4");
    expect(ok.messages[1]?.content).toContain("Reply by email");
    const missing = expectError(await call("POST", "/prompt-templates/lead-reply/render", { token: t.adminKey, body: { variables: { customer_name: "Dana" } } }), 400, "validation_failed");
    expect(missing).toContain("vehicle is required");
    expectError(await call("POST", "/prompt-templates/service-reminder/render", { token: t.adminKey, body: { variables: { customer_name: "Lee", vehicle: "CR-V", due_date: "2026-12-01", reason: "weather", dealership: "Smith" } } }), 400, "validation_failed");
    expectError(await call("POST", "/prompt-templates/review-response/render", { token: t.adminKey, body: { variables: { reviewer_name: "Sam", rating: "five", review: "ok", dealership: "Smith" } } }), 400, "validation_failed");
    expectError(await call("POST", "/prompt-templates/lead-reply/render", { token: t.adminKey, body: { variables: { ...LEAD_VARS, typo: "x" } } }), 400, "validation_failed");
    expectError(await call("POST", "/prompt-templates/no-such/render", { token: t.adminKey, body: { variables: {} } }), 404, "not_found");
  });

  it("lets a tenant override a default with versions of its own; the default stays reachable", async () => {
    expect((await save(t.adminKey, "lead-reply", "Hi {{ name }}, v1")).status).toBe(201);
    const v2 = expectOk(await save(t.adminKey, "lead-reply", "Hi {{ name }}, v2"), 201, Template);
    expect(v2).toMatchObject({ version: 2, ref: "lead-reply@2", source: "tenant" });
    const latest = expectOk(await call("GET", "/prompt-templates/lead-reply", { token: t.adminKey }), 200, Template.extend({ versions: z.array(z.number()) }));
    expect(latest).toMatchObject({ version: 2, template: "Hi {{ name }}, v2", versions: [2, 1] });
    expect(expectOk(await call("GET", "/prompt-templates/lead-reply?version=1", { token: t.adminKey }), 200, Template).template).toBe("Hi {{ name }}, v1");
    expect(expectOk(await call("GET", "/prompt-templates/lead-reply?version=default", { token: t.adminKey }), 200, Template).source).toBe("default");
    const listed = expectOk(await call("GET", "/prompt-templates", { token: t.adminKey }), 200, List).data.find((d) => d.key === "lead-reply");
    expect(listed).toMatchObject({ version: 2, overridesDefault: true });
    const theirs = expectOk(await call("GET", "/prompt-templates/lead-reply", { token: other.adminKey }), 200, Template);
    expect(theirs.source).toBe("default");
    expectError(await call("GET", "/prompt-templates/lead-reply?version=7", { token: t.adminKey }), 404, "not_found");
  });

  it("refuses template text that does not parse or reads undeclared variables, and bad keys", async () => {
    expectError(await save(t.adminKey, "broken", "Hi {{ name"), 400, "validation_failed");
    expectError(await save(t.adminKey, "undeclared", "Hi {{ nmae }}"), 400, "validation_failed");
    expectError(await save(t.adminKey, "Bad Key", "Hi {{ name }}"), 400, "validation_failed");
    expectError(await save(t.adminKey, "bad-type", "Hi {{ name }}", { name: { type: "date" } }), 400, "validation_failed");
  });
});

describe("calling the gateway by template", () => {
  it("renders the messages before the caller's and records key@version in the usage row", async () => {
    expect((await save(t.adminKey, "greet", "Greet {{ name }} warmly.")).status).toBe(201);
    const id = requestId();
    const res = await chat(t.gatewayKey, "gpt-4o-mini", id, { content: `customer says ${id}`, headers: { "x-auterity-template": "greet", "x-auterity-template-variables": JSON.stringify({ name: "Dana" }) } });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(res.headers.get("x-auterity-template")).toBe("greet@1");
    const [upstream] = await upstreamRequests(id);
    expect(upstream?.body).toMatchObject({ messages: [{ role: "system", content: "Be brief." }, { role: "user", content: "Greet Dana warmly." }, { role: "user", content: `customer says ${id}` }] });
    const row = await waitForUsage(id);
    const stored = await env.DB.prepare("select template from usage_events where id = ?").bind(row.id).first<{ template: string }>();
    expect(stored?.template).toBe("greet@1");
  });

  it("renders in process too (as a workflow ai step calls the gateway)", async () => {
    expect((await save(t.adminKey, "greet-inproc", "Greet {{ name }}.")).status).toBe(201);
    const pending: Promise<unknown>[] = [];
    const deps = gatewayDepsOf(env, makeDb(env.DB), (p) => pending.push(p));
    const input = {
      requestId: requestId(), caller: { tenantId: t.tenantId, apiKeyId: null, userId: null, tags: ["workflow"] }, endpoint: "/v1/chat/completions", format: "openai-chat" as const,
      body: { model: "gpt-4o-mini", messages: [{ role: "user", content: "Reply now." }] }, metadata: {}, headers: templateCallHeaders("greet-inproc@1", { name: "Lee" }),
    };
    const result = await generate(deps, input);
    await Promise.all(pending);
    expect(result.headers["x-auterity-template"]).toBe("greet-inproc@1");
    await expect(generate(deps, { ...input, headers: templateCallHeaders("greet-inproc@1", {}) })).rejects.toMatchObject({ code: "validation_failed" });
  });

  it("pins a default by @default", async () => {
    const id = requestId();
    const res = await chat(t.gatewayKey, "gpt-4o-mini", id, { headers: { "x-auterity-template": "fi-follow-up@default", "x-auterity-template-variables": JSON.stringify({ customer_name: "Lee", vehicle: "CR-V", topic: "proof of insurance", dealership: "Smith" }) } });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-auterity-template")).toBe("fi-follow-up@default");
  });

  it("answers 400 in OpenAI's error format for missing variables, bad JSON and unknown templates", async () => {
    expect((await save(t.adminKey, "greet-strict", "Greet {{ name }}.")).status).toBe(201);
    const cases: Record<string, string>[] = [
      { "x-auterity-template": "greet-strict" },
      { "x-auterity-template": "greet-strict", "x-auterity-template-variables": "{not json" },
      { "x-auterity-template": "greet-strict", "x-auterity-template-variables": JSON.stringify({ name: { nested: true } }) },
      { "x-auterity-template": "no-such-template" },
      { "x-auterity-template": "greet-strict@99", "x-auterity-template-variables": JSON.stringify({ name: "x" }) },
    ];
    for (const headers of cases) {
      const res = await chat(t.gatewayKey, "gpt-4o-mini", requestId(), { headers });
      expect(res.status, JSON.stringify(headers)).toBe(400);
      expect(OpenAIError.parse(await res.json()).error.type).toBe("invalid_request_error");
    }
    const theirs = await chat(other.gatewayKey, "gpt-4o-mini", requestId(), { headers: { "x-auterity-template": "greet-strict", "x-auterity-template-variables": JSON.stringify({ name: "x" }) } });
    expect(theirs.status).toBe(400);
  });
});
