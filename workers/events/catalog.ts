/**
 * The platform's event catalog: every event type the platform emits, the shape of its
 * `data` (zod, and the JSON Schema partners read), and an example. Producers call
 * `publishEvent`, which refuses types and data that are not in here.
 *
 * Data objects are open (extra fields pass through) so a producer can add a field
 * without breaking partners; the listed fields are the contract.
 */
import { z } from "zod";
import { ANOMALY_KINDS, ANOMALY_UNITS, SENSITIVITIES } from "../../d1/schema";

const id = (prefix: string) => z.string().min(1).describe(`${prefix}_… id`);
const channel = z.enum(["email", "sms", "chat", "phone"]);

type Definition = { description: string; schema: z.ZodType<Record<string, unknown>>; example: Record<string, unknown> };

const leadCreated = z.looseObject({
  leadId: id("lead"),
  rooftopId: z.string().nullable().optional(),
  source: z.string().min(1).describe("Where the lead came from: adf, web, phone, chat, …"),
  provider: z.string().optional().describe("The lead provider named in the ADF (e.g. AutoTrader)"),
  comments: z.string().optional().describe("What the customer wrote"),
  adf: z.string().optional().describe("The ADF/XML as received, for CRMs that ingest ADF"),
  customer: z.looseObject({ name: z.string().optional(), email: z.string().optional(), phone: z.string().optional() }).optional(),
  vehicle: z.looseObject({ year: z.number().int().optional(), make: z.string().optional(), model: z.string().optional(), vin: z.string().optional() }).optional(),
});

const leadReplied = z.looseObject({
  leadId: id("lead"),
  channel,
  messageId: z.string().min(1),
  reply: z.string().optional().describe("The reply text, ready to send"),
  by: z.enum(["ai", "user"]).optional(),
  runId: z.string().optional(),
});

const leadEscalated = z.looseObject({
  leadId: id("lead"),
  level: z.number().int().min(1).describe("1, 2, 3…: how many escalations so far"),
  minutesWaiting: z.number().int().nonnegative(),
  rooftopId: z.string().nullable().optional(),
  runId: z.string().optional(),
});

const approvalRequested = z.looseObject({
  runId: id("run"),
  workflowId: id("wf"),
  stepId: z.string(),
  title: z.string(),
  summary: z.string().optional(),
  expiresAt: z.number().int().nullable().optional().describe("Epoch ms"),
});

const reviewResponse = z.looseObject({
  reviewId: z.string(),
  platform: z.string().optional(),
  response: z.string(),
  approvedBy: z.string().nullable().optional(),
  runId: z.string().optional(),
});

const serviceReminder = z.looseObject({
  customer: z.looseObject({ name: z.string().optional(), email: z.string().optional(), phone: z.string().optional() }).optional(),
  vehicle: z.looseObject({ vin: z.string().optional(), year: z.number().int().optional(), make: z.string().optional(), model: z.string().optional() }).optional(),
  dueAt: z.string().describe("ISO 8601 date the service falls due"),
  reason: z.enum(["time", "mileage"]),
  message: z.string().optional(),
  runId: z.string().optional(),
});

const leadContacted = z.looseObject({
  leadId: id("lead"),
  channel,
  by: z.enum(["ai", "user"]),
  userId: z.string().nullable().optional(),
});

const runRef = { runId: id("run"), workflowId: id("wf"), version: z.number().int().positive() };
const runCompleted = z.looseObject({ ...runRef, durationMs: z.number().int().nonnegative().optional(), output: z.unknown().optional() });
const runFailed = z.looseObject({
  ...runRef,
  failedStepId: z.string().nullable().optional(),
  error: z.looseObject({ code: z.string(), message: z.string() }),
});

const budgetThreshold = z.looseObject({
  budgetId: id("bud"),
  scope: z.enum(["tenant", "key", "user", "tag"]),
  scopeId: z.string().nullable().optional(),
  name: z.string().optional(),
  window: z.string().describe("day, month or a rolling window such as 24h"),
  windowStart: z.number().int().optional().describe("Epoch ms"),
  windowEnd: z.number().int().optional().describe("Epoch ms"),
  thresholdPercent: z.number().describe("The threshold crossed: 50, 80 or 100"),
  spentNanoUsd: z.number().int(),
  limitNanoUsd: z.number().int(),
  action: z.enum(["hard", "soft", "degrade"]).optional(),
});

const trainingSucceeded = z.looseObject({
  jobId: id("job"),
  provider: z.string(),
  baseModel: z.string(),
  datasetId: z.string().optional(),
  modelVersionId: z.string().nullable().optional(),
  metrics: z.record(z.string(), z.number()).optional(),
});
const trainingFailed = z.looseObject({
  jobId: id("job"),
  provider: z.string(),
  error: z.looseObject({ code: z.string(), message: z.string() }),
});

