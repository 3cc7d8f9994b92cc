/**
 * /api/v1/leads: listing and filtering, one lead with its parsed ADF, the raw ADF, and
 * marking a lead contacted (idempotent, audited, publishes lead.contacted).
 */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { AdfLeadSchema } from "../../workers/leads/adf/parse";
import { recordLeadContact } from "../../workers/leads/contact";
import { makeDb } from "../../workers/db";
import { call, createTestUser, expectError, expectOk, type TestUser, WithId } from "../api/helpers";
import { createTestKey, createTestTenant, type TestTenant } from "../helpers/fixtures";
import { createEndpoint, partnerName, received, RecordingQueue } from "../webhooks/helpers";
import { adf, Intake, postLead, samples } from "./helpers";

const Summary = z.object({
  id: z.string(),
  rooftopId: z.string().nullable(),
  source: z.string(),
  provider: z.string().nullable(),
  status: z.enum(["new", "contacted"]),
  customer: z.object({ name: z.string().nullable(), email: z.string().nullable(), phone: z.string().nullable() }),
  vehicle: z.object({ year: z.number().nullable(), make: z.string().nullable(), model: z.string().nullable(), vin: z.string().nullable() }).nullable(),
  comments: z.string().nullable(),
  createdAt: z.number(),
  contactedAt: z.number().nullable(),
});
const Page = z.object({ data: z.array(Summary), nextCursor: z.string().nullable() });
const Detail = Summary.extend({
  externalId: z.object({ value: z.string(), source: z.string().nullable() }).nullable(),
  lead: AdfLeadSchema,
  warnings: z.array(z.string()),
  contact: z.object({ at: z.number(), channel: z.string().nullable(), by: z.string().nullable(), note: z.string().nullable() }).nullable(),
});

let t: TestTenant;
let member: TestUser;
let viewer: TestUser;
let dana: string;
let messy: string;
let lot: string;

async function post(xml: string, query = ""): Promise<string> {
  return expectOk(await postLead(xml, { key: t.adminKey, query }), 201, Intake).leadId;
}

beforeAll(async () => {
  t = await createTestTenant("Leads API Motors");
  member = await createTestUser(t.tenantId, "member");
  viewer = await createTestUser(t.tenantId, "viewer");
  lot = expectOk(await call("POST", "/rooftops", { token: t.adminKey, body: { kind: "rooftop", name: "North Lot" } }), 201, WithId).id;
  dana = await post(samples.newLead);
  messy = await post(samples.messyLead, `?rooftop=${lot}`);
  for (let i = 0; i < 3; i++) await post(adf());
});

