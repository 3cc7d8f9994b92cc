/**
 * What the LiveHub pushes to dashboards: `{type, at, data}` frames. Every type is declared
 * once in LIVE_MESSAGES with the schema of its data and the topic group it belongs to; the
 * TypeScript union, validation and topic routing all follow from that table.
 */
import { z } from "zod";
import { ANOMALY_KINDS, ANOMALY_UNITS, RUN_STATUSES, SENSITIVITIES, STEP_STATUSES } from "../../d1/schema";

const Id = z.string().min(1).max(64);
const EpochMs = z.number().int().nonnegative();
const NanoUsd = z.number().int().nonnegative();

/** The canonical training-job lifecycle (DESIGN.md, "Training jobs"). */
export const TRAINING_STATUSES = [
  "pending",
  "validating",
  "queued",
  "running",
  "succeeded",
  "failed",
  "cancelled",
  "timed_out",
  "registering",
  "registered",
  "registration_failed",
] as const;

/** Topic groups a socket can subscribe to; "*" and `run:<id>` are handled in subscriptions.ts. */
export const TOPIC_GROUPS = ["runs", "training", "usage", "operations"] as const;
export type TopicGroup = (typeof TOPIC_GROUPS)[number];

/**
 * Every live message type. Adding one here is all it takes: producers get the type, the
 * hub validates it and routes it to its group. Messages whose data carries a `runId` also
 * reach sockets subscribed to `run:<runId>`.
 */
export const LIVE_MESSAGES = {
  "run.updated": {
    group: "runs",
    data: z.object({ runId: Id, workflowId: Id, status: z.enum(RUN_STATUSES), costNanoUsd: NanoUsd, updatedAt: EpochMs }),
  },
  "step.updated": {
    group: "runs",
    data: z.object({
      runId: Id,
      stepId: z.string().min(1).max(100),
      iteration: z.number().int().nonnegative(),
      status: z.enum(STEP_STATUSES),
      attempts: z.number().int().nonnegative(),
      error: z.object({ code: z.string().max(100), message: z.string().max(2_000), retryable: z.boolean().optional() }).optional(),
    }),
  },
  "approval.requested": {
    group: "runs",
    data: z.object({ runId: Id, stepId: z.string().min(1).max(100), title: z.string().max(500) }),
  },
  "training.updated": {
    group: "training",
    data: z.object({ jobId: Id, status: z.enum(TRAINING_STATUSES), progress: z.number().min(0).max(1).optional() }),
  },
  "usage.recorded": {
    group: "usage",
    data: z.object({
      model: z.string().min(1).max(200),
      provider: z.string().min(1).max(100),
      /** Calls of this model recorded together (one queue delivery); cost and tokens are their sums. */
      calls: z.number().int().positive(),
      costNanoUsd: NanoUsd,
      tokens: z.number().int().nonnegative(),
    }),
  },
  "anomaly.detected": {
    group: "operations",
    data: z.object({
      anomalyId: Id,
      kind: z.enum(ANOMALY_KINDS),
      subject: z.string().min(1).max(100),
      score: z.number(),
      observed: z.number(),
      expected: z.number(),
      unit: z.enum(ANOMALY_UNITS),
      windowStart: EpochMs,
      windowEnd: EpochMs,
      sensitivity: z.enum(SENSITIVITIES),
      summary: z.string().max(500),
    }),
  },
  "anomaly.resolved": {
    group: "operations",
    data: z.object({ anomalyId: Id, kind: z.enum(ANOMALY_KINDS), subject: z.string().min(1).max(100), detectedAt: EpochMs, resolvedAt: EpochMs }),
  },
} as const satisfies Record<string, { group: TopicGroup; data: z.ZodType }>;

type Definitions = typeof LIVE_MESSAGES;
export type LiveMessageType = keyof Definitions;
export type LiveMessageData<T extends LiveMessageType> = z.input<Definitions[T]["data"]>;

/** One frame as a dashboard receives it; `at` is epoch ms. */
export type LiveMessage = { [T in LiveMessageType]: { type: T; at: number; data: LiveMessageData<T> } }[LiveMessageType];

/** What producers hand to publishLive: `at` defaults to the time of publishing. */
export type LiveMessageInput = { [T in LiveMessageType]: { type: T; at?: number; data: LiveMessageData<T> } }[LiveMessageType];

function isLiveMessageType(value: unknown): value is LiveMessageType {
  return typeof value === "string" && Object.hasOwn(LIVE_MESSAGES, value);
}

const Envelope = z.object({
  type: z.custom<LiveMessageType>(isLiveMessageType, "Unknown live message type"),
  at: EpochMs,
  data: z.unknown(),
});

/** A message checked against its type's schema, serialised once, with the topics it reaches. */
export type PreparedMessage = { type: LiveMessageType; frame: string; topics: string[] };

/** Validates a message (throws ZodError when it does not fit) and works out who may receive it. */
export function prepareLiveMessage(value: unknown): PreparedMessage {
  const envelope = Envelope.parse(value);
  const { type, at } = envelope;
  const definition = LIVE_MESSAGES[type];
  const data = definition.data.parse(envelope.data);
  const topics: string[] = [definition.group];
  if ("runId" in data) topics.push(`run:${data.runId}`);
  return { type, frame: JSON.stringify({ type, at, data }), topics };
}
