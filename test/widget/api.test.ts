/**
 * Widget administration: create, list, read, change, delete, the snippet to paste, what
 * is refused (bad origins, "*" outside development, another tenant's assistant), the audit
 * trail, and that one tenant can never see or touch another's widgets.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { call, createTestUser, expectError, expectOk, ListOf } from "../api/helpers";
import { createTestTenant, type TestTenant } from "../helpers/fixtures";
import { createAssistantRow, createWidgetAs, DEALER, WidgetBody } from "./helpers";

let a: TestTenant;
let b: TestTenant;
let assistantA: string;
let assistantB: string;

beforeAll(async () => {
  a = await createTestTenant("Smith Motors");
  b = await createTestTenant("Jones Auto");
  assistantA = await createAssistantRow(a.tenantId);
  assistantB = await createAssistantRow(b.tenantId);
});

describe("widget CRUD", () => {
  it("creates a widget with defaults and normalised origins, then lists, reads, patches and deletes it", async () => {
    const w = await createWidgetAs(a.adminKey, { assistantId: assistantA, allowedOrigins: ["https://WWW.SmithMotors.example/", "https://www.smithmotors.example"] });
    expect(w).toMatchObject({ assistantId: assistantA, allowedOrigins: [DEALER], title: "Chat with us", position: "bottom-right", accentColor: "#1f6feb" });

    const list = expectOk(await call("GET", "/widgets", { token: a.adminKey }), 200, ListOf(WidgetBody));
    expect(list.data.map((x) => x.id)).toContain(w.id);
    expect(expectOk(await call("GET", `/widgets/${w.id}`, { token: a.adminKey }), 200, WidgetBody).title).toBe("Chat with us");

    const patched = expectOk(await call("PATCH", `/widgets/${w.id}`, { token: a.adminKey, body: { title: "Ask Smith Motors", accentColor: "#aa0000", position: "bottom-left" } }), 200, WidgetBody);
    expect(patched).toMatchObject({ title: "Ask Smith Motors", accentColor: "#aa0000", position: "bottom-left", allowedOrigins: [DEALER] });

    expect((await call("DELETE", `/widgets/${w.id}`, { token: a.adminKey })).status).toBe(204);
    expectError(await call("GET", `/widgets/${w.id}`, { token: a.adminKey }), 404, "not_found");
  });

  it("gives the script tag to paste, pointing at this deployment", async () => {
    const w = await createWidgetAs(a.adminKey, { assistantId: assistantA, allowedOrigins: [DEALER] });
    const snippet = expectOk(await call("GET", `/widgets/${w.id}/snippet`, { token: a.adminKey }), 200, z.object({ html: z.string(), scriptUrl: z.string() }));
    expect(snippet.scriptUrl).toBe("http://auterity.test/widget/v1.js");
    expect(snippet.html).toBe(`<script src="http://auterity.test/widget/v1.js" data-widget="${w.id}" async></script>`);
  });

  it("records creation, change and deletion in the audit log", async () => {
    const w = await createWidgetAs(a.adminKey, { assistantId: assistantA, allowedOrigins: [DEALER] });
    await call("PATCH", `/widgets/${w.id}`, { token: a.adminKey, body: { greeting: "Hello!" } });
    await call("DELETE", `/widgets/${w.id}`, { token: a.adminKey });
    const log = expectOk(await call("GET", `/audit?resourceId=${w.id}`, { token: a.adminKey }), 200, z.object({ data: z.array(z.object({ action: z.string(), resourceId: z.string().nullable() })) }));
    const actions = log.data.filter((e) => e.resourceId === w.id).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["widget.created", "widget.updated", "widget.deleted"]));
  });
});

describe("refused widget settings", () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ["'*' outside development", { allowedOrigins: ["*"] }, "allowedOrigins.0"],
    ["an origin with a path", { allowedOrigins: ["https://dealer.example/inventory"] }, "allowedOrigins.0"],
    ["a non-web scheme", { allowedOrigins: ["ftp://dealer.example"] }, "allowedOrigins.0"],
    ["not a URL", { allowedOrigins: ["dealer dot example"] }, "allowedOrigins.0"],
    ["no origins", { allowedOrigins: [] }, "allowedOrigins"],
    ["a bad colour", { allowedOrigins: [DEALER], accentColor: "red" }, "accentColor"],
    ["an unknown position", { allowedOrigins: [DEALER], position: "top" }, "position"],
    ["an unknown field", { allowedOrigins: [DEALER], secret: "x" }, ""],
  ];
  for (const [name, body, path] of cases) {
    it(`refuses ${name}`, async () => {
      const reply = await call("POST", "/widgets", { token: a.adminKey, body: { assistantId: assistantA, ...body } });
      expectError(reply, 400, "validation_failed");
      if (path) expect(JSON.stringify(reply.body)).toContain(path);
    });
  }

  it("refuses an assistant of another tenant, on create and on patch", async () => {
    expectError(await call("POST", "/widgets", { token: a.adminKey, body: { assistantId: assistantB, allowedOrigins: [DEALER] } }), 400, "validation_failed");
    const w = await createWidgetAs(a.adminKey, { assistantId: assistantA, allowedOrigins: [DEALER] });
    expectError(await call("PATCH", `/widgets/${w.id}`, { token: a.adminKey, body: { assistantId: assistantB } }), 400, "validation_failed");
  });

  it("lets viewers read widgets but not change them, and refuses anonymous calls", async () => {
    const viewer = await createTestUser(a.tenantId, "viewer");
    expect((await call("GET", "/widgets", { token: viewer.accessToken })).status).toBe(200);
    expectError(await call("POST", "/widgets", { token: viewer.accessToken, body: { assistantId: assistantA, allowedOrigins: [DEALER] } }), 403, "forbidden");
    expectError(await call("GET", "/widgets"), 401, "unauthorized");
  });
});

describe("tenant isolation", () => {
  it("hides another tenant's widget from every route", async () => {
    const bw = await createWidgetAs(b.adminKey, { assistantId: assistantB, allowedOrigins: [DEALER], title: "Jones" });
    const list = expectOk(await call("GET", "/widgets", { token: a.adminKey }), 200, ListOf(WidgetBody));
    expect(list.data.map((x) => x.id)).not.toContain(bw.id);
    expectError(await call("GET", `/widgets/${bw.id}`, { token: a.adminKey }), 404, "not_found");
    expectError(await call("GET", `/widgets/${bw.id}/snippet`, { token: a.adminKey }), 404, "not_found");
    expectError(await call("PATCH", `/widgets/${bw.id}`, { token: a.adminKey, body: { title: "Taken" } }), 404, "not_found");
    expectError(await call("DELETE", `/widgets/${bw.id}`, { token: a.adminKey }), 404, "not_found");
    expect(expectOk(await call("GET", `/widgets/${bw.id}`, { token: b.adminKey }), 200, WidgetBody).title).toBe("Jones");
  });
});
