/**
 * One lead, however often it arrives: duplicates and resends answer 200 and trigger
 * nothing; a resend of a lead never seen is stored; two posts at once store one lead; a
 * lead whose event never went out is published by its next copy.
 */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { expectOk } from "../api/helpers";
import { createTestKey, createTestTenant, type TestTenant } from "../helpers/fixtures";
import { RecordingQueue } from "../webhooks/helpers";
import { makeDb } from "../../workers/db";
import { intakeAdfLead, type IntakeDeps } from "../../workers/leads/intake";
import { PUBLISH_LEASE_MS } from "../../workers/leads/store";
import { adf, Intake, leadCount, leadRow, postLead, samples } from "./helpers";

let t: TestTenant;
let key: string;

beforeAll(async () => {
  t = await createTestTenant("Dedupe Motors");
  key = (await createTestKey(t.tenantId, ["leads"])).key;
});

const Event = z.object({ type: z.string(), tenantId: z.string(), data: z.object({ leadId: z.string() }).loose() });

/** Intake with the events queue recorded and the clock in the test's hands. */
function harness(tenantId: string, start = Date.now()) {
  const queue = new RecordingQueue();
  const deps: IntakeDeps & { clock: number } = { env: { ...env, EVENTS_QUEUE: queue }, db: makeDb(env.DB), clock: start, now: () => deps.clock };
  const post = (xml: string) => intakeAdfLead(deps, { tenantId, rooftopId: null, body: new TextEncoder().encode(xml), contentType: "application/xml" });
  const events = () => queue.sent.map((s) => Event.parse(s.body));
  return { deps, queue, post, events };
}

describe("duplicates and resends through the hook", () => {
  it("answers 201 the first time and 200 duplicate after, with the same lead id", async () => {
    const xml = adf();
    const first = expectOk(await postLead(xml, { key }), 201, Intake);
    const again = expectOk(await postLead(xml, { key }), 200, Intake);
    expect(again).toMatchObject({ leadId: first.leadId, status: "duplicate" });
  });

  it("answers a resend of a known lead with 200 duplicate", async () => {
    const tenant = await createTestTenant("Resend Motors");
    const first = expectOk(await postLead(samples.newLead, { key: tenant.adminKey }), 201, Intake);
    const resend = expectOk(await postLead(samples.resendLead, { key: tenant.adminKey }), 200, Intake);
    expect(resend).toMatchObject({ leadId: first.leadId, status: "duplicate" });
    expect(await leadCount(tenant.tenantId)).toBe(1);
  });

  it("stores a resend whose first copy never arrived, and says so", async () => {
    const tenant = await createTestTenant("Lost First Copy Motors");
    const reply = expectOk(await postLead(samples.resendLead, { key: tenant.adminKey }), 201, Intake);
    expect(reply.warnings).toContain("marked as a resend, but no earlier copy of this lead arrived here; stored as new");
    expect(await leadRow(reply.leadId)).toMatchObject({ status: "new" });
  });

  it("keeps tenants apart: the same ADF is a new lead in another tenant", async () => {
    const other = await createTestTenant("Other Group");
    const xml = adf();
    const mine = expectOk(await postLead(xml, { key }), 201, Intake);
    const theirs = expectOk(await postLead(xml, { key: other.adminKey }), 201, Intake);
    expect(theirs.leadId).not.toBe(mine.leadId);
  });

  it("stores one lead when two copies arrive at the same moment", async () => {
    const xml = adf();
    const before = await leadCount(t.tenantId);
    const replies = await Promise.all([postLead(xml, { key }), postLead(xml, { key }), postLead(xml, { key })]);
    const bodies = replies.map((r) => Intake.parse(r.body));
    expect(replies.map((r) => r.status).sort()).toEqual([200, 200, 201]);
    expect(new Set(bodies.map((b) => b.leadId)).size).toBe(1);
    expect(await leadCount(t.tenantId)).toBe(before + 1);
  });
});