describe("GET /leads", () => {
  it("lists the tenant's leads newest first, as summaries", async () => {
    const page = expectOk(await call("GET", "/leads", { token: viewer.accessToken }), 200, Page);
    expect(page.data).toHaveLength(5);
    expect(page.nextCursor).toBeNull();
    const times = page.data.map((l) => l.createdAt);
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(page.data.find((l) => l.id === dana)).toEqual({
      id: dana,
      rooftopId: null,
      source: "adf",
      provider: "AutoTrader",
      status: "new",
      customer: { name: "Dana Reyes", email: "dana.reyes@example.com", phone: "(555) 013-2468" },
      vehicle: { year: 2024, make: "Toyota", model: "RAV4", vin: "2T3P1RFV8RC123456" },
      comments: expect.stringContaining("test drive"),
      createdAt: expect.any(Number),
      contactedAt: null,
    });
  });

  it("pages with limit and cursor, without repeats or gaps", async () => {
    const seen: string[] = [];
    let cursor: string | null = "";
    while (cursor !== null) {
      const page: z.infer<typeof Page> = expectOk(await call("GET", `/leads?limit=2${cursor ? `&cursor=${cursor}` : ""}`, { token: member.accessToken }), 200, Page);
      expect(page.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.data.map((l) => l.id));
      cursor = page.nextCursor;
    }
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(5);
  });

  it("filters by rooftop, status and time", async () => {
    const byRooftop = expectOk(await call("GET", `/leads?rooftopId=${lot}`, { token: member.accessToken }), 200, Page);
    expect(byRooftop.data.map((l) => l.id)).toEqual([messy]);
    const future = expectOk(await call("GET", `/leads?since=${new Date(Date.now() + 60_000).toISOString()}`, { token: member.accessToken }), 200, Page);
    expect(future.data).toEqual([]);
    const past = expectOk(await call("GET", "/leads?since=0&status=new", { token: member.accessToken }), 200, Page);
    expect(past.data.length).toBeGreaterThanOrEqual(4);
    expect(past.data.every((l) => l.status === "new")).toBe(true);
  });

  it("refuses bad filters and cursors with 400", async () => {
    for (const query of ["status=lost", "limit=0", "limit=500", "since=yesterday", "cursor=not-a-cursor"]) {
      expectError(await call("GET", `/leads?${query}`, { token: member.accessToken }), 400, "validation_failed");
    }
  });

  it("needs a signed-in user or an admin/workflows key", async () => {
    expectError(await call("GET", "/leads"), 401, "unauthorized");
    expectError(await call("GET", "/leads", { token: t.gatewayKey }), 403, "insufficient_scope");
    const workflows = await createTestKey(t.tenantId, ["workflows"]);
    expectOk(await call("GET", "/leads", { token: workflows.key }), 200, Page);
  });
});

describe("GET /leads/{id} and /adf", () => {
  it("shows the lead as parsed, with its warnings", async () => {
    const lead = expectOk(await call("GET", `/leads/${messy}`, { token: viewer.accessToken }), 200, Detail);
    expect(lead.rooftopId).toBe(lot);
    expect(lead.lead.customer.name).toBe("Marcus O'Neil");
    expect(lead.lead.vehicles[0]).toMatchObject({ interest: "test-drive", status: "used", odometer: 31204 });
    expect(lead.warnings).toContain("an '&' that starts no entity was read as text");
    expect(lead.contact).toBeNull();
    const clean = expectOk(await call("GET", `/leads/${dana}`, { token: viewer.accessToken }), 200, Detail);
    expect(clean.externalId).toEqual({ value: "AT-2024-0517-88412", source: "AutoTrader" });
    expect(clean.lead).toMatchObject({ status: "new", requestDate: "2024-05-17T15:30:00.000Z", vendor: { name: "Sunrise Toyota" }, provider: { name: "AutoTrader" } });
  });

  it("serves the ADF as received as application/xml", async () => {
    const reply = await call("GET", `/leads/${dana}/adf`, { token: viewer.accessToken });
    expect(reply.status).toBe(200);
    expect(reply.res.headers.get("content-type")).toMatch(/^application\/xml/);
    expect(reply.body).toBe(samples.newLead);
  });

  it("answers 404 for a lead that does not exist, or whose ADF is gone", async () => {
    expectError(await call("GET", "/leads/lead_missing", { token: viewer.accessToken }), 404, "not_found");
    expectError(await call("GET", "/leads/lead_missing/adf", { token: viewer.accessToken }), 404, "not_found");
    const id = await post(adf());
    await env.FILES.delete(`leads/${t.tenantId}/${id}.xml`);
    expect(expectError(await call("GET", `/leads/${id}/adf`, { token: viewer.accessToken }), 404, "not_found")).toMatch(/not stored/);
  });
});

