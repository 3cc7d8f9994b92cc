/**
 * Signatures a partner verifies with the `standardwebhooks` package unchanged, including
 * during a secret rotation, when both secrets sign.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { Webhook } from "standardwebhooks";
import { z } from "zod";
import { fromBase64 } from "../../workers/lib/crypto";
import { generateSecret, signatureHeader, webhookHeaders } from "../../workers/webhooks/signing";
import { call, expectOk } from "../api/helpers";
import { createTestTenant, type TestTenant } from "../helpers/fixtures";
import { configurePartner, createEndpoint, Harness, partnerName, received, type Received, WithSecret } from "./helpers";

const headersOf = (r: Received) => ({ "webhook-id": r.webhookId ?? "", "webhook-timestamp": String(r.timestamp), "webhook-signature": r.signature ?? "" });
const verifies = (secret: string, r: Received) => {
  try {
    new Webhook(secret).verify(r.body, headersOf(r));
    return true;
  } catch {
    return false;
  }
};

describe("signing", () => {
  it("makes whsec_ secrets of 32 random bytes", () => {
    const a = generateSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(fromBase64(a.slice(6)).byteLength).toBe(32);
    expect(generateSecret()).not.toBe(a);
  });

  it("signs exactly as the standardwebhooks package does", async () => {
    const secret = generateSecret();
    const body = JSON.stringify({ type: "lead.created", timestamp: "2026-03-01T10:00:00.000Z", data: { leadId: "lead_1" } });
    const ts = Math.floor(Date.now() / 1000);
    const headers = await webhookHeaders([secret], "msg_abc", ts, body);
    expect(headers["webhook-signature"]).toBe(new Webhook(secret).sign("msg_abc", new Date(ts * 1000), body));
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => new Webhook(generateSecret()).verify(body, headers)).toThrow("No matching signature found");
    expect(() => new Webhook(secret).verify(`${body} `, headers)).toThrow("No matching signature found");
  });

  it("puts one signature per secret in the header, space-separated", async () => {
    const [a, b] = [generateSecret(), generateSecret()];
    const header = await signatureHeader([a, b], "msg_x", 1_700_000_000, "{}");
    expect(header.split(" ")).toHaveLength(2);
    expect(header.split(" ").every((s) => s.startsWith("v1,"))).toBe(true);
  });
});

describe("deliveries verify with standardwebhooks", () => {
  let tenant: TestTenant;
  beforeEach(async () => {
    tenant = await createTestTenant("Signed Motors");
  });

  it("a delivered webhook verifies unchanged, with the Standard Webhooks body", async () => {
    const name = partnerName("verify");
    const ep = await createEndpoint(tenant.adminKey, name);
    const h = new Harness();
    const event = await h.publish(tenant.tenantId, "lead.contacted", { leadId: "lead_9", channel: "sms", by: "ai" });
    await h.drain();
    const [r] = await received(name);
    expect(r).toMatchObject({ signatureValid: true, verified: true, type: "lead.contacted" });
    const payload = new Webhook(ep.secret).verify(r!.body, headersOf(r!));
    expect(payload).toEqual({ type: "lead.contacted", timestamp: new Date(event.occurredAt).toISOString(), data: { leadId: "lead_9", channel: "sms", by: "ai" } });
    expect(r!.webhookId).toMatch(/^msg_/);
    expect(r!.timestamp).toBe(Math.floor(h.now / 1000));
  });

  it("during a rotation both secrets sign; after the grace period only the new one", async () => {
    const name = partnerName("rotate");
    const ep = await createEndpoint(tenant.adminKey, name);
    const rotated = expectOk(await call("POST", `/webhooks/endpoints/${ep.id}/rotate-secret`, { token: tenant.adminKey, body: { graceSeconds: 3600 } }), 200, WithSecret);
    expect(rotated.secret).not.toBe(ep.secret);
    expect(rotated.previousSecretExpiresAt).toBeGreaterThan(Date.now());
    await configurePartner(name, { secrets: [rotated.secret] });

    const h = new Harness();
    await h.publish(tenant.tenantId, "lead.created", { leadId: "lead_1", source: "web" });
    await h.drain();
    h.now = rotated.previousSecretExpiresAt! + 1;
    await h.publish(tenant.tenantId, "lead.created", { leadId: "lead_2", source: "web" });
    await h.drain();

    const [during, after] = await received(name);
    expect(during!.signature!.split(" ")).toHaveLength(2);
    expect(after!.signature!.split(" ")).toHaveLength(1);
    expect([verifies(ep.secret, during!), verifies(rotated.secret, during!)]).toEqual([true, true]);
    expect(after!.signatureValid).toBe(true);
    expect(verifies(ep.secret, { ...after!, timestamp: Math.floor(Date.now() / 1000) })).toBe(false);
  });

  it("a rotation with no grace period retires the old secret at once", async () => {
    const name = partnerName("rotate0");
    const ep = await createEndpoint(tenant.adminKey, name);
    const rotated = expectOk(await call("POST", `/webhooks/endpoints/${ep.id}/rotate-secret`, { token: tenant.adminKey, body: { graceSeconds: 0 } }), 200, WithSecret);
    expect(rotated.previousSecretExpiresAt).toBeNull();
    await configurePartner(name, { secrets: [ep.secret] }); // the partner has not switched yet
    const h = new Harness();
    await h.publish(tenant.tenantId, "lead.created", { leadId: "lead_1", source: "web" });
    await h.drain();
    const [r] = await received(name);
    expect(r).toMatchObject({ signatureValid: false, answered: 401 });
    expect(verifies(rotated.secret, r!)).toBe(true);
    expect(z.string().parse(r!.signature).split(" ")).toHaveLength(1);
  });
});