describe("recognising a lead without a provider id", () => {
  const customer = (email: string, phone: string) => `<customer><contact><name>Sam  Ortiz</name><email>${email}</email><phone>${phone}</phone></contact></customer>`;

  it("sees the same person, vehicle and request time as one lead, however the contact is formatted", async () => {
    const first = expectOk(await postLead(adf({ id: null, customer: customer("sam@example.com", "(555) 010-4444") }), { key }), 201, Intake);
    const again = expectOk(await postLead(adf({ id: null, customer: customer("SAM@Example.com", "+1 555.010.4444") }), { key }), 200, Intake);
    expect(again.leadId).toBe(first.leadId);
    expect((await leadRow(first.leadId))?.dedupe_key).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it("sees another vehicle or another request time as another lead", async () => {
    const base = { id: null, customer: customer("sam2@example.com", "555 010 5555") };
    const a = expectOk(await postLead(adf(base), { key }), 201, Intake);
    const otherCar = expectOk(await postLead(adf({ ...base, vehicle: "<vehicle><year>2023</year><make>Kia</make><model>EV6</model></vehicle>" }), { key }), 201, Intake);
    const otherTime = expectOk(await postLead(adf({ ...base, requestDate: "2024-06-02T09:00:00Z" }), { key }), 201, Intake);
    expect(new Set([a.leadId, otherCar.leadId, otherTime.leadId]).size).toBe(3);
  });
});

describe("lead.created", () => {
  it("is published once for a new lead, with the contact, the vehicle wanted, the comments and the ADF", async () => {
    const h = harness(t.tenantId);
    const xml = adf({
      customer: '<customer><contact><name part="first">Dana</name><name part="last">Reyes</name><email>dana@example.com</email><phone>555 013 2468</phone></contact><comments>Available this weekend?</comments></customer>',
      vehicle: '<vehicle interest="trade-in" status="used"><year>2015</year><make>Honda</make><model>Civic</model></vehicle><vehicle interest="buy"><year>2024</year><make>Toyota</make><model>RAV4</model><vin>2T3P1RFV8RC123456</vin></vehicle>',
    });
    const created = await h.post(xml);
    expect(created.status).toBe("created");
    expect(h.queue.sent.map((s) => s.body)).toEqual([
      {
        type: "lead.created",
        tenantId: t.tenantId,
        id: expect.stringMatching(/^evt_/),
        occurredAt: expect.any(Number),
        data: {
          leadId: created.leadId,
          rooftopId: null,
          source: "adf",
          provider: "TestProvider",
          customer: { name: "Dana Reyes", email: "dana@example.com", phone: "555 013 2468" },
          vehicle: { year: 2024, make: "Toyota", model: "RAV4", vin: "2T3P1RFV8RC123456" },
          comments: "Available this weekend?",
          adf: xml,
        },
      },
    ]);
  });

  it("is not published again for a duplicate, a resend, or the same lead marked new again", async () => {
    const h = harness(t.tenantId);
    await h.post(samples.newLead.replace("AT-2024-0517-88412", "AT-TRIGGER-ONCE"));
    await h.post(samples.newLead.replace("AT-2024-0517-88412", "AT-TRIGGER-ONCE"));
    await h.post(samples.resendLead.replace("AT-2024-0517-88412", "AT-TRIGGER-ONCE"));
    expect(h.events()).toHaveLength(1);
  });

  it("goes out with the next copy when the request that stored the lead died before publishing", async () => {
    const h = harness(t.tenantId);
    const xml = adf();
    const first = await h.post(xml);
    // As if that request had crashed between storing the lead and publishing it.
    await env.DB.prepare("update leads set published_at = null where id = ?").bind(first.leadId).run();
    h.queue.take();
    const soon = await h.post(xml);
    expect(soon.status).toBe("duplicate");
    h.deps.clock += PUBLISH_LEASE_MS + 1;
    const later = await h.post(xml);
    expect(later).toMatchObject({ status: "created", leadId: first.leadId });
    expect(h.events().map((e) => [e.type, e.data.leadId])).toEqual([["lead.created", first.leadId]]);
    expect((await leadRow(first.leadId))?.published_at).toBe(h.deps.clock);
    expect((await h.post(xml)).status).toBe("duplicate");
  });
});
