/**
 * Operations: anomalies found in the gateway's usage (provider latency and error rate, a
 * tenant's spend and call volume) and each tenant's sensitivity setting for them.
 */
import { sql } from "drizzle-orm";
import { index, integer, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { json } from "./columns";
import { tenants } from "./platform";

export const ANOMALY_KINDS = ["provider_latency", "provider_error_rate", "tenant_spend", "tenant_volume"] as const;
export type AnomalyKind = (typeof ANOMALY_KINDS)[number];
export const ANOMALY_STATUSES = ["open", "resolved"] as const;
export type AnomalyStatus = (typeof ANOMALY_STATUSES)[number];
export const SENSITIVITIES = ["off", "low", "medium", "high"] as const;
export type Sensitivity = (typeof SENSITIVITIES)[number];
export const ANOMALY_UNITS = ["ms", "ratio", "nano_usd", "calls"] as const;
export type AnomalyUnit = (typeof ANOMALY_UNITS)[number];

/**
 * One anomaly as one tenant sees it. A provider anomaly is recorded once for every tenant
 * that called the provider while it happened. At most one row per (tenant, kind, subject)
 * is open at a time (the partial unique index), so concurrent detector runs raise it once.
 */
export const anomalies = sqliteTable(
  "anomalies",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull().references(() => tenants.id),
    kind: text("kind", { enum: ANOMALY_KINDS }).notNull(),
    /** The provider name for provider kinds; "tenant" for the tenant's own spend and volume. */
    subject: text("subject").notNull(),
    status: text("status", { enum: ANOMALY_STATUSES }).notNull(),
    /** The tenant's sensitivity when it was raised. */
    sensitivity: text("sensitivity", { enum: SENSITIVITIES }).notNull(),
    /** Robust z-score: (observed - expected) / scale of the baseline. */
    score: real("score").notNull(),
    observed: real("observed").notNull(),
    /** The baseline's median. */
    expected: real("expected").notNull(),
    unit: text("unit", { enum: ANOMALY_UNITS }).notNull(),
    windowStart: integer("window_start").notNull(),
    windowEnd: integer("window_end").notNull(),
    detectedAt: integer("detected_at").notNull(),
    /** When the metric was first seen back under the threshold; null while it is still high. */
    clearSince: integer("clear_since"),
    resolvedAt: integer("resolved_at"),
    /** When anomaly.detected went out; null until it has. */
    notifiedAt: integer("notified_at"),
    /** When anomaly.resolved went out; null until it has (or while it is open). */
    resolvedNotifiedAt: integer("resolved_notified_at"),
    acknowledgedAt: integer("acknowledged_at"),
    /** The user or API key id that acknowledged it. */
    acknowledgedBy: text("acknowledged_by"),
  },
  (t) => [
    uniqueIndex("anomalies_one_open").on(t.tenantId, t.kind, t.subject).where(sql`status = 'open'`),
    index("anomalies_tenant_time").on(t.tenantId, t.detectedAt),
    // What the detector still has to announce: a handful of rows, found without scanning the table.
    index("anomalies_unannounced").on(t.detectedAt).where(sql`notified_at is null or (status = 'resolved' and resolved_notified_at is null)`),
  ],
);

/** A baseline summarised: what the detector scores the current window against. */
export type BaselineStats = { median: number; mad: number; activeWindows: number };

/**
 * The detector's baselines, per tenant ("tenant:<id>") or provider ("provider:<name>"): the
 * median and MAD of each metric over the previous 24 hours. A day of usage barely moves in a
 * few minutes, so each is recomputed every 20-40 minutes instead of on every run.
 */
export const anomalyBaselines = sqliteTable("anomaly_baselines", {
  key: text("key").primaryKey(),
  stats: json<Partial<Record<AnomalyKind, BaselineStats>>>("stats").notNull(),
  computedAt: integer("computed_at").notNull(),
});

/** A tenant's anomaly sensitivity; tenants without a row use "medium". */
export const anomalySettings = sqliteTable("anomaly_settings", {
  tenantId: text("tenant_id").primaryKey().references(() => tenants.id),
  sensitivity: text("sensitivity", { enum: SENSITIVITIES }).notNull(),
  updatedAt: integer("updated_at").notNull(),
  updatedBy: text("updated_by"),
});