const versionPromoted = z.looseObject({
  modelId: id("mdl"),
  versionId: id("mv"),
  alias: z.string(),
  previousVersionId: z.string().nullable().optional(),
});

const versionRolledBack = z.looseObject({
  modelId: id("mdl"),
  versionId: id("mv").describe("The version the alias points at again"),
  alias: z.string(),
  fromVersionId: z.string().nullable().optional().describe("The version it pointed at before"),
});

const canaryRolledBack = z.looseObject({
  modelId: id("mdl"),
  challengerVersionId: id("mv"),
  championVersionId: z.string().nullable().optional(),
  reason: z.enum(["error_rate", "quality"]),
  previousPercent: z.number().int(),
});

const endpointDisabled = z.looseObject({
  endpointId: id("whe"),
  url: z.string(),
  reason: z.enum(["gone", "failing"]).describe("gone: the endpoint answered 410; failing: no success for 5 days"),
  lastSuccessAt: z.string().nullable().describe("ISO 8601, or null if it never succeeded"),
});

const webhookTest = z.looseObject({ endpointId: id("whe"), message: z.string() });

const anomalyRef = {
  anomalyId: id("anom"),
  kind: z.enum(ANOMALY_KINDS),
  subject: z.string().describe('The provider for provider_* kinds; "tenant" for tenant_spend and tenant_volume'),
};
const anomalyDetected = z.looseObject({
  ...anomalyRef,
  score: z.number().describe("Robust z-score: how many baseline scales above the usual level"),
  observed: z.number().describe("The value in the window, in `unit`"),
  expected: z.number().describe("The usual value: the median of the previous 24 hours of 5-minute windows"),
  unit: z.enum(ANOMALY_UNITS),
  windowStart: z.number().int().describe("Epoch ms"),
  windowEnd: z.number().int().describe("Epoch ms"),
  sensitivity: z.enum(SENSITIVITIES).describe("The tenant's sensitivity setting when it was raised"),
  summary: z.string().optional(),
});
const anomalyResolved = z.looseObject({
  ...anomalyRef,
  detectedAt: z.number().int().describe("Epoch ms"),
  resolvedAt: z.number().int().describe("Epoch ms"),
});

