/**
 * The event catalog and publishEvent: every type has a schema and an example, publishing
 * refuses what the catalog does not describe, and a published event reaches a partner
 * through the real queues.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { AppError } from "../../workers/errors";
import { eventDataSchema, EVENT_TYPES, listEventCatalog } from "../../workers/events/catalog";
import { publishEvent } from "../../workers/events/publish";
import { call, expectError, expectOk } from "../api/helpers";
import { createTestTenant } from "../helpers/fixtures";
import { createTestUser } from "../api/helpers";
import { createEndpoint, partnerName, received, RecordingQueue } from "./helpers";

const ISSUE_TYPES = ["lead.created", "lead.replied", "lead.contacted", "workflow.run.completed", "workflow.run.failed", "budget.threshold", "training.job.succeeded", "model.version.promoted", "endpoint.disabled"];
const Entry = z.object({ type: z.string(), description: z.string().min(10), schema: z.object({ type: z.literal("object"), properties: z.record(z.string(), z.unknown()) }), example: z.record(z.string(), z.unknown()) });

describe("event catalog", () => {
  it("lists every event type the platform emits, each with a JSON Schema and an example that fits it", () => {
    const catalog = listEventCatalog();
    expect(catalog.map((e) => e.type)).toEqual(EVENT_TYPES);
    expect(EVENT_TYPES).toEqual(expect.arrayContaining(ISSUE_TYPES));
    for (const entry of catalog) {
      Entry.parse(entry);
      expect(eventDataSchema(entry.type).safeParse(entry.example).success, entry.type).toBe(true);
      const required = z.array(z.string()).parse(entry.schema.required ?? []);
      for (const field of required) expect(entry.example, `${entry.type}.${field}`).toHaveProperty(field);
    }
  });

  it("is listable through the API", async () => {
    const tenant = await createTestTenant("Catalog Readers");
    const viewer = await createTestUser(tenant.tenantId, "viewer");
    const list = expectOk(await call("GET", "/events/types", { token: viewer.accessToken }), 200, z.object({ data: z.array(Entry) }));
    expect(list.data.map((e) => e.type)).toEqual(EVENT_TYPES);
    const one = expectOk(await call("GET", "/events/types/budget.threshold", { token: tenant.adminKey }), 200, Entry);
    expect(one.schema.properties).toHaveProperty("thresholdPercent");
    expectError(await call("GET", "/events/types/lead.exploded", { token: tenant.adminKey }), 404, "not_found");
    expectError(await call("GET", "/events/types/constructor", { token: tenant.adminKey }), 404, "not_found");
    expectError(await call("GET", "/events/types"), 401, "unauthorized");
  });
});

describe("publishEvent", () => {
  const withQueue = () => {
    const queue = new RecordingQueue();
    return { queue, env: { ...env, EVENTS_QUEUE: queue } };
  };

  it("stamps an id and a time and sends the event to the events queue", async () => {
    const { queue, env: e } = withQueue();
    const before = Date.now();
    await publishEvent(e, { tenantId: "ten_1", type: "budget.threshold", data: { budgetId: "bud_1", scope: "tenant", window: "month", thresholdPercent: 80, spentNanoUsd: 8, limitNanoUsd: 10, extra: "kept" } });
    expect(queue.sent).toHaveLength(1);
    const sent = z.object({ id: z.string(), tenantId: z.string(), type: z.string(), data: z.record(z.string(), z.unknown()), occurredAt: z.number() }).parse(queue.sent[0]!.body);
    expect(sent.id).toMatch(/^evt_[A-Za-z0-9]{20}$/);
    expect(sent).toMatchObject({ tenantId: "ten_1", type: "budget.threshold", data: { thresholdPercent: 80, extra: "kept" } });
    expect(sent.occurredAt).toBeGreaterThanOrEqual(before);
  });

  it("refuses a type outside the catalog and data that does not fit its schema", async () => {
    const { queue, env: e } = withQueue();
    const unknown = publishEvent(e, { tenantId: "ten_1", type: "lead.deleted", data: {} });
    await expect(unknown).rejects.toBeInstanceOf(AppError);
    await expect(unknown).rejects.toMatchObject({ code: "validation_failed", message: 'Unknown event type "lead.deleted"' });
    const bad = publishEvent(e, { tenantId: "ten_1", type: "budget.threshold", data: { budgetId: "bud_1", scope: "galaxy" } });
    await expect(bad).rejects.toMatchObject({ code: "validation_failed", message: 'Invalid data for event "budget.threshold"' });
    expect(queue.sent).toHaveLength(0);
  });

  it("reaches a subscribed partner through the real queues", async () => {
    const tenant = await createTestTenant("Live Queue Motors");
    const name = partnerName("live");
    await createEndpoint(tenant.adminKey, name, { eventTypes: ["model.version.promoted"] });
    await publishEvent(env, { tenantId: tenant.tenantId, type: "model.version.promoted", data: { modelId: "mdl_1", versionId: "mv_2", alias: "champion", previousVersionId: null } });
    await vi.waitFor(async () => expect(await received(name)).toHaveLength(1), { timeout: 15_000, interval: 200 });
    const [r] = await received(name);
    expect(r).toMatchObject({ type: "model.version.promoted", signatureValid: true, verified: true, answered: 200 });
  });
});