describe("POST /leads/{id}/contacted", () => {
  it("marks the lead contacted, audits it and publishes lead.contacted to partners", async () => {
    const name = partnerName("contacted");
    await createEndpoint(t.adminKey, name, { eventTypes: ["lead.contacted"] });
    const id = await post(adf());
    const lead = expectOk(await call("POST", `/leads/${id}/contacted`, { token: member.accessToken, body: { channel: "phone", note: "Left a voicemail, then reached her" } }), 200, Detail);
    expect(lead).toMatchObject({ status: "contacted", contactedAt: expect.any(Number), contact: { channel: "phone", by: member.id, note: "Left a voicemail, then reached her" } });
    await vi.waitFor(async () => expect(await received(name)).toHaveLength(1), { timeout: 15_000, interval: 200 });
    const body = z.looseObject({ type: z.string(), data: z.unknown() }).parse(JSON.parse((await received(name))[0]?.body ?? "{}"));
    expect(body).toEqual({ type: "lead.contacted", timestamp: expect.any(String), data: { leadId: id, channel: "phone", by: "user", userId: member.id } });
    const audit = expectOk(await call("GET", `/audit?resourceType=lead&resourceId=${id}`, { token: t.adminKey }), 200, z.object({ data: z.array(z.object({ action: z.string(), actorId: z.string().nullable() })) }));
    expect(audit.data).toEqual([expect.objectContaining({ action: "lead.contacted", actorId: member.id })]);
    expect(expectOk(await call("GET", "/leads?status=contacted", { token: member.accessToken }), 200, Page).data.map((l) => l.id)).toContain(id);
  });

  it("is idempotent: a second report changes nothing and publishes nothing", async () => {
    const id = await post(adf());
    const queue = new RecordingQueue();
    const deps = { db: makeDb(env.DB), tenantId: t.tenantId, env: { ...env, EVENTS_QUEUE: queue }, now: () => 1_000 };
    const first = await recordLeadContact(deps, id, { channel: "sms", note: null, by: "usr_1", userId: "usr_1" });
    const second = await recordLeadContact({ ...deps, now: () => 2_000 }, id, { channel: "email", note: "again", by: "usr_2", userId: "usr_2" });
    expect(first.changed).toBe(true);
    expect(second).toMatchObject({ changed: false, row: { contactedAt: 1_000, contactedChannel: "sms", contactedBy: "usr_1" } });
    expect(queue.sent).toHaveLength(1);
    const again = expectOk(await call("POST", `/leads/${id}/contacted`, { token: member.accessToken, body: { channel: "chat" } }), 200, Detail);
    expect(again.contact).toEqual({ at: 1_000, channel: "sms", by: "usr_1", note: null });
  });

  it("is how a CRM with a workflows key reports contact (no user id)", async () => {
    const id = await post(adf());
    const crm = await createTestKey(t.tenantId, ["workflows"]);
    const lead = expectOk(await call("POST", `/leads/${id}/contacted`, { token: crm.key, body: { channel: "email" } }), 200, Detail);
    expect(lead.contact).toMatchObject({ channel: "email", by: crm.id, note: null });
  });

  it("refuses viewers, bad bodies and unknown leads", async () => {
    const id = await post(adf());
    expectError(await call("POST", `/leads/${id}/contacted`, { token: viewer.accessToken, body: { channel: "phone" } }), 403, "forbidden");
    expectError(await call("POST", `/leads/${id}/contacted`, { token: member.accessToken, body: { channel: "fax" } }), 400, "validation_failed");
    expectError(await call("POST", `/leads/${id}/contacted`, { token: member.accessToken, body: { channel: "phone", extra: 1 } }), 400, "validation_failed");
    expectError(await call("POST", `/leads/${id}/contacted`, { token: member.accessToken, body: { channel: "phone", note: "x".repeat(2001) } }), 400, "validation_failed");
    expectError(await call("POST", `/leads/${id}/contacted`, { token: member.accessToken, raw: "channel=phone", contentType: "application/x-www-form-urlencoded" }), 415, "unsupported_media_type");
    expectError(await call("POST", "/leads/lead_missing/contacted", { token: member.accessToken, body: { channel: "phone" } }), 404, "not_found");
    expect(expectOk(await call("GET", `/leads/${id}`, { token: member.accessToken }), 200, Detail).status).toBe("new");
  });
});
