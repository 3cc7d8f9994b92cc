/**
 * POST /hooks/leads/adf end to end: auth (Bearer and Basic), bodies (XML, e-mail, sniffed),
 * limits, errors, dedupe and resends, rooftop mapping, and what is stored.
 */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { call, expectError, expectOk } from "../api/helpers";
import { createTestKey, createTestTenant, type TestTenant } from "../helpers/fixtures";
import { readBodyLimited } from "../../workers/hooks/body";
import { adf, Intake, leadCount, leadRow, postLead, samples } from "./helpers";

let t: TestTenant;
let leadsKey: string;

beforeAll(async () => {
  t = await createTestTenant("Sunrise Auto Group");
  leadsKey = (await createTestKey(t.tenantId, ["leads"])).key;
});

describe("authentication", () => {
  it("takes a leads key as Bearer, as the Basic password, or as the Basic user name with no password", async () => {
    expectOk(await postLead(adf(), { key: leadsKey }), 201, Intake);
    expectOk(await postLead(adf(), { basic: { user: "autotrader", password: leadsKey } }), 201, Intake);
    expectOk(await postLead(adf(), { basic: { user: leadsKey, password: "" } }), 201, Intake);
  });

  it("works with a leads key made through the keys API", async () => {
    const made = expectOk(await call("POST", "/keys", { token: t.adminKey, body: { name: "AutoTrader feed", scopes: ["leads"] } }), 201, z.object({ key: z.string(), scopes: z.array(z.string()) }));
    expect(made.scopes).toEqual(["leads"]);
    expectOk(await postLead(adf(), { basic: { user: "autotrader", password: made.key } }), 201, Intake);
  });

  it("takes an admin key too", async () => {
    expectOk(await postLead(adf(), { key: t.adminKey }), 201, Intake);
  });

  it("answers 401 without credentials (asking for Basic) and for a wrong key, in the API error body", async () => {
    const none = await postLead(adf());
    expectError(none, 401, "unauthorized");
    expect(none.res.headers.get("www-authenticate")).toMatch(/^Basic realm=/);
    expectError(await postLead(adf(), { key: "sk-aut-000000000000000000000000000000000000000000000" }), 401, "invalid_api_key");
    expectError(await postLead(adf(), { basic: { user: "x", password: "wrong" } }), 401, "invalid_api_key");
    const garbled = await postLead(adf(), { headers: { authorization: "Basic %%%not-base64" } });
    expectError(garbled, 401, "unauthorized");
  });

  it("refuses gateway and workflows keys with 403", async () => {
    expectError(await postLead(adf(), { key: t.gatewayKey }), 403, "insufficient_scope");
    const workflows = await createTestKey(t.tenantId, ["workflows"]);
    expectError(await postLead(adf(), { basic: { user: "p", password: workflows.key } }), 403, "insufficient_scope");
  });

  it("does not let a leads key into the platform API or the gateway", async () => {
    expectError(await call("GET", "/leads", { token: leadsKey }), 403, "insufficient_scope");
    expectError(await call("GET", "/users", { token: leadsKey }), 403, "insufficient_scope");
    const res = await fetchGateway(leadsKey);
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: { code: "insufficient_scope" } });
  });
});

async function fetchGateway(key: string): Promise<Response> {
  const { exports } = await import("cloudflare:workers");
  return exports.default.fetch("http://auterity.test/v1/chat/completions", {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] }),
  });
}

