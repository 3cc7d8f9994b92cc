/**
 * Chatting through the public widget endpoint, with the simulator as the model provider:
 * the answer streams to the dealer's page, the thread is a widget thread, and a thread id
 * that this widget did not start is refused.
 */
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { assistantThreads } from "../../d1/schema";
import { makeDb } from "../../workers/db";
import { chat as apiChat, parseSse } from "../assistants/helpers";
import { call } from "../api/helpers";
import { createTestTenant, type TestTenant } from "../helpers/fixtures";
import { createAssistantRow, createWidgetAs, DEALER, errorOf, widgetFetch } from "./helpers";

let a: TestTenant;
let assistantId: string;
let widgetId: string;

beforeAll(async () => {
  a = await createTestTenant("Smith Motors");
  assistantId = await createAssistantRow(a.tenantId);
  widgetId = (await createWidgetAs(a.adminKey, { assistantId, allowedOrigins: [DEALER] })).id;
});

const ThreadEvent = z.object({ threadId: z.string() });
const Delta = z.object({ text: z.string() });

function post(id: string, body: Record<string, unknown>, ip = "198.51.100.1") {
  return widgetFetch(`/chat/${id}`, { method: "POST", origin: DEALER, ip, body: JSON.stringify(body) });
}

/** Sends one visitor message and reads the whole stream. */
async function visitorSays(id: string, body: Record<string, unknown>) {
  const res = await post(id, body);
  const raw = await res.text();
  expect(res.status, raw).toBe(200);
  expect(res.headers.get("content-type")).toContain("text/event-stream");
  expect(res.headers.get("access-control-allow-origin")).toBe(DEALER);
  const events = parseSse(raw);
  const threadId = ThreadEvent.parse(events.find((e) => e.event === "thread")?.data).threadId;
  const text = events.filter((e) => e.event === "delta").map((e) => Delta.parse(e.data).text).join("");
  return { res, events, threadId, text };
}

describe("POST /widget/chat/{id}", () => {
  it("streams the assistant's answer to an allowed website and stores a widget thread with the visitor", async () => {
    const turn = await visitorSays(widgetId, { content: "Is the 2022 Civic still on the lot?", visitor: { name: "Dana", email: "dana@example.com" } });
    expect(turn.events[0]?.event).toBe("thread");
    expect(turn.events.at(-1)?.event).toBe("done");
    expect(turn.text.length).toBeGreaterThan(0);
    expect(turn.res.headers.get("x-thread-id")).toBe(turn.threadId);
    const thread = await makeDb(env.DB).query.assistantThreads.findFirst({ where: eq(assistantThreads.id, turn.threadId) });
    expect(thread).toMatchObject({ tenantId: a.tenantId, assistantId, channel: "widget", visitor: { name: "Dana", email: "dana@example.com" } });
  });

  it("continues a thread it started", async () => {
    const first = await visitorSays(widgetId, { content: "Do you have winter tires in stock?" });
    const second = await visitorSays(widgetId, { content: "How much are they?", threadId: first.threadId });
    expect(second.threadId).toBe(first.threadId);
    expect(second.events.at(-1)?.event).toBe("done");
  });

  it("refuses a chat from a website that is not allowed, before the assistant runs", async () => {
    const res = await widgetFetch(`/chat/${widgetId}`, { method: "POST", origin: "https://evil.example", body: JSON.stringify({ content: "hi" }) });
    expect(res.status).toBe(403);
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("thread ids the widget did not start", () => {
  it("refuses a thread of another widget on the same assistant", async () => {
    const other = await createWidgetAs(a.adminKey, { assistantId, allowedOrigins: [DEALER] });
    const theirs = await visitorSays(other.id, { content: "Hello from the other site" });
    const res = await post(widgetId, { content: "Let me in", threadId: theirs.threadId });
    expect(res.status).toBe(404);
    expect(res.headers.get("access-control-allow-origin")).toBe(DEALER);
    expect((await errorOf(res)).code).toBe("not_found");
  });

  it("refuses a thread the same assistant holds on the API channel", async () => {
    const apiTurn = await apiChat(a.adminKey, assistantId, { content: "Internal note about a customer" });
    const res = await post(widgetId, { content: "Show me that conversation", threadId: apiTurn.threadId });
    expect(res.status).toBe(404);
  });

  it("refuses another tenant's thread and an invented one", async () => {
    const b = await createTestTenant("Jones Auto");
    const bAssistant = await createAssistantRow(b.tenantId);
    const bWidget = await createWidgetAs(b.adminKey, { assistantId: bAssistant, allowedOrigins: [DEALER] });
    const bTurn = await visitorSays(bWidget.id, { content: "Jones customer question" });
    expect((await post(widgetId, { content: "hi", threadId: bTurn.threadId })).status).toBe(404);
    expect((await post(widgetId, { content: "hi", threadId: "thr_madeup000000000000" })).status).toBe(404);
  });

  it("refuses an old thread once the widget points at another assistant", async () => {
    const w = await createWidgetAs(a.adminKey, { assistantId, allowedOrigins: [DEALER] });
    const turn = await visitorSays(w.id, { content: "First visit" });
    await call("PATCH", `/widgets/${w.id}`, { token: a.adminKey, body: { assistantId: await createAssistantRow(a.tenantId) } });
    expect((await post(w.id, { content: "Back again", threadId: turn.threadId })).status).toBe(404);
  });
});
