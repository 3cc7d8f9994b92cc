/**
 * Assistants: a dealership's chat configurations, and the threads and messages of the
 * conversations held with them. Messages keep what each answer cost and what was read from
 * it (sentiment, intent, quality, lead score), so a conversation can be audited afterwards.
 */
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt, json } from "./columns";
import { tenants } from "./platform";

export const THREAD_CHANNELS = ["api", "widget"] as const;
export type ThreadChannel = (typeof THREAD_CHANNELS)[number];

export const MESSAGE_ROLES = ["user", "assistant", "system"] as const;
export type MessageRole = (typeof MESSAGE_ROLES)[number];

export type Visitor = { name?: string; email?: string; phone?: string };
export type Citation = { n: number; documentId: string; documentName: string; title: string | null; chunkIndex: number };
export type MessageSignals = {
  sentiment?: { label: string; score: number };
  intent?: { intent: string; confidence: number };
  quality?: { score: number };
  leadScore?: { score: number; grade: string };
  guard?: { blocked: boolean; kinds: string[] };
};

export const assistants = sqliteTable(
  "assistants",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull().references(() => tenants.id),
    name: text("name").notNull(),
    /** A model or alias, routed like any gateway call. */
    model: text("model").notNull(),
    instructions: text("instructions").notNull().default(""),
    knowledgeBaseIds: json<string[]>("knowledge_base_ids").notNull(),
    rooftopId: text("rooftop_id"),
    department: text("department"),
    /** Step names, run in this order. */
    pipeline: json<string[]>("pipeline").notNull(),
    leadThreshold: integer("lead_threshold").notNull().default(70),
    createdAt: createdAt(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("assistants_tenant").on(t.tenantId, t.createdAt)],
);

export const assistantThreads = sqliteTable(
  "assistant_threads",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull().references(() => tenants.id),
    assistantId: text("assistant_id").notNull(),
    channel: text("channel", { enum: THREAD_CHANNELS }).notNull(),
    visitor: json<Visitor>("visitor").notNull(),
    /** The lead this conversation became, once its score crossed the assistant's threshold. */
    leadId: text("lead_id"),
    createdAt: createdAt(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("assistant_threads_tenant").on(t.tenantId, t.assistantId, t.createdAt)],
);

export const assistantMessages = sqliteTable(
  "assistant_messages",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull().references(() => tenants.id),
    threadId: text("thread_id").notNull(),
    role: text("role", { enum: MESSAGE_ROLES }).notNull(),
    content: text("content").notNull(),
    inputTokens: integer("input_tokens").notNull().default(0),
    outputTokens: integer("output_tokens").notNull().default(0),
    costNanoUsd: integer("cost_nano_usd").notNull().default(0),
    citations: json<Citation[]>("citations").notNull(),
    signals: json<MessageSignals>("signals").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("assistant_messages_thread").on(t.tenantId, t.threadId, t.createdAt)],
);
