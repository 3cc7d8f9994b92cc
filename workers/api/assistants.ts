/**
 * /assistants: a tenant's chat assistants (CRUD), their threads with messages, and the
 * streaming chat endpoint (server-sent events) that runs one turn through the pipeline.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { MESSAGE_ROLES, THREAD_CHANNELS } from "../../d1/schema";
import { chatDepsOf, chatTurn } from "../assistants/chat";
import { STEP_NAMES } from "../assistants/pipeline/registry";
import { createAssistant, deleteAssistant, getAssistant, listAssistants, updateAssistant, type AssistantRow } from "../assistants/store";
import { getThread, listThreads, threadMessages, type MessageRow, type ThreadRow } from "../assistants/threads";
import { platformAuth, requirePermission } from "../auth/middleware";
import { audit, scopeOf } from "./context";
import { createApiApp } from "./factory";
import { authErrors, bearerSecurity, EpochMs, IdParams, jsonBody, jsonResponse, mediaTypeError } from "./schemas";

const Name = z.string().trim().min(1).max(120);
const Model = z.string().trim().min(1).max(200).openapi({ example: "gpt-4o-mini", description: "A model or alias, routed like any gateway call" });
const Pipeline = z.array(z.string().min(1).max(40)).max(20).openapi({ example: [...STEP_NAMES], description: `Step names, run in order. Known: ${STEP_NAMES.join(", ")}` });

const AssistantSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    model: z.string(),
    instructions: z.string(),
    knowledgeBaseIds: z.array(z.string()),
    rooftopId: z.string().nullable(),
    department: z.string().nullable(),
    pipeline: z.array(z.string()),
    leadThreshold: z.number().int(),
    createdAt: EpochMs,
    updatedAt: EpochMs,
  })
  .openapi("Assistant");

const CreateBody = z
  .object({
    name: Name,
    model: Model,
    instructions: z.string().max(20_000).optional(),
    knowledgeBaseIds: z.array(z.string().min(1).max(64)).max(20).optional(),
    rooftopId: z.string().min(1).max(64).nullable().optional(),
    department: z.string().trim().min(1).max(64).nullable().optional(),
    pipeline: Pipeline.optional(),
    leadThreshold: z.number().int().min(0).max(100).optional().openapi({ description: "Lead score (0..100) at which a conversation becomes a lead; default 70" }),
  })
  .strict();
const PatchBody = CreateBody.partial().strict();

const ThreadSchema = z
  .object({
    id: z.string(),
    assistantId: z.string(),
    channel: z.enum(THREAD_CHANNELS),
    visitor: z.object({ name: z.string().optional(), email: z.string().optional(), phone: z.string().optional() }),
    leadId: z.string().nullable(),
    createdAt: EpochMs,
    updatedAt: EpochMs,
  })
  .openapi("AssistantThread");

const MessageSchema = z
  .object({
    id: z.string(),
    role: z.enum(MESSAGE_ROLES),
    content: z.string(),
    inputTokens: z.number().int(),
    outputTokens: z.number().int(),
    costNanoUsd: z.number().int(),
    citations: z.array(z.object({ n: z.number().int(), documentId: z.string(), documentName: z.string(), title: z.string().nullable(), chunkIndex: z.number().int() })),
    signals: z.record(z.string(), z.unknown()),
    createdAt: EpochMs,
  })
  .openapi("AssistantMessage");

const ChatBody = z.object({ threadId: z.string().min(1).max(64).nullable().optional(), content: z.string().trim().min(1).max(8_000) }).strict();
const ThreadsQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).optional() });

const assistantView = (a: AssistantRow): z.infer<typeof AssistantSchema> => {
  const { tenantId: _, ...rest } = a;
  return rest;
};
const threadView = (t: ThreadRow): z.infer<typeof ThreadSchema> => ({ id: t.id, assistantId: t.assistantId, channel: t.channel, visitor: t.visitor, leadId: t.leadId, createdAt: t.createdAt, updatedAt: t.updatedAt });
const messageView = (m: MessageRow): z.infer<typeof MessageSchema> => {
  const { tenantId: _, threadId: __, ...rest } = m;
  return rest;
};

export const assistantsApi = createApiApp();
assistantsApi.use("*", platformAuth);

const tags = ["Assistants"];
const read = requirePermission("workflows:read");
const write = requirePermission("workflows:write");
const route = <R extends Parameters<typeof createRoute>[0]>(r: R) => createRoute({ tags, security: bearerSecurity, ...r });
const ThreadParams = IdParams.extend({ threadId: z.string().min(1).max(64).openapi({ param: { name: "threadId", in: "path" } }) });

assistantsApi.openapi(
  route({ method: "get", path: "/", middleware: [read], responses: { 200: jsonResponse(z.object({ data: z.array(AssistantSchema) }), "The tenant's assistants, newest first"), ...authErrors } }),
  async (c) => c.json({ data: (await listAssistants(scopeOf(c))).map(assistantView) }, 200),
);

assistantsApi.openapi(
  route({ method: "post", path: "/", middleware: [write], request: { body: jsonBody(CreateBody) },
    responses: { 201: jsonResponse(AssistantSchema, "The new assistant"), ...authErrors, ...mediaTypeError } }),
  async (c) => {
    const row = await createAssistant(scopeOf(c), c.req.valid("json"));
    await audit(c, { action: "assistant.created", resourceType: "assistant", resourceId: row.id, after: assistantView(row) });
    return c.json(assistantView(row), 201);
  },
);

assistantsApi.openapi(
  route({ method: "get", path: "/{id}", middleware: [read], request: { params: IdParams }, responses: { 200: jsonResponse(AssistantSchema, "The assistant"), ...authErrors } }),
  async (c) => c.json(assistantView(await getAssistant(scopeOf(c), c.req.valid("param").id)), 200),
);

assistantsApi.openapi(
  route({ method: "patch", path: "/{id}", middleware: [write], request: { params: IdParams, body: jsonBody(PatchBody) },
    responses: { 200: jsonResponse(AssistantSchema, "The assistant, changed"), ...authErrors, ...mediaTypeError } }),
  async (c) => {
    const { before, after } = await updateAssistant(scopeOf(c), c.req.valid("param").id, c.req.valid("json"));
    await audit(c, { action: "assistant.updated", resourceType: "assistant", resourceId: after.id, before: assistantView(before), after: assistantView(after) });
    return c.json(assistantView(after), 200);
  },
);

assistantsApi.openapi(
  route({ method: "delete", path: "/{id}", middleware: [write], request: { params: IdParams }, responses: { 204: { description: "Deleted; its threads stay readable" }, ...authErrors } }),
  async (c) => {
    const row = await deleteAssistant(scopeOf(c), c.req.valid("param").id);
    await audit(c, { action: "assistant.deleted", resourceType: "assistant", resourceId: row.id, before: assistantView(row) });
    return c.body(null, 204);
  },
);

assistantsApi.openapi(
  route({ method: "get", path: "/{id}/threads", middleware: [read], request: { params: IdParams, query: ThreadsQuery },
    responses: { 200: jsonResponse(z.object({ data: z.array(ThreadSchema) }), "The assistant's threads, newest first"), ...authErrors } }),
  async (c) => {
    const scope = scopeOf(c);
    const assistant = await getAssistant(scope, c.req.valid("param").id);
    const limit = c.req.valid("query").limit;
    return c.json({ data: (await listThreads(scope, { assistantId: assistant.id, ...(limit ? { limit } : {}) })).map(threadView) }, 200);
  },
);

assistantsApi.openapi(
  route({ method: "get", path: "/{id}/threads/{threadId}", middleware: [read], request: { params: ThreadParams },
    responses: { 200: jsonResponse(ThreadSchema.extend({ messages: z.array(MessageSchema) }), "The thread and its messages, oldest first"), ...authErrors } }),
  async (c) => {
    const scope = scopeOf(c);
    const { id, threadId } = c.req.valid("param");
    const thread = await getThread(scope, threadId, id);
    return c.json({ ...threadView(thread), messages: (await threadMessages(scope, thread.id)).map(messageView) }, 200);
  },
);

assistantsApi.openapi(
  route({ method: "post", path: "/{id}/chat", middleware: [write], request: { params: IdParams, body: jsonBody(ChatBody) },
    description: "Runs one turn and streams it as server-sent events: thread {threadId}, delta {text}…, citations [...], done {messageId, usage, costNanoUsd, signals}, or error {code, message}.",
    responses: { 200: { description: "The turn, as server-sent events", content: { "text/event-stream": { schema: z.string() } } }, ...authErrors, ...mediaTypeError } }),
  async (c) => {
    const body = c.req.valid("json");
    const deps = chatDepsOf(c.env, (p) => c.executionCtx.waitUntil(p));
    const turn = await chatTurn(deps, { tenantId: c.get("principal").tenantId, assistantId: c.req.valid("param").id, threadId: body.threadId ?? null, content: body.content, channel: "api" });
    return c.body(turn.stream, 200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache", "x-thread-id": turn.threadId });
  },
);
