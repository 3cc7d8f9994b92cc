/**
 * How delivery treats a receiver that misbehaves: 410 disables the endpoint, 5 days
 * without a success disables it, a stalled receiver times out, a redirect is a failure,
 * only 1 KB of an answer is kept, and production refuses local targets at send time.
 */
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { platformEventSchema } from "../../workers/events/publish";
import { call, expectOk } from "../api/helpers";
import { createTestTenant, type TestTenant } from "../helpers/fixtures";
import { attemptsOf, configurePartner, createEndpoint, EndpointBody, Harness, messagesOf, partnerName, received } from "./helpers";

const DAY = 24 * 3600 * 1000;
let tenant: TestTenant;
beforeEach(async () => {
  tenant = await createTestTenant("Flaky Partners");
});

const lead = { leadId: "lead_1", source: "adf" };
const getEndpoint = async (id: string) => expectOk(await call("GET", `/webhooks/endpoints/${id}`, { token: tenant.adminKey }), 200, EndpointBody);
const published = (h: Harness) => h.eventsQueue.take().map((s) => platformEventSchema.parse(s.body));

describe("delivery failures", () => {
  it("410 Gone disables the endpoint at once, announces endpoint.disabled and audits it", async () => {
    const goneName = partnerName("gone");
    const watcherName = partnerName("watcher");
    const gone = await createEndpoint(tenant.adminKey, goneName);
    const watcher = await createEndpoint(tenant.adminKey, watcherName, { eventTypes: ["endpoint.disabled"] });
    await configurePartner(goneName, { mode: "gone" });
    const h = new Harness();
    await h.publish(tenant.tenantId, "lead.created", lead);
    await h.publish(tenant.tenantId, "lead.created", { ...lead, leadId: "lead_2" });
    await h.drain();

    expect(await getEndpoint(gone.id)).toMatchObject({ status: "disabled", disabledReason: "gone" });
    expect((await messagesOf(gone.id)).map((m) => [m.status, m.attempts])).toEqual([["failed", 1], ["failed", 1]]);
    expect(h.pending).toHaveLength(0); // no retries to a gone endpoint
    const events = published(h);
    expect(events).toHaveLength(1); // announced once, although both messages saw the 410
    expect(events[0]).toMatchObject({ tenantId: tenant.tenantId, type: "endpoint.disabled", data: { endpointId: gone.id, reason: "gone", url: gone.url, lastSuccessAt: null } });

    await h.runEvents(events);
    await h.drain();
    const seen = await received(watcherName);
    expect(seen.map((r) => r.type)).toEqual(["endpoint.disabled"]);
    const audit = await call("GET", `/audit?resourceId=${gone.id}&action=webhook_endpoint.disabled`, { token: tenant.adminKey });
    expect(JSON.stringify(audit.body)).toContain('"actorType":"system"');
  });

  it("an endpoint with no success for 5 days is disabled", async () => {
    const name = partnerName("failing");
    const ep = await createEndpoint(tenant.adminKey, name);
    const h = new Harness();
    await h.publish(tenant.tenantId, "lead.created", lead);
    await h.drain();
    await configurePartner(name, { mode: "fail" });
    const firstFailure = (h.now += DAY);
    await h.publish(tenant.tenantId, "lead.created", { ...lead, leadId: "lead_2" });
    await h.drain();
    expect(await getEndpoint(ep.id)).toMatchObject({ status: "enabled", failingSince: firstFailure });

    h.now = firstFailure + 5 * DAY - 60_000;
    await h.publish(tenant.tenantId, "lead.created", { ...lead, leadId: "lead_3" });
    await h.drain();
    expect((await getEndpoint(ep.id)).status).toBe("enabled");
    expect(published(h)).toHaveLength(0);

    h.now = firstFailure + 5 * DAY;
    await h.publish(tenant.tenantId, "lead.created", { ...lead, leadId: "lead_4" });
    await h.drain();
    const after = await getEndpoint(ep.id);
    expect(after).toMatchObject({ status: "disabled", disabledReason: "failing" });
    expect(published(h).map((e) => e.data)).toEqual([{ endpointId: ep.id, url: ep.url, reason: "failing", lastSuccessAt: new Date(after.lastSuccessAt!).toISOString() }]);

    // Jobs still queued for the disabled endpoint are not attempted; the messages wait as failed.
    const before = (await received(name)).length;
    while (h.pending.length > 0) await h.advance();
    expect((await received(name)).length).toBe(before);
    expect((await messagesOf(ep.id)).map((m) => m.status)).toEqual(["delivered", "failed", "failed", "failed"]);
  });

  it("a success resets the failure streak", async () => {
    const name = partnerName("recovers");
    const ep = await createEndpoint(tenant.adminKey, name);
    await configurePartner(name, { mode: "fail", times: 1 });
    const h = new Harness();
    await h.publish(tenant.tenantId, "lead.created", lead);
    await h.drain();
    expect((await getEndpoint(ep.id)).failingSince).toBe(h.now);
    await h.advance();
    expect(await getEndpoint(ep.id)).toMatchObject({ failingSince: null, lastSuccessAt: h.now });
  });

  it("a receiver that never answers times out and is retried", async () => {
    const name = partnerName("stall");
    const ep = await createEndpoint(tenant.adminKey, name);
    await configurePartner(name, { mode: "stall", times: 1 });
    const h = new Harness();
    h.deliveryOptions = { timeoutMs: 200 };
    await h.publish(tenant.tenantId, "lead.created", lead);
    await h.drain();
    const [m] = await messagesOf(ep.id);
    expect(m).toMatchObject({ status: "pending", attempts: 1, last_status_code: null, last_error: "timed out after 0.2 s" });
    await h.advance();
    expect((await messagesOf(ep.id))[0]).toMatchObject({ status: "delivered", attempts: 2 });
  });

  it("a redirect is a failure and is not followed", async () => {
    const name = partnerName("redirect");
    const ep = await createEndpoint(tenant.adminKey, name);
    await configurePartner(name, { mode: "redirect" });
    const h = new Harness();
    await h.publish(tenant.tenantId, "lead.created", lead);
    await h.drain();
    const [m] = await messagesOf(ep.id);
    expect(m).toMatchObject({ status: "pending", last_status_code: 302 });
    expect(m!.last_error).toMatch(/^redirects are not followed \(302 to \/partner\/.*-moved\)$/);
    expect(await received(`${name}-moved`)).toHaveLength(0);
  });

  it("logs each attempt with at most 1 KB of the answer", async () => {
    const name = partnerName("chatty");
    const ep = await createEndpoint(tenant.adminKey, name);
    await configurePartner(name, { mode: "fail", status: 500, replyBytes: 5000, times: 1 });
    const h = new Harness();
    await h.publish(tenant.tenantId, "lead.created", lead);
    await h.drain();
    await h.advance();
    const [m] = await messagesOf(ep.id);
    const attempts = await attemptsOf(m!.id);
    expect(attempts.map((a) => [a.attempt, a.status_code, a.error])).toEqual([[1, 500, "endpoint answered 500"], [2, 200, null]]);
    expect(attempts.map((a) => new TextEncoder().encode(a.response_snippet ?? "").byteLength)).toEqual([1024, 1024]);
    expect(attempts[0]!.response_snippet).toMatch(/^\{"error":"simulated failure","padding":"xxx/);
  });

  it("in production, a stored local or http URL is refused at send time without a request", async () => {
    const name = partnerName("ssrf");
    const ep = await createEndpoint(tenant.adminKey, name);
    const h = new Harness();
    Object.assign(h.env, { ENVIRONMENT: "production" });
    await h.publish(tenant.tenantId, "lead.created", lead);
    await h.drain();
    const [m] = await messagesOf(ep.id);
    expect(m).toMatchObject({ status: "pending", attempts: 1, last_status_code: null, last_error: "refused: webhook URLs must use https" });
    expect(await received(name)).toHaveLength(0);
    expect(env.ENVIRONMENT).toBe("test");
  });
});
