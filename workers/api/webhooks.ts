/**
 * /webhooks: partner endpoints (the secret is shown on creation and rotation only), test
 * events, and the message log with resend and recover.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { WEBHOOK_MESSAGE_STATUSES } from "../../d1/schema";
import { platformAuth, requirePermission } from "../auth/middleware";
import type { AppEnv } from "../env";
import { EVENT_TYPES } from "../events/catalog";
import { createEndpoint, DEFAULT_ROTATION_GRACE_SECONDS, deleteEndpoint, type EndpointDeps, type EndpointRow, getEndpoint, listEndpoints, MAX_ROTATION_GRACE_SECONDS, publicEndpoint, rotateSecret, updateEndpoint } from "../webhooks/endpoints";
import { sendTestEvent } from "../webhooks/fanout";
import { queueEnqueue } from "../webhooks/jobs";
import { getMessage, listMessages, publicMessage, recoverMessages, resendMessage } from "../webhooks/messages";
import { urlPolicyFor } from "../webhooks/url-policy";
import { audit, scopeOf } from "./context";
import { createApiApp } from "./factory";
import { authErrors, bearerSecurity, conflictError, EpochMs, IdParams, jsonBody, jsonResponse, mediaTypeError } from "./schemas";

const EventType = z.enum(EVENT_TYPES);
const MessageStatus = z.enum(WEBHOOK_MESSAGE_STATUSES);

export const EndpointSchema = z
  .object({
    id: z.string(),
    url: z.string().openapi({ example: "https://crm.example.com/hooks/auterity" }),
    description: z.string(),
    eventTypes: z.array(z.string()).nullable().openapi({ description: "Event types delivered here; null for all" }),
    status: z.enum(["enabled", "disabled"]),
    disabledReason: z.string().nullable().openapi({ description: "manual, gone (answered 410) or failing (no success for 5 days)" }),
    previousSecretExpiresAt: EpochMs.nullable().openapi({ description: "Until then the previous secret also signs" }),
    lastSuccessAt: EpochMs.nullable(),
    failingSince: EpochMs.nullable(),
    createdAt: EpochMs,
    updatedAt: EpochMs,
  })
  .openapi("WebhookEndpoint");

const WithSecret = EndpointSchema.extend({ secret: z.string().openapi({ description: "whsec_… signing secret. Shown only in this response.", example: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" }) }).openapi("WebhookEndpointWithSecret");

const EndpointFields = z.object({
  url: z.string().trim().min(1).max(2048).openapi({ description: "https, to a public host (http and local hosts only in development)" }),
  description: z.string().trim().max(500),
  eventTypes: z.array(EventType).max(EVENT_TYPES.length).nullable().openapi({ description: "Omit or null for every event type" }),
  enabled: z.boolean(),
});
const CreateEndpoint = EndpointFields.partial({ description: true, eventTypes: true, enabled: true }).strict();
const PatchEndpoint = EndpointFields.partial().strict();
const Rotate = z.object({ graceSeconds: z.number().int().min(0).max(MAX_ROTATION_GRACE_SECONDS).optional().openapi({ description: "How long the old secret keeps signing too (default 24 h)" }) }).strict();
const TestEvent = z.object({ eventType: EventType.optional().openapi({ description: "Sends this type's catalog example; default webhook.test" }) }).strict();

export const MessageSchema = z
  .object({
    id: z.string().openapi({ description: "The webhook-id header: the same on every attempt and resend" }),
    endpointId: z.string(),
    eventId: z.string(),
    eventType: z.string(),
    status: MessageStatus,
    attempts: z.number().int(),
    nextAttemptAt: EpochMs.nullable(),
    lastAttemptAt: EpochMs.nullable(),
    lastStatusCode: z.number().int().nullable(),
    lastError: z.string().nullable(),
    deliveredAt: EpochMs.nullable(),
    createdAt: EpochMs,
  })
  .openapi("WebhookMessage");

const AttemptSchema = z
  .object({
    id: z.string(),
    messageId: z.string(),
    endpointId: z.string(),
    attempt: z.number().int(),
    url: z.string(),
    statusCode: z.number().int().nullable(),
    latencyMs: z.number().int(),
    responseSnippet: z.string().nullable().openapi({ description: "At most 1 KB of the response body" }),
    error: z.string().nullable(),
    createdAt: EpochMs,
  })
  .openapi("WebhookAttempt");

const MessageDetail = MessageSchema.omit({ attempts: true }).extend({
  payload: z.object({ type: z.string(), timestamp: z.string(), data: z.record(z.string(), z.unknown()) }),
  attempts: z.array(AttemptSchema),
}).openapi("WebhookMessageDetail");

const Cursor = z.string().regex(/^\d+\.msg_[A-Za-z0-9]+$/, "not a cursor from this API").transform((s) => {
  const dot = s.indexOf(".");
  return { createdAt: Number(s.slice(0, dot)), id: s.slice(dot + 1) };
});
const MessagesQuery = z.object({
  status: MessageStatus.optional(),
  since: z.coerce.number().int().min(0).optional().openapi({ description: "Epoch ms, inclusive" }),
  until: z.coerce.number().int().min(0).optional().openapi({ description: "Epoch ms, inclusive" }),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: Cursor.optional().openapi({ type: "string", description: "next of the previous page" }),
});
const Recover = z
  .object({
    since: EpochMs.min(0),
    until: EpochMs.min(0).optional().openapi({ description: "Default: now" }),
    statuses: z.array(MessageStatus).min(1).max(3).optional().openapi({ description: "Which messages to send again; default [\"failed\"]" }),
  })
  .strict()
  .refine((b) => b.until === undefined || b.until >= b.since, { message: "until is before since", path: ["until"] });

function deps(c: Context<AppEnv>): EndpointDeps {
  return { ...scopeOf(c), masterKey: c.env.MASTER_KEY, policy: urlPolicyFor(c.env.ENVIRONMENT), now: Date.now() };
}

function summary(e: EndpointRow) {
  return { url: e.url, description: e.description, eventTypes: e.eventTypes, status: e.status };
}

export const webhooksApi = createApiApp();
webhooksApi.use("*", platformAuth);

const tags = ["Webhooks"];
const read = requirePermission("webhooks:read");
const write = requirePermission("webhooks:write");
const route = <R extends Parameters<typeof createRoute>[0]>(r: R) => createRoute({ tags, security: bearerSecurity, ...r });
const endpointOk = (d: string) => jsonResponse(EndpointSchema, d);

webhooksApi.openapi(
  route({ method: "get", path: "/endpoints", middleware: [read], responses: { 200: jsonResponse(z.object({ data: z.array(EndpointSchema) }), "The tenant's endpoints"), ...authErrors } }),
  async (c) => c.json({ data: (await listEndpoints(scopeOf(c))).map(publicEndpoint) }, 200),
);

webhooksApi.openapi(
  route({ method: "post", path: "/endpoints", middleware: [write], request: { body: jsonBody(CreateEndpoint) },
    responses: { 201: jsonResponse(WithSecret, "The new endpoint, with its signing secret"), ...authErrors, ...mediaTypeError } }),
  async (c) => {
    const { row, secret } = await createEndpoint(deps(c), c.req.valid("json"));
    await audit(c, { action: "webhook_endpoint.created", resourceType: "webhook_endpoint", resourceId: row.id, after: summary(row) });
    return c.json({ ...publicEndpoint(row), secret }, 201);
  },
);

webhooksApi.openapi(
  route({ method: "get", path: "/endpoints/{id}", middleware: [read], request: { params: IdParams }, responses: { 200: endpointOk("The endpoint"), ...authErrors } }),
  async (c) => c.json(publicEndpoint(await getEndpoint(scopeOf(c), c.req.valid("param").id)), 200),
);

webhooksApi.openapi(
  route({ method: "patch", path: "/endpoints/{id}", middleware: [write], request: { params: IdParams, body: jsonBody(PatchEndpoint) },
    description: "Changes the URL, filter or description; `enabled: true` re-enables a disabled endpoint.",
    responses: { 200: endpointOk("The updated endpoint"), ...authErrors, ...mediaTypeError } }),
  async (c) => {
    const { before, after } = await updateEndpoint(deps(c), c.req.valid("param").id, c.req.valid("json"));
    await audit(c, { action: "webhook_endpoint.updated", resourceType: "webhook_endpoint", resourceId: after.id, before: summary(before), after: summary(after) });
    return c.json(publicEndpoint(after), 200);
  },
);

webhooksApi.openapi(
  route({ method: "delete", path: "/endpoints/{id}", middleware: [write], request: { params: IdParams }, responses: { 204: { description: "Deleted, with its message log" }, ...authErrors } }),
  async (c) => {
    const row = await deleteEndpoint(scopeOf(c), c.req.valid("param").id);
    await audit(c, { action: "webhook_endpoint.deleted", resourceType: "webhook_endpoint", resourceId: row.id, before: summary(row) });
    return c.body(null, 204);
  },
);

webhooksApi.openapi(
  route({ method: "post", path: "/endpoints/{id}/rotate-secret", middleware: [write], request: { params: IdParams, body: jsonBody(Rotate) },
    description: "Issues a new secret; the old one keeps signing alongside it for the grace period.",
    responses: { 200: jsonResponse(WithSecret, "The endpoint with its new secret"), ...authErrors, ...mediaTypeError } }),
  async (c) => {
    const grace = c.req.valid("json").graceSeconds ?? DEFAULT_ROTATION_GRACE_SECONDS;
    const { row, secret } = await rotateSecret(deps(c), c.req.valid("param").id, grace);
    await audit(c, { action: "webhook_endpoint.secret_rotated", resourceType: "webhook_endpoint", resourceId: row.id, after: { previousSecretExpiresAt: row.previousSecretExpiresAt } });
    return c.json({ ...publicEndpoint(row), secret }, 200);
  },
);

webhooksApi.openapi(
  route({ method: "post", path: "/endpoints/{id}/test", middleware: [write], request: { params: IdParams, body: jsonBody(TestEvent) },
    description: "Sends a webhook.test event (or a catalog example) to this endpoint only, whatever its filter.",
    responses: { 201: jsonResponse(MessageSchema, "The queued message"), ...authErrors, ...conflictError, ...mediaTypeError } }),
  async (c) => {
    const { message, job } = await sendTestEvent(scopeOf(c), c.req.valid("param").id, c.req.valid("json").eventType ?? "webhook.test", Date.now());
    await queueEnqueue(c.env.WEBHOOK_QUEUE)([job]);
    return c.json(publicMessage(message), 201);
  },
);

webhooksApi.openapi(
  route({ method: "get", path: "/endpoints/{id}/messages", middleware: [read], request: { params: IdParams, query: MessagesQuery },
    responses: { 200: jsonResponse(z.object({ data: z.array(MessageSchema), next: z.string().nullable() }), "Messages, newest first"), ...authErrors } }),
  async (c) => {
    const page = await listMessages(scopeOf(c), c.req.valid("param").id, c.req.valid("query"));
    return c.json({ data: page.data.map(publicMessage), next: page.next }, 200);
  },
);

webhooksApi.openapi(
  route({ method: "post", path: "/endpoints/{id}/recover", middleware: [write], request: { params: IdParams, body: jsonBody(Recover) },
    description: "Sends again every message of this endpoint created in [since, until] (by default the failed ones). Ids stay the same.",
    responses: { 202: jsonResponse(z.object({ recovered: z.number().int() }), "How many messages were queued"), ...authErrors, ...conflictError, ...mediaTypeError } }),
  async (c) => {
    const id = c.req.valid("param").id;
    const body = c.req.valid("json");
    const now = Date.now();
    const window = { since: body.since, until: body.until ?? now, statuses: body.statuses ?? ["failed" as const] };
    const jobs = await recoverMessages(scopeOf(c), id, window, now);
    await queueEnqueue(c.env.WEBHOOK_QUEUE)(jobs);
    await audit(c, { action: "webhook_endpoint.recovered", resourceType: "webhook_endpoint", resourceId: id, after: { ...window, recovered: jobs.length } });
    return c.json({ recovered: jobs.length }, 202);
  },
);

webhooksApi.openapi(
  route({ method: "get", path: "/messages/{id}", middleware: [read], request: { params: IdParams }, responses: { 200: jsonResponse(MessageDetail, "The message, its payload and every attempt"), ...authErrors } }),
  async (c) => c.json(await getMessage(scopeOf(c), c.req.valid("param").id), 200),
);

webhooksApi.openapi(
  route({ method: "post", path: "/messages/{id}/resend", middleware: [write], request: { params: IdParams },
    description: "Queues one more attempt now, with the same webhook-id.",
    responses: { 202: jsonResponse(MessageSchema, "The message, pending again"), ...authErrors, ...conflictError } }),
  async (c) => {
    const { message, job } = await resendMessage(scopeOf(c), c.req.valid("param").id, Date.now());
    await queueEnqueue(c.env.WEBHOOK_QUEUE)([job]);
    await audit(c, { action: "webhook_message.resent", resourceType: "webhook_message", resourceId: message.id });
    return c.json(publicMessage(message), 202);
  },
);
