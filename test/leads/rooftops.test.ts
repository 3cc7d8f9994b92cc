/**
 * Which rooftop a lead belongs to: the one named in ?rooftop=, else the rooftop whose name
 * is the ADF vendor's; and lead.created reaching a partner through the real queues.
 */
import { beforeAll, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { call, expectError, expectOk, WithId } from "../api/helpers";
import { createTestTenant, type TestTenant } from "../helpers/fixtures";
import { createEndpoint, partnerName, received } from "../webhooks/helpers";
import { adf, Intake, leadRow, postLead, samples } from "./helpers";

let t: TestTenant;
let toyota: string;
let honda: string;

async function rooftop(tenant: TestTenant, body: Record<string, unknown>): Promise<string> {
  return expectOk(await call("POST", "/rooftops", { token: tenant.adminKey, body }), 201, WithId).id;
}

async function rooftopOf(xml: string, query = ""): Promise<string | null> {
  const reply = expectOk(await postLead(xml, { key: t.adminKey, query }), 201, Intake);
  return (await leadRow(reply.leadId))?.rooftop_id ?? null;
}

beforeAll(async () => {
  t = await createTestTenant("Sunrise Auto Group");
  toyota = await rooftop(t, { kind: "rooftop", name: "Sunrise Toyota" });
  honda = await rooftop(t, { kind: "rooftop", name: "Sunrise Honda" });
  await rooftop(t, { kind: "department", name: "Sunrise Kia", parentId: honda });
});

describe("rooftop of a lead", () => {
  it("is the rooftop named like the ADF vendor, whatever the case and spacing", async () => {
    expect(await rooftopOf(samples.newLead)).toBe(toyota);
    expect(await rooftopOf(adf({ vendor: "  SUNRISE honda " }))).toBe(honda);
  });

  it("is null when no rooftop has the vendor's name (departments do not count)", async () => {
    expect(await rooftopOf(adf({ vendor: "Sunrise Kia" }))).toBeNull();
    expect(await rooftopOf(adf({ vendor: "Moonset Motors" }))).toBeNull();
  });

  it("is the one in ?rooftop= when given, whatever the vendor says", async () => {
    expect(await rooftopOf(adf({ vendor: "Sunrise Toyota" }), `?rooftop=${honda}`)).toBe(honda);
  });

  it("refuses a ?rooftop= the tenant does not have, another tenant's included", async () => {
    const other = await createTestTenant("Other Group");
    const theirs = await rooftop(other, { kind: "rooftop", name: "Sunrise Toyota" });
    const Details = z.object({ error: z.object({ details: z.array(z.object({ path: z.string() })) }) });
    for (const id of ["rft_doesnotexist", theirs]) {
      const reply = await postLead(adf(), { key: t.adminKey, query: `?rooftop=${id}` });
      expectError(reply, 400, "validation_failed");
      expect(Details.parse(reply.body).error.details[0]?.path).toBe("rooftop");
    }
    expectError(await postLead(adf(), { key: t.adminKey, query: `?rooftop=${"x".repeat(65)}` }), 400, "validation_failed");
  });
});

describe("lead.created through the real queues", () => {
  it("reaches the tenant's webhook endpoint with the lead, its rooftop and the ADF", async () => {
    const tenant = await createTestTenant("Webhook Motors");
    const lot = await rooftop(tenant, { kind: "rooftop", name: "Sunrise Toyota" });
    const name = partnerName("leads");
    await createEndpoint(tenant.adminKey, name, { eventTypes: ["lead.created"] });
    const reply = expectOk(await postLead(samples.newLead, { key: tenant.adminKey }), 201, Intake);
    await vi.waitFor(async () => expect(await received(name)).toHaveLength(1), { timeout: 15_000, interval: 200 });
    const [delivery] = await received(name);
    expect(delivery).toMatchObject({ type: "lead.created", signatureValid: true });
    const body = z.object({ type: z.string(), data: z.record(z.string(), z.unknown()) }).parse(JSON.parse(delivery?.body ?? "{}"));
    expect(body.data).toEqual({
      leadId: reply.leadId,
      rooftopId: lot,
      source: "adf",
      provider: "AutoTrader",
      customer: { name: "Dana Reyes", email: "dana.reyes@example.com", phone: "(555) 013-2468" },
      vehicle: { year: 2024, make: "Toyota", model: "RAV4", vin: "2T3P1RFV8RC123456" },
      comments: expect.stringContaining("test drive this weekend"),
      adf: samples.newLead,
    });
  });
});
