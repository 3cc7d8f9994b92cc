/**
 * Embeddable chat widgets: a publishable id (wgt_) a dealer puts on their website, the
 * assistant it talks to, the origins allowed to use it and how it looks. Threads started
 * through a widget are remembered here so a thread id works only with the widget that made it.
 */
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt, json } from "./columns";
import { tenants } from "./platform";

export const WIDGET_POSITIONS = ["bottom-right", "bottom-left"] as const;
export type WidgetPosition = (typeof WIDGET_POSITIONS)[number];

export const widgets = sqliteTable(
  "widgets",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull().references(() => tenants.id),
    assistantId: text("assistant_id").notNull(),
    title: text("title").notNull(),
    greeting: text("greeting").notNull(),
    accentColor: text("accent_color").notNull(),
    position: text("position", { enum: WIDGET_POSITIONS }).notNull(),
    /** Normalised origins (`https://dealer.example`), or `["*"]` in development only. */
    allowedOrigins: json<string[]>("allowed_origins").notNull(),
    createdAt: createdAt(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("widgets_tenant_idx").on(t.tenantId, t.createdAt)],
);

export const widgetThreads = sqliteTable(
  "widget_threads",
  {
    threadId: text("thread_id").primaryKey(),
    tenantId: text("tenant_id").notNull().references(() => tenants.id),
    widgetId: text("widget_id").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("widget_threads_widget_idx").on(t.widgetId)],
);

/** Fixed-window request counters per widget and visitor (IP hashed, never stored plain). */
export const widgetRateCounters = sqliteTable(
  "widget_rate_counters",
  {
    key: text("key").primaryKey(),
    tenantId: text("tenant_id").notNull().references(() => tenants.id),
    widgetId: text("widget_id").notNull(),
    windowStart: integer("window_start").notNull(),
    count: integer("count").notNull(),
  },
  (t) => [index("widget_rate_counters_window_idx").on(t.widgetId, t.windowStart)],
);
