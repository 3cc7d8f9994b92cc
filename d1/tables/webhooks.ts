/**
 * Partner webhooks: endpoints, published events, messages and delivery attempts.
 */
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, json } from "./columns";
import { tenants } from "./platform";

/**
 * A partner's webhook endpoint. The signing secret is sealed (secret-box); during a
 * rotation the previous secret also signs until previous_secret_expires_at.
 */
export const webhookEndpoints = sqliteTable(
  "webhook_endpoints",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull().references(() => tenants.id),
    url: text("url").notNull(),
    description: text("description").notNull().default(""),
    /** Event types delivered here; null means every type. */
    eventTypes: json<string[]>("event_types"),
    status: text("status", { enum: ["enabled", "disabled"] }).notNull().default("enabled"),
    /** Why it was disabled: "manual", "gone" (answered 410) or "failing" (no success for 5 days). */
    disabledReason: text("disabled_reason"),
    secretEnc: text("secret_enc").notNull(),
    previousSecretEnc: text("previous_secret_enc"),
    previousSecretExpiresAt: integer("previous_secret_expires_at"),
    lastSuccessAt: integer("last_success_at"),
    /** First failure since the last success; null while healthy. */
    failingSince: integer("failing_since"),
    createdAt: createdAt(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("webhook_endpoints_tenant").on(t.tenantId)],
);

/** A platform event as published, kept so every delivery of it sends the same body. */
export const webhookEvents = sqliteTable(
  "webhook_events",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    type: text("type").notNull(),
    data: json<Record<string, unknown>>("data").notNull(),
    occurredAt: integer("occurred_at").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("webhook_events_tenant_time").on(t.tenantId, t.occurredAt)],
);

export const WEBHOOK_MESSAGE_STATUSES = ["pending", "delivered", "failed"] as const;

/**
 * One event for one endpoint. Its id is the `webhook-id` header, the same on every
 * attempt; (event_id, endpoint_id) is unique so a redelivered event never duplicates it.
 */
export const webhookMessages = sqliteTable(
  "webhook_messages",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    endpointId: text("endpoint_id").notNull().references(() => webhookEndpoints.id, { onDelete: "cascade" }),
    eventId: text("event_id").notNull().references(() => webhookEvents.id),
    eventType: text("event_type").notNull(),
    status: text("status", { enum: WEBHOOK_MESSAGE_STATUSES }).notNull().default("pending"),
    /** Attempts made (or claimed) so far. */
    attempts: integer("attempts").notNull().default(0),
    /** When the next attempt is due; the cron sweep re-enqueues messages long past it. */
    nextAttemptAt: integer("next_attempt_at"),
    lastAttemptAt: integer("last_attempt_at"),
    lastStatusCode: integer("last_status_code"),
    lastError: text("last_error"),
    deliveredAt: integer("delivered_at"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    uniqueIndex("webhook_messages_event_endpoint").on(t.eventId, t.endpointId),
    index("webhook_messages_due").on(t.status, t.nextAttemptAt),
    index("webhook_messages_endpoint_time").on(t.endpointId, t.createdAt),
  ],
);

/** Every delivery attempt: what the endpoint answered, how fast, or why it failed. */
export const webhookAttempts = sqliteTable(
  "webhook_attempts",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    messageId: text("message_id").notNull().references(() => webhookMessages.id, { onDelete: "cascade" }),
    endpointId: text("endpoint_id").notNull(),
    attempt: integer("attempt").notNull(),
    url: text("url").notNull(),
    statusCode: integer("status_code"),
    latencyMs: integer("latency_ms").notNull(),
    /** At most 1 KB of the response body. */
    responseSnippet: text("response_snippet"),
    error: text("error"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [uniqueIndex("webhook_attempts_message_attempt").on(t.messageId, t.attempt)],
);
