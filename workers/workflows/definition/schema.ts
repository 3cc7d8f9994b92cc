/**
 * The workflow definition language (JSON, or the same shape in YAML), validated by zod.
 * Steps run top to bottom; `branch` and `parallel` hold nested step lists. Step ids are
 * unique across the whole definition, so a step run is addressed by (run, step id,
 * iteration) wherever it sits.
 */
import { z } from "zod";
import { EVENT_TYPES } from "../../events/catalog";
import { type Condition, ConditionSchema } from "./condition-schema";

export const STEP_ID = /^[a-z][a-z0-9_]{0,62}$/;

/** Seconds, as a number or as "500ms", "30s", "5m", "2h", "7d". */
export const Duration = z.union([
  z.number().min(0).max(366 * 86_400),
  z.string().regex(/^\d+(\.\d+)?(ms|s|m|h|d)$/, "a duration such as 30s, 5m, 2h or 7d"),
]);
export type Duration = z.infer<typeof Duration>;

export const RetrySchema = z.strictObject({
  limit: z.number().int().min(0).max(25).default(0).describe("Retries after the first attempt"),
  delay: Duration.default("1s"),
  backoff: z.enum(["constant", "linear", "exponential"]).default("exponential"),
});
export type Retry = z.infer<typeof RetrySchema>;

const Clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "a time of day such as 21:00");
export const QuietHoursSchema = z.strictObject({
  start: Clock,
  end: Clock,
  /** IANA zone; default the tenant's zone. May be a template (e.g. "{{ input.timezone }}"). */
  timezone: z.string().min(1).max(100).optional(),
});
export type QuietHours = z.infer<typeof QuietHoursSchema>;

const EventType = z.enum(EVENT_TYPES);
/** A string that may contain {{ templates }} over the run data. */
const Text = z.string().max(100_000);

const base = {
  id: z.string().regex(STEP_ID, "lower-case letters, digits and _; starting with a letter"),
  name: z.string().max(200).optional(),
  retry: RetrySchema.optional(),
  timeout: Duration.optional(),
  /** Outbound steps wait for the end of these hours before they run. */
  quietHours: QuietHoursSchema.optional(),
};

const AiStep = z.strictObject({
  ...base,
  type: z.literal("ai"),
  model: z.string().min(1).max(200).describe("A model, alias or provider/model, routed like any gateway call"),
  system: Text.optional(),
  prompt: Text,
  temperature: z.number().min(0).max(2).optional(),
  maxTokens: z.number().int().min(1).max(32_000).optional(),
  output: z.enum(["text", "json"]).default("text"),
  tags: z.array(z.string().max(64)).max(10).optional(),
  /** A prompt template of the library ("lead-reply" or "lead-reply@3"); its messages go before `prompt`. */
  template: z.string().min(1).max(120).optional(),
  /** The template's variables; values may be templates over the run data. */
  variables: z.record(z.string(), z.unknown()).optional(),
});

const HttpStep = z.strictObject({
  ...base,
  type: z.literal("http"),
  method: z.enum(["GET", "POST", "PUT", "PATCH", "DELETE"]).default("POST"),
  url: Text,
  headers: z.record(z.string(), Text).optional(),
  body: z.unknown().optional(),
});

const TransformStep = z.strictObject({ ...base, type: z.literal("transform"), output: z.unknown() });

const SleepStep = z
  .strictObject({ ...base, type: z.literal("sleep"), duration: Duration.optional(), until: Text.optional().describe("ISO 8601 time or epoch ms; may be a template") })
  .refine((s) => (s.duration === undefined) !== (s.until === undefined), "give either duration or until");

const WaitForEventStep = z.strictObject({
  ...base,
  type: z.literal("wait_for_event"),
  event: EventType,
  /** Event data path -> expected value (a template), e.g. { "leadId": "{{ input.leadId }}" }. */
  match: z.record(z.string(), Text).default({}),
  timeout: Duration,
  onTimeout: z.enum(["continue", "fail"]).default("continue"),
});

const ApprovalStep = z.strictObject({
  ...base,
  type: z.literal("approval"),
  title: Text,
  summary: Text.optional(),
  /** What the approver reviews (and may edit), e.g. a drafted reply. */
  data: z.unknown().optional(),
  timeout: Duration.optional(),
  onTimeout: z.enum(["reject", "fail"]).default("reject"),
});

const EmitStep = z.strictObject({ ...base, type: z.literal("emit"), event: EventType, data: z.record(z.string(), z.unknown()) });

