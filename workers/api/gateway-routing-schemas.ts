/**
 * Request and response schemas of /gateway/routing, for validation and the OpenAPI document.
 */
import { z } from "@hono/zod-openapi";
import { EpochMs } from "./schemas";

const MAX_YAML_BYTES = 64 * 1024;

const Problem = z
  .object({ line: z.number().int(), column: z.number().int(), path: z.string().openapi({ example: "rules.1.targets.0.weight" }), message: z.string() })
  .openapi("RoutingProblem");

export const YamlText = z.string().max(MAX_YAML_BYTES, "routing rules are at most 64 KB of YAML").openapi({
  example: "rules:\n  - name: lead-replies\n    match: { task: lead-reply }\n    targets: [anthropic/claude-3-5-haiku-latest, openai/gpt-4o-mini]\n",
});

export const PutRouting = z
  .object({
    yaml: YamlText,
    expectedVersion: z.number().int().min(0).optional().openapi({ description: "Refuse (409) unless the saved version is still this one; 0 = none saved yet" }),
  })
  .strict();

export const RoutingCurrent = z
  .object({
    id: z.string().nullable().openapi({ description: "The saved version's id (see /history); null when none were ever saved" }),
    yaml: z.string().nullable().openapi({ description: "The rules as written; null when none were ever saved" }),
    version: z.number().int().openapi({ description: "0 when none were ever saved" }),
    updatedAt: EpochMs.nullable(),
    updatedBy: z.string().nullable(),
    warnings: z.array(Problem).openapi({ description: "Targets this tenant cannot call yet, and settings that have no effect" }),
  })
  .openapi("RoutingRules");

export const RoutingVersionSchema = z
  .object({ id: z.string(), version: z.number().int(), yaml: z.string(), createdAt: EpochMs, createdBy: z.string().nullable(), current: z.boolean() })
  .openapi("RoutingRulesVersion");

export const HistoryQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  before: z.coerce.number().int().min(1).optional().openapi({ description: "nextBefore of the previous page" }),
});

export const VersionParams = z.object({ id: z.string().min(1).max(64).openapi({ param: { name: "id", in: "path" }, example: "rrv_4fGh7Jk9LmNp2QrS5tUv" }) });

const Instant = z
  .union([z.number().int().min(0), z.iso.datetime({ offset: true })])
  .transform((v) => (typeof v === "number" ? v : Date.parse(v)))
  .openapi({ description: "Epoch ms or ISO 8601 date-time", example: "2026-03-06T22:30:00-05:00" });

export const DryRunBody = z
  .object({
    model: z.string().trim().min(1).max(250).openapi({ example: "gpt-4o" }),
    messages: z.array(z.looseObject({ role: z.string() })).max(500).optional(),
    input: z.union([z.string(), z.array(z.looseObject({}))]).optional().openapi({ description: "A Responses-style input instead of messages" }),
    system: z.string().optional(),
    tools: z.array(z.looseObject({})).max(128).optional(),
    maxTokens: z.number().int().positive().optional(),
    responseFormat: z.enum(["text", "json_object", "json_schema"]).optional(),
    stream: z.boolean().optional(),
    tags: z.array(z.string().max(64)).max(50).optional().openapi({ description: "The calling key's tags" }),
    metadata: z.record(z.string().max(80), z.string().max(256)).optional().openapi({ description: "x-auterity-* headers, with or without the prefix", example: { task: "lead-reply" } }),
    at: Instant.optional().openapi({ description: "Plan as if the call came at this time (default now)" }),
    yaml: YamlText.optional().openapi({ description: "Plan against this draft instead of the saved rules" }),
    draw: z.number().min(0).lt(1).optional().openapi({ description: "Fix the weighted/canary random draw" }),
  })
  .strict()
  .refine((b) => !(b.messages && b.input !== undefined), { message: "send messages or input, not both", path: ["input"] });

const Retry = z.object({
  attempts: z.number().int(),
  backoff: z.enum(["constant", "exponential"]),
  delayMs: z.number().int(),
  maxDelayMs: z.number().int(),
  onStatuses: z.array(z.number().int()),
  honorRetryAfter: z.boolean(),
});

const Info = z
  .object({
    price: z.object({ inputPerMtok: z.number(), outputPerMtok: z.number() }).nullable(),
    contextWindow: z.number().int().nullable(),
    capabilities: z.object({ tools: z.boolean(), json: z.boolean(), vision: z.boolean() }).nullable(),
    latencyMs: z.number().nullable(),
    circuit: z.enum(["closed", "open", "half_open"]),
    resolved: z.object({ provider: z.string(), model: z.string(), via: z.string(), healthKey: z.string() }).nullable(),
  })
  .openapi("RoutingTargetInfo");

export const DryRunResultSchema = z
  .object({
    rule: z.string().nullable(),
    strategy: z.enum(["direct", "fallback", "weighted", "cheapest", "lowest_latency", "canary"]),
    reason: z.string(),
    cache: z.object({ ttlSeconds: z.number().int() }).nullable(),
    targets: z.array(z.object({ model: z.string(), retry: Retry, timeoutMs: z.number().int(), info: Info })),
    skipped: z.array(z.object({ model: z.string(), why: z.string(), info: Info })),
    evaluated: z.array(z.object({ rule: z.string(), matched: z.boolean(), reason: z.string() })),
    request: z.object({
      model: z.string(),
      tags: z.array(z.string()),
      metadata: z.record(z.string(), z.string()),
      estimatedPromptTokens: z.number().int(),
      maxOutputTokens: z.number().int().nullable(),
      needs: z.object({ tools: z.boolean(), json: z.boolean(), vision: z.boolean() }),
      stream: z.boolean(),
      timezone: z.string(),
      at: z.string(),
      localTime: z.string(),
    }),
    source: z.union([z.object({ kind: z.literal("saved"), version: z.number().int().nullable() }), z.object({ kind: z.literal("draft") })]),
    warnings: z.array(Problem),
  })
  .openapi("RoutingDryRun");
