/**
 * Test events, the message log, resending one message and recovering a time window,
 * through the API and the real queues.
 */
import { beforeEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { call, expectError, expectOk } from "../api/helpers";
import { createTestTenant, type TestTenant } from "../helpers/fixtures";
import { configurePartner, createEndpoint, EndpointBody, Harness, messagesOf, partnerName, received } from "./helpers";

const Message = z.object({ id: z.string(), endpointId: z.string(), eventType: z.string(), status: z.enum(["pending", "delivered", "failed"]), attempts: z.number(), createdAt: z.number() });
const Attempt = z.object({ attempt: z.number(), statusCode: z.number().nullable(), latencyMs: z.number(), responseSnippet: z.string().nullable(), error: z.string().nullable() });
const Detail = Message.extend({ payload: z.object({ type: z.string(), timestamp: z.string(), data: z.record(z.string(), z.unknown()) }), attempts: z.array(Attempt) });
const Page = z.object({ data: z.array(Message), next: z.string().nullable() });

let tenant: TestTenant;
beforeEach(async () => {
  tenant = await createTestTenant("Log Motors");
});

const api = (method: string, path: string, body?: unknown) => call(method, path, { token: tenant.adminKey, body });
const detail = async (id: string) => expectOk(await api("GET", `/webhooks/messages/${id}`), 200, Detail);
const waitFor = (check: () => Promise<void>) => vi.waitFor(check, { timeout: 15_000, interval: 200 });

describe("test events", () => {
  it("sends webhook.test to the endpoint, whatever its filter, and logs the attempt", async () => {
    const name = partnerName("test");
    const ep = await createEndpoint(tenant.adminKey, name, { eventTypes: ["lead.created"] });
    const msg = expectOk(await api("POST", `/webhooks/endpoints/${ep.id}/test`, {}), 201, Message);
    expect(msg).toMatchObject({ eventType: "webhook.test", status: "pending", attempts: 0 });
    await waitFor(async () => expect((await detail(msg.id)).status).toBe("delivered"));
    const d = await detail(msg.id);
    expect(d.payload).toMatchObject({ type: "webhook.test", data: { endpointId: ep.id } });
    expect(d.attempts).toEqual([expect.objectContaining({ attempt: 1, statusCode: 200, error: null, responseSnippet: '{"received":true}' })]);
    expect((await received(name)).map((r) => [r.webhookId, r.type, r.verified])).toEqual([[msg.id, "webhook.test", true]]);
  });

  it("sends a catalog example on request, and refuses for a disabled endpoint", async () => {
    const name = partnerName("example");
    const ep = await createEndpoint(tenant.adminKey, name);
    const msg = expectOk(await api("POST", `/webhooks/endpoints/${ep.id}/test`, { eventType: "workflow.run.failed" }), 201, Message);
    await waitFor(async () => expect(await received(name)).toHaveLength(1));
    expect((await detail(msg.id)).payload.data).toMatchObject({ runId: "run_5Ty1", error: { code: "upstream_error" } });
    expectError(await api("POST", `/webhooks/endpoints/${ep.id}/test`, { eventType: "lead.exploded" }), 400, "validation_failed");
    await api("PATCH", `/webhooks/endpoints/${ep.id}`, { enabled: false });
    expectError(await api("POST", `/webhooks/endpoints/${ep.id}/test`, {}), 409, "conflict");
  });
});

describe("message log", () => {
  it("pages an endpoint's messages newest first and filters by status", async () => {
    const name = partnerName("log");
    const ep = await createEndpoint(tenant.adminKey, name);
    await configurePartner(name, { mode: "fail", times: 1 });
    const h = new Harness();
    for (let i = 0; i < 3; i++) {
      await h.publish(tenant.tenantId, "lead.created", { leadId: `lead_${i}`, source: "web" });
      h.now += 1000;
    }
    await h.drain();
    const first = expectOk(await api("GET", `/webhooks/endpoints/${ep.id}/messages?limit=2`), 200, Page);
    expect(first.data).toHaveLength(2);
    const second = expectOk(await api("GET", `/webhooks/endpoints/${ep.id}/messages?limit=2&cursor=${first.next}`), 200, Page);
    expect(second).toMatchObject({ next: null });
    const all = [...first.data, ...second.data];
    expect(all.map((m) => m.createdAt)).toEqual([...all.map((m) => m.createdAt)].sort((a, b) => b - a));
    expect(new Set(all.map((m) => m.id)).size).toBe(3);
    const pending = expectOk(await api("GET", `/webhooks/endpoints/${ep.id}/messages?status=pending`), 200, Page);
    expect(pending.data.map((m) => m.attempts)).toEqual([1]);
    const d = await detail(pending.data[0]!.id);
    expect(d.attempts).toEqual([expect.objectContaining({ attempt: 1, statusCode: 500, error: "endpoint answered 500" })]);
    expect(d.attempts[0]!.latencyMs).toBeGreaterThanOrEqual(0);
    expectError(await api("GET", `/webhooks/endpoints/${ep.id}/messages?cursor=nope`), 400, "validation_failed");
    expectError(await api("GET", `/webhooks/endpoints/${ep.id}/messages?limit=1000`), 400, "validation_failed");
    expectError(await api("GET", "/webhooks/messages/msg_missing"), 404, "not_found");
  });

  it("resends one message with the same webhook-id", async () => {
    const name = partnerName("resend");
    const ep = await createEndpoint(tenant.adminKey, name);
    const h = new Harness();
    await h.publish(tenant.tenantId, "lead.created", { leadId: "lead_1", source: "web" });
    await h.drain();
    const [row] = await messagesOf(ep.id);
    const resent = expectOk(await api("POST", `/webhooks/messages/${row!.id}/resend`), 202, Message);
    expect(resent).toMatchObject({ id: row!.id, status: "pending", attempts: 1 });
    await waitFor(async () => expect((await detail(row!.id)).attempts).toHaveLength(2));
    expect((await detail(row!.id)).status).toBe("delivered");
    expect((await received(name)).map((r) => r.webhookId)).toEqual([row!.id, row!.id]);
  });
});

describe("recover", () => {
  it("after a 410 disabled the endpoint, re-enabling and recovering a window delivers exactly those messages, ids unchanged", async () => {
    const name = partnerName("recover");
    const ep = await createEndpoint(tenant.adminKey, name);
    await configurePartner(name, { mode: "gone" });
    const h = new Harness();
    const times: number[] = [];
    for (let i = 0; i < 4; i++) {
      times.push(h.now);
      await h.publish(tenant.tenantId, "lead.created", { leadId: `lead_${i}`, source: "web" });
      h.now += 60_000;
    }
    await h.drain();
    const rows = await messagesOf(ep.id);
    expect(rows.map((r) => r.status)).toEqual(["failed", "failed", "failed", "failed"]);
    const window = { since: times[1]!, until: times[2]! };
    expectError(await api("POST", `/webhooks/endpoints/${ep.id}/recover`, window), 409, "conflict");

    await configurePartner(name, { mode: "ok" });
    expectOk(await api("PATCH", `/webhooks/endpoints/${ep.id}`, { enabled: true }), 200, EndpointBody);
    const done = expectOk(await api("POST", `/webhooks/endpoints/${ep.id}/recover`, window), 202, z.object({ recovered: z.number() }));
    expect(done.recovered).toBe(2);
    await waitFor(async () => expect((await messagesOf(ep.id)).map((r) => r.status)).toEqual(["failed", "delivered", "delivered", "failed"]));
    const ok = (await received(name)).filter((r) => r.answered === 200).map((r) => r.webhookId);
    expect(ok.sort()).toEqual([rows[1]!.id, rows[2]!.id].sort());
    expect(expectOk(await api("POST", `/webhooks/endpoints/${ep.id}/recover`, window), 202, z.object({ recovered: z.number() })).recovered).toBe(0);
  });

  it("refuses a window that ends before it starts", async () => {
    const ep = await createEndpoint(tenant.adminKey, partnerName("window"));
    expectError(await api("POST", `/webhooks/endpoints/${ep.id}/recover`, { since: 2000, until: 1000 }), 400, "validation_failed");
    expectError(await api("POST", `/webhooks/endpoints/${ep.id}/recover`, { since: 0, statuses: [] }), 400, "validation_failed");
    expectError(await api("POST", `/webhooks/endpoints/whe_missing/recover`, { since: 0 }), 404, "not_found");
  });
});
