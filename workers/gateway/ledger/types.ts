/**
 * The shapes that cross between the call path, the TenantLedger Durable Object and the API.
 * Everything here is plain data, so it travels over Durable Object RPC unchanged.
 */
import { z } from "zod";
import type { BudgetAction, BudgetScope } from "../../../d1/schema";

/** What the call path asks the ledger before calling a provider. */
export const LedgerRequestSchema = z.object({
  requestId: z.string().min(1).max(200),
  apiKeyId: z.string().nullable(),
  userId: z.string().nullable(),
  tags: z.array(z.string()),
  model: z.string(),
  /** What TPM limits count at admission (prompt tokens, plus expected output if the caller likes). */
  estimatedTokens: z.number().nonnegative(),
  /** The most this call can cost (see worstCaseNanoUsd): what budgets reserve. */
  worstCaseNanoUsd: z.number().nonnegative(),
  /** Epoch ms: which windows the call falls in and how far rate buckets have refilled. */
  now: z.number(),
});
export type LedgerRequest = z.infer<typeof LedgerRequestSchema>;

/** An admitted call. */
export type Admission = {
  /** Hand this to settleCall; empty when the ledger was skipped (failOpen). */
  reservationId: string;
  /** Rate-limit and budget headers for the response. */
  headers: Record<string, string>;
  /** A cheaper model to serve the call with, when a degrade budget says so. */
  degradeTo: string | null;
  /** True when the ledger could not be reached and the tenant chose to admit anyway. */
  failOpen: boolean;
};

export type AdmitResult =
  | { ok: true; reservationId: string; headers: Record<string, string>; degradeTo: string | null }
  | { ok: false; code: "rate_limited" | "budget_exceeded"; message: string; details: Record<string, unknown>; headers: Record<string, string> };

/** What a call really cost once it ended (0 for calls that failed). */
export const ActualCostSchema = z.object({ nanoUsd: z.number().nonnegative(), tokens: z.number().nonnegative() });
export type ActualCost = z.infer<typeof ActualCostSchema>;

/** A threshold a budget's spend crossed; sent as a budget.threshold event. */
export type ThresholdCrossing = {
  budgetId: string;
  name: string;
  scope: BudgetScope;
  scopeId: string | null;
  window: string;
  windowStart: number;
  windowEnd: number;
  action: BudgetAction;
  thresholdPercent: number;
  spentNanoUsd: number;
  limitNanoUsd: number;
  /** Which window the threshold was marked sent for (the window start; 0 for rolling windows). */
  markKey: number;
};

export type SettleResult = { settled: boolean; crossings: ThresholdCrossing[] };

/** A budget's current window: the numbers behind the dashboard's gauges. */
export type SpendView = {
  budgetId: string;
  name: string;
  scope: BudgetScope;
  scopeId: string | null;
  action: BudgetAction;
  window: string;
  windowStart: number;
  windowEnd: number;
  limitNanoUsd: number;
  spentNanoUsd: number;
  reservedNanoUsd: number;
  /** limit - spent - reserved, never below 0. */
  remainingNanoUsd: number;
  /** spent / limit * 100, two decimals. */
  percent: number;
  enabled: boolean;
};
