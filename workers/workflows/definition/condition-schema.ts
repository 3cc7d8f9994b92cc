/**
 * Conditions used by `branch` cases and event-trigger filters: a comparison of the value
 * at a dotted path of the run's data, or all / any / not of other conditions.
 *
 *   { path: "steps.score.score", op: "gte", value: 70 }
 *   { any: [{ path: "steps.intent.intent", op: "eq", value: "booking" }, { path: "input.urgent", op: "truthy" }] }
 */
import { z } from "zod";

export const COMPARISONS = ["eq", "ne", "gt", "gte", "lt", "lte", "in", "contains", "exists", "truthy", "falsy"] as const;
export type Comparison = (typeof COMPARISONS)[number];

export type Condition =
  | { path: string; op: Comparison; value?: unknown }
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition };

const Compare = z.strictObject({
  path: z.string().min(1).max(200).describe("Dotted path into the run data: input.…, steps.<id>.…, event.…"),
  op: z.enum(COMPARISONS),
  value: z.unknown().optional(),
});

export const ConditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([Compare, z.strictObject({ all: z.array(ConditionSchema).min(1) }), z.strictObject({ any: z.array(ConditionSchema).min(1) }), z.strictObject({ not: ConditionSchema })]),
);
