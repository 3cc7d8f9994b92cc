import { env, exports } from "cloudflare:workers";
import { runInDurableObject } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { users } from "../../d1/schema";
import { LiveHub } from "../../durable-objects/live-hub";
import { makeDb } from "../../workers/db";
import { createTestKey, createTestTenant } from "../helpers/fixtures";
import { createTestUser, expectError, type Reply } from "../api/helpers";
import { acceptLive, closeOpenSockets, hub, liveTenant, openLive, requestLive, runUpdated, send } from "./helpers";

afterEach(closeOpenSockets);

async function replyOf(res: Response): Promise<Reply> {
  expect(res.webSocket).toBeNull();
  return { status: res.status, body: await res.json(), res };
}

describe("GET /api/v1/live: refusals happen before any upgrade", () => {
  it("answers 426 with the platform error body to a request that is not a WebSocket upgrade", async () => {
    const t = await createTestTenant();
    const res = await requestLive({ upgrade: false, query: `?access_token=${t.adminKey}` });
    expect(expectError(await replyOf(res), 426, "upgrade_required")).toMatch(/WebSocket/);
  });

  it("refuses a socket without a token with 401", async () => {
    expectError(await replyOf(await requestLive()), 401, "unauthorized");
    expectError(await replyOf(await requestLive({ query: "?access_token=", protocols: ["bearer."] })), 401, "unauthorized");
  });

  it("refuses a forged access token and an unknown API key with 401", async () => {
    expectError(await replyOf(await requestLive({ protocols: ["bearer.eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl"] })), 401, "invalid_token");
    const unknownKey = `sk-aut-${"x".repeat(44)}`;
    expectError(await replyOf(await requestLive({ query: `?access_token=${unknownKey}` })), 401, "invalid_api_key");
  });

  it("refuses a gateway-scoped API key: it may only call the gateway", async () => {
    const t = await createTestTenant();
    expectError(await replyOf(await requestLive({ protocols: [`bearer.${t.gatewayKey}`] })), 403, "insufficient_scope");
  });

  it("refuses a user who has been disabled since the token was issued", async () => {
    const t = await createTestTenant();
    const user = await createTestUser(t.tenantId, "viewer");
    await makeDb(env.DB).update(users).set({ status: "disabled" }).where(eq(users.id, user.id));
    expectError(await replyOf(await requestLive({ protocols: [`bearer.${user.accessToken}`] })), 401, "invalid_token");
  });
});

describe("GET /api/v1/live: accepted sockets", () => {
  it("accepts a user's access token offered as a subprotocol and echoes that protocol back", async () => {
    const t = await createTestTenant();
    const viewer = await createTestUser(t.tenantId, "viewer");
    const protocol = `bearer.${viewer.accessToken}`;
    const { res } = await acceptLive(await requestLive({ protocols: ["auterity.live.v1", protocol] }));
    expect(res.headers.get("sec-websocket-protocol")).toBe(protocol);
  });

  it("accepts an admin key from ?access_token= and a workflows key from the subprotocol", async () => {
    const t = await createTestTenant();
    const byQuery = await acceptLive(await requestLive({ query: `?access_token=${t.adminKey}` }));
    expect(byQuery.res.headers.get("sec-websocket-protocol")).toBeNull();
    const workflows = await createTestKey(t.tenantId, ["workflows"]);
    const socket = await openLive(workflows.key);
    expect(await send(socket, { type: "ping" })).toEqual({ type: "pong" });
    await vi.waitFor(async () => expect(await hub(t.tenantId).connections()).toBe(2));
  });

  it("counts open sockets, and a closed one stops counting", async () => {
    const t = await liveTenant();
    const a = await openLive(t.token);
    await openLive(t.token);
    expect(await hub(t.tenantId).connections()).toBe(2);
    a.ws.close(1000, "bye");
    await vi.waitFor(async () => expect(await hub(t.tenantId).connections()).toBe(1));
    expect(await hub(t.tenantId).publish({ ...runUpdated("run_1"), at: 1 })).toBe(1);
  });

  it("closes a socket over the tenant's limit with 1013 and keeps the ones already open", async () => {
    const t = await liveTenant();
    await runInDurableObject(hub(t.tenantId), (instance: LiveHub) => {
      instance.socketLimit = 1;
    });
    const first = await openLive(t.token);
    const second = await openLive(t.token);
    const closed = await second.inbox.closedWith();
    expect(closed.code).toBe(1013);
    expect(closed.reason).toMatch(/Too many live connections/);
    expect(await send(first, { type: "ping" })).toEqual({ type: "pong" });
    expect(await hub(t.tenantId).connections()).toBe(1);
  });
});

describe("GET /api/v1/live in the OpenAPI document", () => {
  it("documents the upgrade: 101, 426, the bearer scheme and the access_token query parameter", async () => {
    const res = await exports.default.fetch("http://auterity.test/api/v1/openapi.json");
    const Op = z.object({
      security: z.array(z.record(z.string(), z.array(z.string()))),
      parameters: z.array(z.object({ name: z.string(), in: z.string() })),
      responses: z.record(z.string(), z.unknown()),
    });
    const doc = z.object({ paths: z.record(z.string(), z.record(z.string(), z.unknown())) }).parse(await res.json());
    const op = Op.parse(doc.paths["/live"]?.get);
    expect(op.security).toEqual([{ bearer: [] }]);
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(["101", "401", "403", "426"]));
    expect(op.parameters).toContainEqual({ name: "access_token", in: "query" });
  });
});