const CATALOG = {
  "lead.created": {
    description: "A lead arrived (ADF e-mail, web form, phone, chat).",
    schema: leadCreated,
    example: { leadId: "lead_8fK2", rooftopId: "rt_19aQ", source: "adf", customer: { name: "Dana Reyes", email: "dana@example.com" }, vehicle: { year: 2024, make: "Toyota", model: "RAV4" } },
  },
  "lead.replied": {
    description: "A reply to a lead is ready to send: drafted by AI (or written by staff), checked, outside quiet hours.",
    schema: leadReplied,
    example: { leadId: "lead_8fK2", channel: "email", messageId: "msg_3Jd0", reply: "Hi Dana, thanks for asking about the 2024 RAV4…", by: "ai", runId: "run_5Ty1" },
  },
  "lead.escalated": {
    description: "No one has contacted a lead in time; a manager should step in.",
    schema: leadEscalated,
    example: { leadId: "lead_8fK2", level: 1, minutesWaiting: 5, rooftopId: "rt_19aQ", runId: "run_5Ty1" },
  },
  "lead.contacted": {
    description: "The dealership (or its AI) contacted a lead.",
    schema: leadContacted,
    example: { leadId: "lead_8fK2", channel: "sms", by: "ai", userId: null },
  },
  "workflow.run.completed": {
    description: "A workflow run finished successfully.",
    schema: runCompleted,
    example: { runId: "run_5Ty1", workflowId: "wf_2Lp9", version: 3, durationMs: 4120 },
  },
  "workflow.run.failed": {
    description: "A workflow run errored after its retries.",
    schema: runFailed,
    example: { runId: "run_5Ty1", workflowId: "wf_2Lp9", version: 3, failedStepId: "score", error: { code: "upstream_error", message: "provider unavailable" } },
  },
  "workflow.approval.requested": {
    description: "A workflow run waits for a person to approve or reject a step.",
    schema: approvalRequested,
    example: { runId: "run_5Ty1", workflowId: "wf_2Lp9", stepId: "approve", title: "Approve the reply to a 2-star review", expiresAt: null },
  },
  "review.response.approved": {
    description: "A drafted response to a customer review was approved and is ready to post.",
    schema: reviewResponse,
    example: { reviewId: "rev_77", platform: "google", response: "Thank you for your feedback, Sam…", approvedBy: "usr_1Ab2", runId: "run_5Ty1" },
  },
  "service.reminder.due": {
    description: "A vehicle is due for service (by time or mileage); the reminder text is included.",
    schema: serviceReminder,
    example: { customer: { name: "Lee Park", email: "lee@example.com" }, vehicle: { year: 2021, make: "Honda", model: "CR-V" }, dueAt: "2026-12-01", reason: "mileage", message: "Hi Lee, your CR-V is due…" },
  },
  "budget.threshold": {
    description: "Spend under a budget crossed 50, 80 or 100 % of its limit (once per window per threshold).",
    schema: budgetThreshold,
    example: { budgetId: "bud_7Qe4", name: "Monthly AI spend", scope: "tenant", scopeId: null, window: "month", windowStart: 1772323200000, windowEnd: 1775001600000, thresholdPercent: 80, spentNanoUsd: 80_000_000_000, limitNanoUsd: 100_000_000_000, action: "soft" },
  },
  "anomaly.detected": {
    description: "A provider's latency or error rate, or the tenant's spend or call volume, jumped well above its usual level (once until it resolves).",
    schema: anomalyDetected,
    example: { anomalyId: "anom_3Rt8", kind: "tenant_spend", subject: "tenant", score: 41.5, observed: 520_000_000, expected: 10_000_000, unit: "nano_usd", windowStart: 1772323200000, windowEnd: 1772323500000, sensitivity: "medium", summary: "Spend in the last 5 minutes was $0.5200, against a usual $0.0100." },
  },
  "anomaly.resolved": {
    description: "A metric behind an anomaly.detected has stayed back under the threshold for 10 minutes.",
    schema: anomalyResolved,
    example: { anomalyId: "anom_3Rt8", kind: "tenant_spend", subject: "tenant", detectedAt: 1772323500000, resolvedAt: 1772324700000 },
  },
  "training.job.succeeded": {
    description: "A fine-tuning job finished successfully.",
    schema: trainingSucceeded,
    example: { jobId: "job_4Hs8", provider: "sim", baseModel: "llama-3.1-8b", datasetId: "ds_1Zr2", modelVersionId: "mv_6Wn3", metrics: { trainLoss: 0.41 } },
  },
  "training.job.failed": {
    description: "A fine-tuning job failed, was cancelled or timed out.",
    schema: trainingFailed,
    example: { jobId: "job_4Hs8", provider: "sim", error: { code: "timed_out", message: "no progress for 6 h" } },
  },
  "model.version.promoted": {
    description: "A model version became the target of an alias (e.g. champion).",
    schema: versionPromoted,
    example: { modelId: "mdl_0Vb7", versionId: "mv_6Wn3", alias: "champion", previousVersionId: "mv_2Aa1" },
  },
  "model.version.rolled_back": {
    description: "An alias (the champion) was moved back to the version it pointed at before.",
    schema: versionRolledBack,
    example: { modelId: "mdl_0Vb7", versionId: "mv_2Aa1", alias: "champion", fromVersionId: "mv_6Wn3" },
  },
  "model.canary.rolled_back": {
    description: "A challenger's canary was stopped (set to 0 %) because it erred or scored worse than the champion.",
    schema: canaryRolledBack,
    example: { modelId: "mdl_0Vb7", challengerVersionId: "mv_6Wn3", championVersionId: "mv_2Aa1", reason: "error_rate", previousPercent: 20 },
  },
  "endpoint.disabled": {
    description: "A webhook endpoint was disabled: it answered 410, or failed without a success for 5 days.",
    schema: endpointDisabled,
    example: { endpointId: "whe_9Kc5", url: "https://crm.example.com/hooks/auterity", reason: "failing", lastSuccessAt: "2026-03-01T10:00:00.000Z" },
  },
  "webhook.test": {
    description: "Sent on request to check an endpoint; never sent otherwise.",
    schema: webhookTest,
    example: { endpointId: "whe_9Kc5", message: "Test event from Auterity" },
  },
} as const satisfies Record<string, Definition>;

export type EventType = keyof typeof CATALOG;

/** Every event type, in catalog order. */
export const EVENT_TYPES = Object.keys(CATALOG) as EventType[];

/** True when `type` is in the catalog. */
export function isEventType(type: string): type is EventType {
  return Object.hasOwn(CATALOG, type);
}

/** The zod schema of an event type's `data`. */
export function eventDataSchema(type: EventType): z.ZodType<Record<string, unknown>> {
  return CATALOG[type].schema;
}

/** The catalog's example `data` of an event type (a copy). */
export function eventExample(type: EventType): Record<string, unknown> {
  return structuredClone(CATALOG[type].example);
}

export type CatalogEntry = { type: EventType; description: string; schema: Record<string, unknown>; example: Record<string, unknown> };

let listed: CatalogEntry[] | undefined;

/** The catalog as partners read it: each type with its JSON Schema and an example. */
export function listEventCatalog(): CatalogEntry[] {
  listed ??= EVENT_TYPES.map((type) => {
    const def: Definition = CATALOG[type];
    return { type, description: def.description, schema: z.toJSONSchema(def.schema, { io: "input" }), example: def.example };
  });
  return listed;
}
