/**
 * What the budgets and rate-limits API accepts and answers, as zod schemas (which also
 * describe it in /api/v1/openapi.json).
 */
import { z } from "@hono/zod-openapi";
import { BUDGET_ACTIONS, BUDGET_SCOPES, RATE_LIMIT_SCOPES } from "../../../d1/schema";
import { parseWindow } from "./windows";

/** The largest limit accepted: keeps every nano-USD sum exact in a double. */
export const MAX_LIMIT_USD = 1_000_000;

const Window = z
  .string()
  .max(8)
  .refine((w) => parseWindow(w) !== null, "Use day, month, or a rolling length such as 30m, 1h, 24h or 7d (at most 31d)")
  .openapi({ description: "day or month (calendar, in the tenant's time zone), or a rolling length: 30m, 1h, 24h, 7d", example: "month" });

const LimitUsd = z
  .number()
  .positive()
  .max(MAX_LIMIT_USD)
  .refine((v) => Math.round(v * 1e9) >= 1, "The limit must be at least 0.000000001 USD")
  .openapi({ description: "The limit in USD (kept as integer nano-USD)", example: 500 });

const Thresholds = z
  .array(z.number().int().min(1).max(100))
  .max(10)
  .transform((ts) => [...new Set(ts)].sort((a, b) => a - b))
  .openapi({ description: "Percentages of the limit at which a budget.threshold event is sent, once per window", example: [50, 80, 100] });

const ScopeId = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .nullable()
  .openapi({ description: "The API key id (scope key), user id (scope user) or tag (scope tag); omit for scope tenant", example: "key_4fGh7Jk9LmNp2QrS5tUv" });

const DegradeTo = z.string().min(1).max(250).nullable().openapi({ description: "The cheaper model calls switch to (action degrade)", example: "openai/gpt-4o-mini" });
const DegradeAt = z.number().int().min(1).max(100).openapi({ description: "Degrade once a call would take spend to this % of the limit", example: 80 });
const Name = z.string().trim().min(1).max(100).openapi({ example: "Monthly cap" });

export const BudgetCreate = z
  .object({
    name: Name.optional(),
    scope: z.enum(BUDGET_SCOPES),
    scopeId: ScopeId.optional(),
    limitUsd: LimitUsd,
    window: Window,
    action: z.enum(BUDGET_ACTIONS).default("hard").openapi({ description: "hard: refuse (402); soft: allow and notify; degrade: switch to degradeTo" }),
    degradeTo: DegradeTo.optional(),
    degradeAtPercent: DegradeAt.default(100),
    thresholds: Thresholds.default([50, 80, 100]),
    enabled: z.boolean().default(true),
  })
  .strict()
  .openapi("BudgetCreate");
export type BudgetCreateInput = z.output<typeof BudgetCreate>;

export const BudgetPatch = z
  .object({
    name: Name.optional(),
    scope: z.enum(BUDGET_SCOPES).optional(),
    scopeId: ScopeId.optional(),
    limitUsd: LimitUsd.optional(),
    window: Window.optional(),
    action: z.enum(BUDGET_ACTIONS).optional(),
    degradeTo: DegradeTo.optional(),
    degradeAtPercent: DegradeAt.optional(),
    thresholds: Thresholds.optional(),
    enabled: z.boolean().optional(),
  })
  .strict()
  .openapi("BudgetPatch");
export type BudgetPatchInput = z.output<typeof BudgetPatch>;

export const Budget = z
  .object({
    id: z.string(),
    name: z.string(),
    scope: z.enum(BUDGET_SCOPES),
    scopeId: z.string().nullable(),
    limitNanoUsd: z.number().int(),
    limitUsd: z.number(),
    window: z.string(),
    action: z.enum(BUDGET_ACTIONS),
    degradeTo: z.string().nullable(),
    degradeAtPercent: z.number().int(),
    thresholds: z.array(z.number().int()),
    enabled: z.boolean(),
    createdAt: z.number().int(),
    updatedAt: z.number().int(),
  })
  .openapi("Budget");
export type BudgetView = z.infer<typeof Budget>;

export const Spend = z
  .object({
    budgetId: z.string(),
    name: z.string(),
    scope: z.enum(BUDGET_SCOPES),
    scopeId: z.string().nullable(),
    action: z.enum(BUDGET_ACTIONS),
    window: z.string(),
    windowStart: z.number().int(),
    windowEnd: z.number().int(),
    limitNanoUsd: z.number().int(),
    spentNanoUsd: z.number().int(),
    reservedNanoUsd: z.number().int().openapi({ description: "Held by calls still running (their worst-case cost)" }),
    remainingNanoUsd: z.number().int(),
    limitUsd: z.number(),
    spentUsd: z.number(),
    remainingUsd: z.number(),
    percent: z.number().openapi({ description: "spent / limit * 100", example: 42.5 }),
    enabled: z.boolean(),
  })
  .openapi("BudgetSpend");

const PerMinute = (max: number, example: number) => z.number().int().min(1).max(max).nullable().openapi({ example });

export const RateLimitCreate = z
  .object({
    scope: z.enum(RATE_LIMIT_SCOPES),
    apiKeyId: z.string().min(1).max(64).nullable().optional().openapi({ description: "The API key (scope key); omit for scope tenant" }),
    rpm: PerMinute(1_000_000, 600).optional().openapi({ description: "Requests per minute" }),
    tpm: PerMinute(1_000_000_000, 200_000).optional().openapi({ description: "Tokens per minute (estimated at admission, corrected when the call ends)" }),
  })
  .strict()
  .openapi("RateLimitCreate");
export type RateLimitCreateInput = z.output<typeof RateLimitCreate>;

export const RateLimitPatch = z
  .object({ rpm: PerMinute(1_000_000, 600).optional(), tpm: PerMinute(1_000_000_000, 200_000).optional() })
  .strict()
  .openapi("RateLimitPatch");
export type RateLimitPatchInput = z.output<typeof RateLimitPatch>;

export const RateLimit = z
  .object({
    id: z.string(),
    scope: z.enum(RATE_LIMIT_SCOPES),
    apiKeyId: z.string().nullable(),
    rpm: z.number().int().nullable(),
    tpm: z.number().int().nullable(),
    createdAt: z.number().int(),
    updatedAt: z.number().int(),
  })
  .openapi("RateLimit");
export type RateLimitView = z.infer<typeof RateLimit>;

export const LedgerSettings = z
  .object({
    ledgerFailOpen: z.boolean().openapi({ description: "When the budget ledger cannot be reached: true admits calls unchecked, false (default) refuses them with 503" }),
  })
  .strict()
  .openapi("LedgerSettings");