describe("bodies", () => {
  it("stores a new lead: 201, the row, and the ADF as received in R2", async () => {
    const reply = expectOk(await postLead(samples.newLead, { key: leadsKey }), 201, Intake);
    expect(reply).toEqual({ leadId: reply.leadId, status: "created", warnings: [] });
    const row = await leadRow(reply.leadId);
    expect(row).toMatchObject({ tenant_id: t.tenantId, status: "new", external_id: "AT-2024-0517-88412", external_source: "AutoTrader", dedupe_key: "id:autotrader:AT-2024-0517-88412", adf_key: `leads/${t.tenantId}/${reply.leadId}.xml` });
    expect(row?.published_at).toEqual(expect.any(Number));
    const stored = await env.FILES.get(`leads/${t.tenantId}/${reply.leadId}.xml`);
    expect(await stored?.text()).toBe(samples.newLead);
  });

  it("takes the lead e-mail as message/rfc822, and sniffs one sent as text/plain or with no type", async () => {
    const tenant = await createTestTenant("Mail Motors");
    const first = expectOk(await postLead(samples.leadEmail, { key: tenant.adminKey, contentType: "message/rfc822" }), 201, Intake);
    const stored = await env.FILES.get(`leads/${tenant.tenantId}/${first.leadId}.xml`);
    expect(await stored?.text()).toMatch(/^<\?xml[\s\S]*José Martínez[\s\S]*<\/adf>$/);
    expect(expectOk(await postLead(samples.leadEmail, { key: tenant.adminKey, contentType: "text/plain" }), 200, Intake)).toMatchObject({ leadId: first.leadId, status: "duplicate" });
    expect(expectOk(await postLead(samples.leadEmail, { key: tenant.adminKey, contentType: null }), 200, Intake).leadId).toBe(first.leadId);
  });

  it("sniffs XML sent as text/plain or octet-stream, and reads a Latin-1 declaration", async () => {
    expectOk(await postLead(adf(), { key: leadsKey, contentType: "text/plain" }), 201, Intake);
    const latin1 = adf({ customer: "<customer><contact><name>Andr\u00e9 Leclerc</name><phone>555 010 1234</phone></contact></customer>" }).replace('<?xml version="1.0"?>', '<?xml version="1.0" encoding="ISO-8859-1"?>');
    const bytes = Uint8Array.from([...latin1].map((ch) => ch.charCodeAt(0)));
    const reply = expectOk(await postLead(bytes, { key: leadsKey, contentType: "application/octet-stream" }), 201, Intake);
    const lead = expectOk(await call("GET", `/leads/${reply.leadId}`, { token: t.adminKey }), 200, z.object({ customer: z.object({ name: z.string() }) }));
    expect(lead.customer.name).toBe("André Leclerc");
  });

  it("returns the messy sample's warnings", async () => {
    const reply = expectOk(await postLead(samples.messyLead, { key: leadsKey, contentType: "text/xml" }), 201, Intake);
    expect(reply.warnings).toContain("an '&' that starts no entity was read as text");
  });

  it("answers 415 for JSON and for text that is neither XML nor e-mail", async () => {
    expectError(await postLead(JSON.stringify({ name: "Dana" }), { key: leadsKey, contentType: "application/json" }), 415, "unsupported_media_type");
    expectError(await postLead('{"adf": "<adf/>"}', { key: leadsKey, contentType: "text/plain" }), 415, "unsupported_media_type");
    expectError(await postLead("name=Dana&email=dana@example.com", { key: leadsKey, contentType: "application/x-www-form-urlencoded" }), 415, "unsupported_media_type");
  });

  it("answers 413 for a body over 1 MB", async () => {
    const before = await leadCount(t.tenantId);
    const big = adf({ customer: `<customer><contact><name>Big Body</name></contact><comments>${"x".repeat(1024 * 1024)}</comments></customer>` });
    expectError(await postLead(big, { key: leadsKey }), 413, "payload_too_large");
    expect(await leadCount(t.tenantId)).toBe(before);
  });

  it("stops reading a body without a Content-Length once it passes the limit", async () => {
    let pulled = 0;
    let cancelled = false;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(1024).fill(0x41));
      },
      cancel() {
        cancelled = true;
      },
    });
    const req = new Request("http://auterity.test/hooks/leads/adf", { method: "POST", body: stream });
    await expect(readBodyLimited(req, 10 * 1024)).rejects.toMatchObject({ code: "payload_too_large", status: 413 });
    expect(cancelled).toBe(true);
    expect(pulled).toBeLessThan(20);
    const small = new Request("http://auterity.test/", { method: "POST", body: "<adf/>" });
    expect(new TextDecoder().decode(await readBodyLimited(small, 10))).toBe("<adf/>");
  });

  it("answers 400 validation_failed with {path, message} details for what cannot be a lead", async () => {
    const before = await leadCount(t.tenantId);
    const details = z.object({ error: z.object({ details: z.array(z.object({ path: z.string(), message: z.string() })) }) });
    const cases: [string, string | null, string][] = [
      ["not xml at all", "application/xml", "(root)"],
      ["<html><body>Buy a car</body></html>", "text/html", "adf.prospect"],
      [adf({ customer: "<customer><contact><email>nope</email></contact></customer>" }), "application/xml", "adf.prospect.customer.contact"],
      ["From: a@b.example\r\nSubject: hi\r\n\r\nNo lead in here.", "message/rfc822", "(email)"],
      ["", "application/xml", "(body)"],
    ];
    for (const [body, contentType, path] of cases) {
      const reply = await postLead(body, { key: leadsKey, contentType });
      expect(expectError(reply, 400, "validation_failed")).toMatch(/^This is not a lead: /);
      expect(details.parse(reply.body).error.details[0]?.path).toBe(path);
    }
    expect(await leadCount(t.tenantId)).toBe(before);
  });
});
