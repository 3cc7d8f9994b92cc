import { env } from "cloudflare:workers";
import { runInDurableObject } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import type { LiveHub } from "../../durable-objects/live-hub";
import { publishLive } from "../../workers/live/publish";
import { createTestTenant } from "../helpers/fixtures";
import { closeOpenSockets, hub, liveTenant, openLive, runUpdated, send } from "./helpers";

afterEach(closeOpenSockets);

describe("live delivery", () => {
  it("a connected dashboard receives a published run.updated as {type, at, data}", async () => {
    const t = await liveTenant();
    const socket = await openLive(t.token);
    expect(await publishLive(env, t.tenantId, runUpdated("run_a", "complete"), 1_767_225_601_000)).toBe(1);
    expect(await socket.inbox.next()).toEqual({
      type: "run.updated",
      at: 1_767_225_601_000,
      data: { runId: "run_a", workflowId: "wf_test", status: "complete", costNanoUsd: 1_500, updatedAt: 1_767_225_600_000 },
    });
  });

  it("delivers every message type to a socket on the default '*' subscription", async () => {
    const t = await liveTenant();
    const socket = await openLive(t.token);
    await publishLive(env, t.tenantId, { type: "step.updated", data: { runId: "run_s", stepId: "score", iteration: 0, status: "failed", attempts: 3, error: { code: "timeout", message: "took too long" } } });
    await publishLive(env, t.tenantId, { type: "approval.requested", data: { runId: "run_s", stepId: "approve", title: "Approve the trade-in offer" } });
    await publishLive(env, t.tenantId, { type: "training.updated", data: { jobId: "ftj_1", status: "running", progress: 0.4 } });
    await publishLive(env, t.tenantId, { type: "usage.recorded", data: { model: "gpt-4o-mini", provider: "openai", calls: 1, costNanoUsd: 900, tokens: 120 } });
    const types = [await socket.inbox.next(), await socket.inbox.next(), await socket.inbox.next(), await socket.inbox.next()].map((f) => f.type);
    expect(types).toEqual(["step.updated", "approval.requested", "training.updated", "usage.recorded"]);
  });

  it("a socket subscribed to run:<id> gets that run only, and unsubscribing stops it", async () => {
    const t = await liveTenant();
    const socket = await openLive(t.token);
    expect(await send(socket, { type: "unsubscribe", topics: ["*"] })).toEqual({ type: "subscribed", topics: [] });
    expect(await send(socket, { type: "subscribe", topics: ["run:run_mine"] })).toEqual({ type: "subscribed", topics: ["run:run_mine"] });
    expect(await publishLive(env, t.tenantId, runUpdated("run_other"))).toBe(0);
    expect(await publishLive(env, t.tenantId, { type: "usage.recorded", data: { model: "m", provider: "p", calls: 1, costNanoUsd: 1, tokens: 1 } })).toBe(0);
    expect(await publishLive(env, t.tenantId, runUpdated("run_mine"))).toBe(1);
    expect(await socket.inbox.next()).toMatchObject({ type: "run.updated", data: { runId: "run_mine" } });

    expect(await send(socket, { type: "unsubscribe", topics: ["run:run_mine"] })).toEqual({ type: "subscribed", topics: [] });
    expect(await publishLive(env, t.tenantId, runUpdated("run_mine", "complete"))).toBe(0);
    // The next frame is the reply to this ping, not the update published while unsubscribed.
    expect(await send(socket, { type: "ping" })).toEqual({ type: "pong" });
  });

  it("topic groups: 'training' gets training jobs and nothing about runs or usage", async () => {
    const t = await liveTenant();
    const socket = await openLive(t.token);
    await send(socket, { type: "unsubscribe", topics: ["*"] });
    await send(socket, { type: "subscribe", topics: ["training"] });
    expect(await publishLive(env, t.tenantId, runUpdated("run_x"))).toBe(0);
    expect(await publishLive(env, t.tenantId, { type: "training.updated", data: { jobId: "ftj_2", status: "succeeded" } })).toBe(1);
    expect(await socket.inbox.next()).toMatchObject({ type: "training.updated", data: { jobId: "ftj_2", status: "succeeded" } });
  });

  it("the subscription is kept in the socket's attachment, so it survives hibernation", async () => {
    const t = await liveTenant();
    const socket = await openLive(t.token);
    await send(socket, { type: "subscribe", topics: ["runs", "usage"] });
    await runInDurableObject(hub(t.tenantId), (_instance, state) => {
      expect(state.getWebSockets().map((ws) => ws.deserializeAttachment())).toEqual([{ topics: ["*", "runs", "usage"] }]);
    });
  });

  it("keeps tenants apart: another tenant's publish never reaches this socket", async () => {
    const a = await liveTenant("Alpha Motors");
    const b = await liveTenant("Bravo Motors");
    const socketA = await openLive(a.token);
    const socketB = await openLive(b.token);
    expect(await publishLive(env, a.tenantId, runUpdated("run_alpha"))).toBe(1);
    expect(await publishLive(env, b.tenantId, runUpdated("run_bravo"))).toBe(1);
    // Frames arrive in order, so B's first frame being its own run shows A's never came.
    expect(await socketB.inbox.next()).toMatchObject({ data: { runId: "run_bravo" } });
    expect(await socketA.inbox.next()).toMatchObject({ data: { runId: "run_alpha" } });
  });
});

