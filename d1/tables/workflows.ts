/**
 * Workflows: definitions with immutable versions, their triggers, runs and step runs.
 * A step run is unique on (run, step, iteration): that key is what makes a redelivered
 * queue message harmless.
 */
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, json } from "./columns";
import { tenants } from "./platform";

export const RUN_STATUSES = ["queued", "running", "waiting", "paused", "errored", "terminated", "complete"] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export const STEP_STATUSES = ["pending", "running", "waiting", "succeeded", "failed", "skipped", "cancelled"] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

/** What a waiting step waits on, besides its wake-up time. */
export const WAIT_KINDS = ["timer", "event", "approval", "child", "children"] as const;
export type WaitKind = (typeof WAIT_KINDS)[number];

export type StepErrorInfo = { code: string; message: string; retryable: boolean };
export type RunTrigger = { type: "api" | "event" | "cron" | "rerun" | "subworkflow" | "lead"; by?: string | null; eventId?: string; eventType?: string; schedule?: string };

export const workflows = sqliteTable(
  "workflows",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull().references(() => tenants.id),
    /** A stable, human name used by subworkflow steps and templates (speed-to-lead). */
    key: text("key").notNull(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    latestVersion: integer("latest_version").notNull(),
    enabled: integer("enabled", { mode: "boolean" }).notNull().default(true),
    /** The template this workflow was installed from, if any. */
    template: text("template"),
    createdBy: text("created_by"),
    createdAt: createdAt(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [uniqueIndex("workflows_tenant_key").on(t.tenantId, t.key), index("workflows_tenant").on(t.tenantId)],
);

/** Every save is a new immutable version; runs pin one. */
export const workflowVersions = sqliteTable(
  "workflow_versions",
  {
    workflowId: text("workflow_id").notNull().references(() => workflows.id),
    version: integer("version").notNull(),
    tenantId: text("tenant_id").notNull(),
    sha256: text("sha256").notNull(),
    definition: json<unknown>("definition").notNull(),
    createdBy: text("created_by"),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.workflowId, t.version] })],
);

/** Event and cron triggers of each workflow's latest version, indexed for dispatch. */
export const workflowTriggers = sqliteTable(
  "workflow_triggers",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    workflowId: text("workflow_id").notNull(),
    version: integer("version").notNull(),
    type: text("type", { enum: ["event", "cron"] }).notNull(),
    eventType: text("event_type"),
    schedule: text("schedule"),
    timezone: text("timezone"),
    /** Epoch ms of the last cron slot that started a run. */
    lastFiredAt: integer("last_fired_at"),
    createdAt: createdAt(),
  },
  (t) => [index("workflow_triggers_event").on(t.tenantId, t.eventType), index("workflow_triggers_type").on(t.type), index("workflow_triggers_workflow").on(t.workflowId)],
);

export const workflowRuns = sqliteTable(
  "workflow_runs",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    workflowId: text("workflow_id").notNull(),
    version: integer("version").notNull(),
    status: text("status", { enum: RUN_STATUSES }).notNull(),
    input: json<unknown>("input"),
    output: json<unknown>("output"),
    error: json<StepErrorInfo & { stepId: string | null }>("error"),
    trigger: json<RunTrigger>("trigger").notNull(),
    /** Dedupes starts: an event id, a cron slot, a lead id. Unique per workflow. */
    triggerKey: text("trigger_key"),
    concurrencyKey: text("concurrency_key"),
    parentRunId: text("parent_run_id"),
    parentStepId: text("parent_step_id"),
    parentIteration: integer("parent_iteration"),
    rerunOf: text("rerun_of"),
    costNanoUsd: integer("cost_nano_usd").notNull().default(0),
    createdAt: createdAt(),
    startedAt: integer("started_at"),
    finishedAt: integer("finished_at"),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("workflow_runs_trigger_key").on(t.workflowId, t.triggerKey),
    index("workflow_runs_tenant_created").on(t.tenantId, t.createdAt),
    index("workflow_runs_tenant_status").on(t.tenantId, t.status, t.createdAt),
    index("workflow_runs_concurrency").on(t.workflowId, t.concurrencyKey, t.status),
    index("workflow_runs_parent").on(t.parentRunId),
  ],
);

export const workflowStepRuns = sqliteTable(
  "workflow_step_runs",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    runId: text("run_id").notNull(),
    stepId: text("step_id").notNull(),
    iteration: integer("iteration").notNull(),
    type: text("type").notNull(),
    status: text("status", { enum: STEP_STATUSES }).notNull(),
    attempts: integer("attempts").notNull().default(0),
    input: json<unknown>("input"),
    output: json<unknown>("output"),
    error: json<StepErrorInfo>("error"),
    /** What a waiting step keeps between its start and its wake-up (an approval's request, a child run id). */
    state: json<unknown>("state"),
    costNanoUsd: integer("cost_nano_usd").notNull().default(0),
    /** Until when a running step belongs to the consumer that claimed it. */
    leaseUntil: integer("lease_until"),
    /** When a pending (retry) or waiting (sleep, timeout) step is due. */
    wakeAt: integer("wake_at"),
    waitKind: text("wait_kind", { enum: WAIT_KINDS }),
    waitEvent: text("wait_event"),
    waitMatch: json<Record<string, string>>("wait_match"),
    createdAt: createdAt(),
    startedAt: integer("started_at"),
    finishedAt: integer("finished_at"),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("workflow_step_runs_key").on(t.runId, t.stepId, t.iteration),
    index("workflow_step_runs_event").on(t.tenantId, t.waitEvent, t.status),
    index("workflow_step_runs_due").on(t.status, t.wakeAt),
    index("workflow_step_runs_approvals").on(t.tenantId, t.waitKind, t.status),
  ],
);

/**
 * Concurrency slots: a run holds a row here while it is active. A slot is taken by one
 * INSERT … SELECT … WHERE count < limit, which D1 runs atomically.
 */
export const workflowConcurrency = sqliteTable(
  "workflow_concurrency",
  {
    workflowId: text("workflow_id").notNull(),
    key: text("key").notNull(),
    runId: text("run_id").notNull(),
    tenantId: text("tenant_id").notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.workflowId, t.key, t.runId] }), index("workflow_concurrency_run").on(t.runId)],
);
