/**
 * A chat turn end to end through the platform API, with the simulator as the provider: the
 * stream's events, what was stored, and the errors a caller can get.
 */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { call, expectError, expectOk } from "../api/helpers";
import { createTestTenant } from "../helpers/fixtures";
import { upstreamRequests, waitForUsage } from "../gateway/helpers";
import { chat, createAssistantVia } from "./helpers";

const ThreadDetail = z.object({
  id: z.string(),
  channel: z.literal("api"),
  leadId: z.string().nullable(),
  messages: z.array(z.object({ id: z.string(), role: z.string(), content: z.string(), inputTokens: z.number(), outputTokens: z.number(), costNanoUsd: z.number(), citations: z.array(z.unknown()), signals: z.record(z.string(), z.unknown()) })),
});

describe("POST /assistants/{id}/chat", () => {
  it("streams the answer, reports usage and cost, and stores both messages", async () => {
    const t = await createTestTenant();
    const a = await createAssistantVia(t.adminKey, { instructions: "Be brief." });
    const turn = await chat(t.adminKey, a.id, { content: "What time does the service department open on Saturday?" });
    expect(turn.events[0]?.event).toBe("thread");
    expect(turn.events.at(-1)?.event).toBe("done");
    expect(turn.text.length).toBeGreaterThan(0);
    expect(turn.events.filter((e) => e.event === "delta").length).toBeGreaterThan(1);
    expect(turn.done.usage.inputTokens).toBeGreaterThan(0);
    expect(turn.done.usage.outputTokens).toBeGreaterThan(0);
    expect(turn.done.costNanoUsd).toBeGreaterThan(0);
    expect(turn.done.signals).toHaveProperty("intent");

    const thread = expectOk(await call("GET", `/assistants/${a.id}/threads/${turn.threadId}`, { token: t.adminKey }), 200, ThreadDetail);
    expect(thread.messages.map((m) => m.role)).toEqual(["user", "assistant"]);
    expect(thread.messages[0]?.content).toBe("What time does the service department open on Saturday?");
    const answer = thread.messages[1];
    expect(answer?.id).toBe(turn.done.messageId);
    expect(answer?.content).toBe(turn.text);
    expect(answer?.costNanoUsd).toBe(turn.done.costNanoUsd);
    expect(answer?.outputTokens).toBe(turn.done.usage.outputTokens);

    // The call went through the gateway: its usage row carries the assistant's tags and the same cost.
    const usage = await waitForUsage(turn.done.messageId);
    expect(JSON.parse(usage.tags)).toEqual(["assistant", `assistant:${a.id}`]);
    expect(usage.cost_nano_usd).toBe(turn.done.costNanoUsd);
    expect(usage.stream).toBe(1);
  });

  it("continues a thread: the model sees the earlier turn, the thread lists four messages", async () => {
    const t = await createTestTenant();
    const a = await createAssistantVia(t.adminKey);
    const first = await chat(t.adminKey, a.id, { content: "Do you service hybrid batteries? zebracorn" });
    const second = await chat(t.adminKey, a.id, { content: "And how long does it take?", threadId: first.threadId });
    expect(second.threadId).toBe(first.threadId);
    const sent = await upstreamRequests("And how long does it take?");
    expect(JSON.stringify(sent[0]?.body)).toContain("zebracorn");
    const thread = expectOk(await call("GET", `/assistants/${a.id}/threads/${first.threadId}`, { token: t.adminKey }), 200, ThreadDetail);
    expect(thread.messages.map((m) => m.role)).toEqual(["user", "assistant", "user", "assistant"]);
    const list = expectOk(await call("GET", `/assistants/${a.id}/threads`, { token: t.adminKey }), 200, z.object({ data: z.array(z.object({ id: z.string() })) }));
    expect(list.data.map((x) => x.id)).toEqual([first.threadId]);
  });

  it("answers errors in the platform API body", async () => {
    const t = await createTestTenant();
    const a = await createAssistantVia(t.adminKey);
    expectError(await call("POST", "/assistants/ast_nope/chat", { token: t.adminKey, body: { content: "hi" } }), 404, "not_found");
    expectError(await call("POST", `/assistants/${a.id}/chat`, { token: t.adminKey, body: { content: "" } }), 400, "validation_failed");
    expectError(await call("POST", `/assistants/${a.id}/chat`, { token: t.adminKey, body: { content: "hi", extra: 1 } }), 400, "validation_failed");
    expectError(await call("POST", `/assistants/${a.id}/chat`, { token: t.adminKey, body: { content: "hi", threadId: "thr_unknown" } }), 404, "not_found");
    expectError(await call("POST", `/assistants/${a.id}/chat`, { body: { content: "hi" } }), 401, "unauthorized");
    // An unknown model fails before anything is streamed: a plain error body, not an event stream.
    const broken = await createAssistantVia(t.adminKey, { model: "no-such-model-anywhere" });
    const reply = await call("POST", `/assistants/${broken.id}/chat`, { token: t.adminKey, body: { content: "hi" } });
    expect(reply.status).toBeGreaterThanOrEqual(400);
    expect(reply.res.headers.get("content-type")).toContain("application/json");
    expect(z.object({ error: z.object({ code: z.string(), message: z.string() }) }).parse(reply.body).error.code).toBe("model_not_found");
  });

  it("will not continue another assistant's thread", async () => {
    const t = await createTestTenant();
    const a = await createAssistantVia(t.adminKey);
    const b = await createAssistantVia(t.adminKey, { name: "Parts desk" });
    const turn = await chat(t.adminKey, a.id, { content: "Hello there" });
    expectError(await call("POST", `/assistants/${b.id}/chat`, { token: t.adminKey, body: { content: "hi", threadId: turn.threadId } }), 404, "not_found");
    expectError(await call("GET", `/assistants/${b.id}/threads/${turn.threadId}`, { token: t.adminKey }), 404, "not_found");
  });
});