describe("client frames", () => {
  it("answers bad frames with an error and keeps the socket open", async () => {
    const t = await liveTenant();
    const socket = await openLive(t.token);
    const bad = [
      "not json",
      JSON.stringify({ type: "shout" }),
      JSON.stringify({ type: "subscribe" }),
      JSON.stringify({ type: "subscribe", topics: ["run:"] }),
      JSON.stringify({ type: "subscribe", topics: ["billing"] }),
      JSON.stringify({ type: "subscribe", topics: [] }),
      JSON.stringify([1, 2, 3]),
      `{"type":"ping","pad":"${"x".repeat(5_000)}"}`,
    ];
    for (const frame of bad) {
      const reply = await send(socket, frame);
      expect(reply.type, frame.slice(0, 60)).toBe("error");
      expect(reply.message, frame.slice(0, 60)).toEqual(expect.any(String));
    }
    expect(await send(socket, new Uint8Array([1, 2, 3]).buffer)).toMatchObject({ type: "error", message: expect.stringMatching(/text frames/) });
    expect(await send(socket, { type: "subscribe", topics: ["runs"] })).toEqual({ type: "subscribed", topics: ["*", "runs"] });
    expect(await publishLive(env, t.tenantId, runUpdated("run_still_open"))).toBe(1);
    expect(await socket.inbox.next()).toMatchObject({ data: { runId: "run_still_open" } });
  });

  it("answers ping with pong, both the runtime's idle keepalive and a parsed ping", async () => {
    const t = await liveTenant();
    const socket = await openLive(t.token);
    expect(await send(socket, '{"type":"ping"}')).toEqual({ type: "pong" });
    expect(await send(socket, '{ "type": "ping" }')).toEqual({ type: "pong" });
  });
});

describe("publishLive", () => {
  it("is harmless when nobody is connected: nothing is sent and nothing throws", async () => {
    const t = await createTestTenant();
    expect(await publishLive(env, t.tenantId, runUpdated("run_nobody"))).toBe(0);
    expect(await publishLive(env, t.tenantId, runUpdated("run_nobody", "complete"))).toBe(0);
    expect(await hub(t.tenantId).connections()).toBe(0);
  });

  it("never throws on a malformed message; it logs and reports 0", async () => {
    const t = await liveTenant();
    const socket = await openLive(t.token);
    // @ts-expect-error: a producer's mistake the types would have caught at build time
    expect(await publishLive(env, t.tenantId, { type: "run.updated", data: { runId: "run_bad", status: "exploded" } })).toBe(0);
    // @ts-expect-error: an unknown type
    expect(await publishLive(env, t.tenantId, { type: "nope", data: {} })).toBe(0);
    await runInDurableObject(hub(t.tenantId), async (instance: LiveHub) => {
      // @ts-expect-error: the hub validates what reaches it over RPC as well
      await expect(instance.publish({ type: "run.updated", at: 1, data: { runId: "run_bad" } })).rejects.toThrow(ZodError);
    });
    expect(await send(socket, { type: "ping" })).toEqual({ type: "pong" });
  });

  it("a dashboard that connects after a publish to nobody still gets the next update", async () => {
    const t = await liveTenant();
    expect(await publishLive(env, t.tenantId, runUpdated("run_early"))).toBe(0);
    const socket = await openLive(t.token);
    expect(await publishLive(env, t.tenantId, runUpdated("run_late"))).toBe(1);
    expect(await socket.inbox.next()).toMatchObject({ data: { runId: "run_late" } });
  });
});
