/**
 * Request and response schemas of the workflow routes (definitions, runs, approvals).
 */
import { z } from "@hono/zod-openapi";
import { RUN_STATUSES, STEP_STATUSES } from "../../d1/schema";
import type { RunRow, StepRow } from "../workflows/engine/rows";
import type { VersionRow, WorkflowRow } from "../workflows/store/definitions";
import { WORKFLOW_KEY } from "../workflows/store/definitions";
import { EpochMs } from "./schemas";

const Json = z.unknown().openapi({ description: "Any JSON value" });

/** A definition as JSON or as YAML text: exactly one of the two. */
export const DefinitionSource = z
  .object({
    definition: z.record(z.string(), z.unknown()).optional().openapi({ description: "The definition as JSON" }),
    yaml: z.string().max(500_000).optional().openapi({ description: "The same definition written in YAML" }),
  })
  .strict()
  .refine((b) => (b.definition === undefined) !== (b.yaml === undefined), { message: "give either definition or yaml", path: ["definition"] });

export const CreateWorkflow = z
  .object({
    key: z.string().regex(WORKFLOW_KEY, "lower-case letters, digits and dashes").openapi({ example: "speed-to-lead" }),
    definition: z.record(z.string(), z.unknown()).optional(),
    yaml: z.string().max(500_000).optional(),
  })
  .strict()
  .refine((b) => (b.definition === undefined) !== (b.yaml === undefined), { message: "give either definition or yaml", path: ["definition"] });

export const WorkflowSchema = z
  .object({
    id: z.string(),
    key: z.string(),
    name: z.string(),
    description: z.string(),
    latestVersion: z.number().int(),
    enabled: z.boolean(),
    template: z.string().nullable(),
    createdAt: EpochMs,
    updatedAt: EpochMs,
  })
  .openapi("Workflow");

export const VersionSchema = z
  .object({ workflowId: z.string(), version: z.number().int(), sha256: z.string(), definition: Json, createdBy: z.string().nullable(), createdAt: EpochMs })
  .openapi("WorkflowVersion");

const ErrorInfo = z.object({ code: z.string(), message: z.string(), retryable: z.boolean() });

export const RunSchema = z
  .object({
    id: z.string(),
    workflowId: z.string(),
    version: z.number().int(),
    status: z.enum(RUN_STATUSES),
    input: Json,
    output: Json,
    error: ErrorInfo.extend({ stepId: z.string().nullable() }).nullable(),
    trigger: z.object({ type: z.string() }).passthrough(),
    concurrencyKey: z.string().nullable(),
    parentRunId: z.string().nullable(),
    rerunOf: z.string().nullable(),
    costNanoUsd: z.number().int().openapi({ description: "AI cost of the run so far (nano-USD)" }),
    createdAt: EpochMs,
    startedAt: EpochMs.nullable(),
    finishedAt: EpochMs.nullable(),
    updatedAt: EpochMs,
  })
  .openapi("WorkflowRun");

export const StepRunSchema = z
  .object({
    stepId: z.string(),
    iteration: z.number().int(),
    type: z.string(),
    status: z.enum(STEP_STATUSES),
    attempts: z.number().int(),
    input: Json,
    output: Json,
    error: ErrorInfo.nullable(),
    costNanoUsd: z.number().int(),
    waitingFor: z.string().nullable().openapi({ description: "timer, event, approval, child or children while waiting" }),
    wakeAt: EpochMs.nullable().openapi({ description: "When a waiting or scheduled step is due" }),
    startedAt: EpochMs.nullable(),
    finishedAt: EpochMs.nullable(),
    durationMs: z.number().int().nullable(),
  })
  .openapi("WorkflowStepRun");

export const RunDetailSchema = RunSchema.extend({ steps: z.array(StepRunSchema) }).openapi("WorkflowRunDetail");

export const ApprovalSchema = z
  .object({ runId: z.string(), workflowId: z.string(), workflowKey: z.string(), stepId: z.string(), iteration: z.number().int(), request: Json, since: EpochMs, expiresAt: EpochMs.nullable() })
  .openapi("PendingApproval");

export function publicWorkflow(w: WorkflowRow) {
  return { id: w.id, key: w.key, name: w.name, description: w.description, latestVersion: w.latestVersion, enabled: w.enabled, template: w.template, createdAt: w.createdAt, updatedAt: w.updatedAt };
}

export function publicVersion(v: VersionRow) {
  return { workflowId: v.workflowId, version: v.version, sha256: v.sha256, definition: v.definition, createdBy: v.createdBy, createdAt: v.createdAt };
}

export function publicRun(r: RunRow) {
  return {
    id: r.id, workflowId: r.workflowId, version: r.version, status: r.status, input: r.input, output: r.output, error: r.error, trigger: r.trigger,
    concurrencyKey: r.concurrencyKey, parentRunId: r.parentRunId, rerunOf: r.rerunOf, costNanoUsd: r.costNanoUsd,
    createdAt: r.createdAt, startedAt: r.startedAt, finishedAt: r.finishedAt, updatedAt: r.updatedAt,
  };
}

export function publicStepRun(s: StepRow) {
  return {
    stepId: s.stepId, iteration: s.iteration, type: s.type, status: s.status, attempts: s.attempts, input: s.input, output: s.output, error: s.error,
    costNanoUsd: s.costNanoUsd, waitingFor: s.status === "waiting" ? s.waitKind : null, wakeAt: s.wakeAt, startedAt: s.startedAt, finishedAt: s.finishedAt,
    durationMs: s.startedAt !== null && s.finishedAt !== null ? s.finishedAt - s.startedAt : null,
  };
}
