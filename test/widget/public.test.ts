/**
 * The public /widget routes as a dealer's website uses them: the script, a widget's look,
 * CORS for allowed and refused origins, preflight, the per-visitor limit, body limits and
 * the dashboard's preview page.
 */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { call, createTestUser } from "../api/helpers";
import { createTestTenant, type TestTenant } from "../helpers/fixtures";
import { WIDGET_CHAT_LIMIT } from "../../workers/widget/rate-limit";
import { createAssistantRow, createWidgetAs, DEALER, errorOf, widgetFetch } from "./helpers";

let a: TestTenant;
let widgetId: string;

beforeAll(async () => {
  a = await createTestTenant("Smith Motors");
  const assistantId = await createAssistantRow(a.tenantId);
  widgetId = (await createWidgetAs(a.adminKey, { assistantId, allowedOrigins: [DEALER], title: "Ask Smith", greeting: "Hi there!", accentColor: "#112233" })).id;
});

describe("GET /widget/v1.js", () => {
  it("serves a cacheable script that builds its UI in a shadow root and holds no secrets", async () => {
    const res = await widgetFetch("/v1.js");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(res.headers.get("cache-control")).toMatch(/^public, max-age=\d+/);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    const js = await res.text();
    expect(js).toContain("attachShadow");
    expect(js).toContain("/widget/chat/");
    expect(js.length).toBeLessThan(16_000);
    for (const secret of [env.JWT_SECRET, env.MASTER_KEY, env.OPENAI_API_KEY, env.ANTHROPIC_API_KEY, a.adminKey, "sk-aut-"]) expect(js).not.toContain(secret);
  });

  it("answers 304 to a browser that already holds the current version", async () => {
    const etag = (await widgetFetch("/v1.js")).headers.get("etag");
    expect(etag).toBeTruthy();
    const again = await widgetFetch("/v1.js", { headers: { "if-none-match": etag ?? "" } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
  });
});

const Config = z.object({ id: z.string(), title: z.string(), greeting: z.string(), accentColor: z.string(), position: z.string() }).strict();

describe("GET /widget/config/{id} and CORS", () => {
  it("gives an allowed website the widget's look, with CORS headers for that origin", async () => {
    const res = await widgetFetch(`/config/${widgetId}`, { origin: DEALER });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe(DEALER);
    expect(res.headers.get("vary")).toContain("Origin");
    expect(Config.parse(await res.json())).toEqual({ id: widgetId, title: "Ask Smith", greeting: "Hi there!", accentColor: "#112233", position: "bottom-right" });
  });

  it("refuses another website with 403 and no CORS headers", async () => {
    const res = await widgetFetch(`/config/${widgetId}`, { origin: "https://evil.example" });
    expect(res.status).toBe(403);
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
    expect((await errorOf(res)).code).toBe("forbidden");
  });

  it("refuses a look-alike origin (other scheme or port)", async () => {
    for (const origin of ["http://www.smithmotors.example", "https://www.smithmotors.example:8443"]) {
      expect((await widgetFetch(`/config/${widgetId}`, { origin })).status).toBe(403);
    }
  });

  it("answers 404 for an unknown widget", async () => {
    const res = await widgetFetch("/config/wgt_doesnotexist0000000", { origin: DEALER });
    expect(res.status).toBe(404);
    expect((await errorOf(res)).code).toBe("not_found");
  });

  it("answers the preflight of an allowed origin and refuses others", async () => {
    const preflight = { "access-control-request-method": "POST", "access-control-request-headers": "content-type" };
    const ok = await widgetFetch(`/chat/${widgetId}`, { method: "OPTIONS", origin: DEALER, headers: preflight });
    expect(ok.status).toBe(204);
    expect(ok.headers.get("access-control-allow-origin")).toBe(DEALER);
    expect(ok.headers.get("access-control-allow-methods")).toContain("POST");
    expect(ok.headers.get("access-control-allow-headers")).toContain("content-type");
    const refused = await widgetFetch(`/chat/${widgetId}`, { method: "OPTIONS", origin: "https://evil.example", headers: preflight });
    expect(refused.status).toBe(403);
    expect(refused.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("stops serving a website once it is removed from the allowed origins, and everyone once deleted", async () => {
    const assistantId = await createAssistantRow(a.tenantId);
    const w = await createWidgetAs(a.adminKey, { assistantId, allowedOrigins: [DEALER, "https://used.smithmotors.example"] });
    expect((await widgetFetch(`/config/${w.id}`, { origin: "https://used.smithmotors.example" })).status).toBe(200);
    await call("PATCH", `/widgets/${w.id}`, { token: a.adminKey, body: { allowedOrigins: [DEALER] } });
    expect((await widgetFetch(`/config/${w.id}`, { origin: "https://used.smithmotors.example" })).status).toBe(403);
    await call("DELETE", `/widgets/${w.id}`, { token: a.adminKey });
    expect((await widgetFetch(`/config/${w.id}`, { origin: DEALER })).status).toBe(404);
  });
});

describe("POST /widget/chat/{id} limits", () => {
  it("refuses bad bodies in the platform error format, with CORS headers so the widget can show them", async () => {
    const cases: [string, string, number, string][] = [
      ["not json", "{", 400, "invalid_json"],
      ["empty content", JSON.stringify({ content: "   " }), 400, "validation_failed"],
      ["unknown field", JSON.stringify({ content: "hi", tenantId: "ten_x" }), 400, "validation_failed"],
      ["bad visitor email", JSON.stringify({ content: "hi", visitor: { email: "nope" } }), 400, "validation_failed"],
      ["too large", JSON.stringify({ content: "x".repeat(20_000) }), 413, "payload_too_large"],
    ];
    for (const [name, body, status, code] of cases) {
      const res = await widgetFetch(`/chat/${widgetId}`, { method: "POST", origin: DEALER, ip: `10.0.0.${status}`, body });
      expect(res.status, name).toBe(status);
      expect(res.headers.get("access-control-allow-origin"), name).toBe(DEALER);
      expect((await errorOf(res)).code, name).toBe(code);
    }
    const wrongType = await widgetFetch(`/chat/${widgetId}`, { method: "POST", origin: DEALER, ip: "10.0.1.1", body: "hi", headers: { "content-type": "text/plain" } });
    expect(wrongType.status).toBe(415);
  });

  it("limits each visitor per widget, and only that visitor", async () => {
    const assistantId = await createAssistantRow(a.tenantId);
    const w = await createWidgetAs(a.adminKey, { assistantId, allowedOrigins: [DEALER] });
    const post = (ip: string) => widgetFetch(`/chat/${w.id}`, { method: "POST", origin: DEALER, ip, body: "{" });
    for (let i = 0; i < WIDGET_CHAT_LIMIT.requests; i++) expect((await post("203.0.113.7")).status).toBe(400);
    const limited = await post("203.0.113.7");
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(limited.headers.get("access-control-allow-origin")).toBe(DEALER);
    expect((await errorOf(limited)).code).toBe("rate_limited");
    expect((await post("203.0.113.8")).status).toBe(400);
    expect((await widgetFetch(`/chat/${widgetId}`, { method: "POST", origin: DEALER, ip: "203.0.113.7", body: "{" })).status).toBe(400);
  });
});

describe("GET /widget/preview/{id}", () => {
  it("shows an admin of the widget's tenant a page that embeds the widget", async () => {
    const admin = await createTestUser(a.tenantId, "admin");
    const res = await widgetFetch(`/preview/${widgetId}?access_token=${admin.accessToken}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("referrer-policy")).toBe("no-referrer");
    expect(await res.text()).toContain(`<script src="/widget/v1.js" data-widget="${widgetId}" async></script>`);
  });

  it("refuses without a token outside development, a bad token, a viewer, and another tenant's admin", async () => {
    expect((await widgetFetch(`/preview/${widgetId}`)).status).toBe(401);
    expect((await widgetFetch(`/preview/${widgetId}?access_token=not-a-token`)).status).toBe(401);
    const viewer = await createTestUser(a.tenantId, "viewer");
    expect((await widgetFetch(`/preview/${widgetId}?access_token=${viewer.accessToken}`)).status).toBe(403);
    const other = await createTestTenant("Jones Auto");
    const otherAdmin = await createTestUser(other.tenantId, "admin");
    expect((await widgetFetch(`/preview/${widgetId}?access_token=${otherAdmin.accessToken}`)).status).toBe(404);
  });
});
