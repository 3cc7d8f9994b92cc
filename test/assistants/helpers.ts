/**
 * Helpers for the assistant tests: an assistant made through the API, a chat turn read as
 * its server-sent events, and a pipeline context for running one step alone.
 */
import { env, exports } from "cloudflare:workers";
import { expect } from "vitest";
import { z } from "zod";
import { newContext } from "../../workers/assistants/chat";
import type { AssistantRow } from "../../workers/assistants/store";
import type { ThreadRow } from "../../workers/assistants/threads";
import type { PipelineContext, PipelineEvent, KnowledgeSearch } from "../../workers/assistants/pipeline/types";
import { makeDb } from "../../workers/db";
import { newId } from "../../workers/lib/ids";
import { API, call, expectOk } from "../api/helpers";

export const AssistantBody = z.object({
  id: z.string(),
  name: z.string(),
  model: z.string(),
  instructions: z.string(),
  knowledgeBaseIds: z.array(z.string()),
  rooftopId: z.string().nullable(),
  department: z.string().nullable(),
  pipeline: z.array(z.string()),
  leadThreshold: z.number(),
  createdAt: z.number(),
  updatedAt: z.number(),
});

export async function createAssistantVia(token: string, body: Record<string, unknown> = {}): Promise<z.infer<typeof AssistantBody>> {
  const reply = await call("POST", "/assistants", { token, body: { name: "Sales desk", model: "gpt-4o-mini", ...body } });
  return expectOk(reply, 201, AssistantBody);
}

export type SseEvent = { event: string; data: unknown };

/** The events of an SSE body, in order. */
export function parseSse(text: string): SseEvent[] {
  return text
    .split("\n\n")
    .filter((f) => f.trim() !== "")
    .map((frame) => {
      const lines = frame.split("\n");
      const event = lines.find((l) => l.startsWith("event:"))?.slice(6).trim() ?? "message";
      const data = lines.filter((l) => l.startsWith("data:")).map((l) => l.slice(5).trim()).join("\n");
      return { event, data: JSON.parse(data) };
    });
}

export const DoneData = z.object({
  messageId: z.string(),
  usage: z.object({ inputTokens: z.number(), outputTokens: z.number() }),
  costNanoUsd: z.number(),
  signals: z.record(z.string(), z.unknown()),
});

export type ChatReply = { status: number; res: Response; events: SseEvent[]; text: string; threadId: string; done: z.infer<typeof DoneData> };

/** POSTs a chat turn and reads the whole stream; answers its events, the joined deltas and the done event. */
export async function chat(token: string, assistantId: string, body: { content: string; threadId?: string }): Promise<ChatReply> {
  const res = await exports.default.fetch(`${API}/assistants/${assistantId}/chat`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const raw = await res.text();
  expect(res.status, raw).toBe(200);
  expect(res.headers.get("content-type")).toContain("text/event-stream");
  const events = parseSse(raw);
  const text = events.filter((e) => e.event === "delta").map((e) => z.object({ text: z.string() }).parse(e.data).text).join("");
  const threadId = z.object({ threadId: z.string() }).parse(events.find((e) => e.event === "thread")?.data).threadId;
  const done = DoneData.parse(events.find((e) => e.event === "done")?.data);
  return { status: res.status, res, events, text, threadId, done };
}

export function assistantRow(tenantId: string, extra: Partial<AssistantRow> = {}): AssistantRow {
  return { id: newId("ast"), tenantId, name: "Service desk", model: "gpt-4o-mini", instructions: "", knowledgeBaseIds: [], rooftopId: null, department: null, pipeline: [], leadThreshold: 70, createdAt: 1, updatedAt: 1, ...extra };
}

export function threadRow(tenantId: string, assistantId: string, extra: Partial<ThreadRow> = {}): ThreadRow {
  return { id: newId("thr"), tenantId, assistantId, channel: "api", visitor: {}, leadId: null, createdAt: 1, updatedAt: 1, ...extra };
}

/** A context as the engine builds it, for running one step alone; `events` collects what it emits. */
export function stepContext(
  tenantId: string,
  input: string,
  opts: { assistant?: Partial<AssistantRow>; thread?: Partial<ThreadRow>; search?: KnowledgeSearch; pending?: Promise<unknown>[] } = {},
): PipelineContext & { events: PipelineEvent[] } {
  const assistant = assistantRow(tenantId, opts.assistant);
  const thread = threadRow(tenantId, assistant.id, opts.thread);
  const events: PipelineEvent[] = [];
  const pending = opts.pending ?? [];
  const deps = { env, db: makeDb(env.DB), waitUntil: (p: Promise<unknown>) => void pending.push(p), search: opts.search ?? null, now: Date.now };
  const ctx = newContext(deps, assistant, thread, { tenantId, assistantId: assistant.id, content: input, channel: "api" }, (e) => void events.push(e));
  // As if load_context had run: a tenant name and a system message ahead of the question.
  return { ...ctx, tenant: { ...ctx.tenant, name: "Test Motors" }, messages: [{ role: "system", content: "You are helpful." }, ...ctx.messages], events };
}