const SubworkflowStep = z.strictObject({
  ...base,
  type: z.literal("subworkflow"),
  workflow: z.string().min(1).max(200).describe("The key (or id) of a workflow of the same tenant"),
  input: z.unknown().optional(),
  wait: z.boolean().default(true),
});

const AdfParseStep = z.strictObject({ ...base, type: z.literal("adf_parse"), xml: Text });
const SentimentStep = z.strictObject({ ...base, type: z.literal("sentiment"), text: Text });
const IntentStep = z.strictObject({ ...base, type: z.literal("intent"), text: Text });
const LeadScoreStep = z.strictObject({ ...base, type: z.literal("lead_score"), lead: z.unknown(), sentiment: z.unknown().optional(), intent: z.unknown().optional() });
const QualityScoreStep = z.strictObject({ ...base, type: z.literal("quality_score"), text: Text, lead: z.unknown().optional() });
const ServiceDueStep = z.strictObject({
  ...base,
  type: z.literal("service_due"),
  vehicle: z.unknown().describe("{ lastServiceAt, lastServiceMileage, currentMileage?, mileageAt?, milesPerDay? } (templates allowed)"),
  intervalMonths: z.number().int().min(1).max(60).default(6),
  intervalMiles: z.number().int().min(500).max(100_000).default(5_000),
  remindDaysBefore: z.number().int().min(0).max(90).default(7),
});

export type Step =
  | z.infer<typeof AiStep>
  | z.infer<typeof HttpStep>
  | z.infer<typeof TransformStep>
  | z.infer<typeof SleepStep>
  | z.infer<typeof WaitForEventStep>
  | z.infer<typeof ApprovalStep>
  | z.infer<typeof EmitStep>
  | z.infer<typeof SubworkflowStep>
  | z.infer<typeof AdfParseStep>
  | z.infer<typeof SentimentStep>
  | z.infer<typeof IntentStep>
  | z.infer<typeof LeadScoreStep>
  | z.infer<typeof QualityScoreStep>
  | z.infer<typeof ServiceDueStep>
  | BranchStep
  | ParallelStep;

export type BranchStep = z.infer<z.ZodObject<typeof base>> & { type: "branch"; cases: { when: Condition; steps: Step[] }[]; else?: Step[] };
export type ParallelStep = z.infer<z.ZodObject<typeof base>> & { type: "parallel"; branches: Record<string, Step[]> };
export type StepType = Step["type"];

const Steps: z.ZodType<Step[]> = z.lazy(() => z.array(StepSchema).min(1).max(200));

const BranchSchema = z.strictObject({
  ...base,
  type: z.literal("branch"),
  cases: z.array(z.strictObject({ when: ConditionSchema, steps: Steps })).min(1).max(20),
  else: Steps.optional(),
});

const ParallelSchema = z.strictObject({
  ...base,
  type: z.literal("parallel"),
  branches: z.record(z.string().regex(STEP_ID), Steps).refine((b) => Object.keys(b).length >= 2 && Object.keys(b).length <= 20, "between 2 and 20 branches"),
});

export const StepSchema: z.ZodType<Step> = z.lazy(() =>
  z.discriminatedUnion("type", [
    AiStep,
    HttpStep,
    TransformStep,
    SleepStep,
    WaitForEventStep,
    ApprovalStep,
    EmitStep,
    SubworkflowStep,
    AdfParseStep,
    SentimentStep,
    IntentStep,
    LeadScoreStep,
    QualityScoreStep,
    ServiceDueStep,
    BranchSchema,
    ParallelSchema,
  ]),
);

export const TriggerSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("api") }),
  z.strictObject({ type: z.literal("event"), event: EventType, filter: ConditionSchema.optional().describe("Over { event: {id, type, data}, input: data }") }),
  z.strictObject({
    type: z.literal("cron"),
    schedule: z.string().min(9).max(100).describe("Five fields: minute hour day-of-month month day-of-week"),
    timezone: z.string().max(100).optional(),
    input: z.unknown().optional(),
  }),
]);
export type Trigger = z.infer<typeof TriggerSchema>;

export const DefinitionSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  description: z.string().max(2000).optional(),
  /** JSON Schema (a practical subset: type, properties, required, items, enum, min/max, pattern, format). */
  input: z.record(z.string(), z.unknown()).optional(),
  triggers: z.array(TriggerSchema).max(20).default([{ type: "api" }]),
  concurrency: z.strictObject({ key: Text, limit: z.number().int().min(1).max(1000).default(1) }).optional(),
  steps: Steps,
  /** The run's output (a template over the run data); default the last step's output. */
  output: z.unknown().optional(),
});
export type Definition = z.infer<typeof DefinitionSchema>;
