/**
 * A dataset from a tenant's recorded conversations: each succeeded workflow `ai` step run
 * whose row holds its prompt (input.prompt, input.system) and its answer (output.text)
 * becomes one example.
 */
import { and, asc, eq, gte, lte } from "drizzle-orm";
import { z } from "zod";
import { workflowRuns, workflowStepRuns } from "../../../d1/schema";
import { AppError } from "../../errors";
import { createDataset, type DatasetDeps, type DatasetRow } from "./store";

/** More would not fit comfortably in one Worker invocation's memory and CPU. */
export const MAX_CONVERSATIONS = 10_000;

const Input = z.looseObject({ prompt: z.string().min(1), system: z.string().optional() });
const Output = z.looseObject({ text: z.string().min(1) });

export type ConversationFilter = { name: string; since?: number; until?: number; workflowId?: string; scrub: boolean };

function exampleOf(input: unknown, output: unknown): string | null {
  const i = Input.safeParse(input);
  const o = Output.safeParse(output);
  if (!i.success || !o.success) return null;
  const messages = [
    ...(i.data.system ? [{ role: "system", content: i.data.system }] : []),
    { role: "user", content: i.data.prompt },
    { role: "assistant", content: o.data.text },
  ];
  return JSON.stringify({ messages });
}

async function stepRows(deps: DatasetDeps, f: ConversationFilter) {
  const where = [eq(workflowStepRuns.tenantId, deps.tenantId), eq(workflowStepRuns.type, "ai"), eq(workflowStepRuns.status, "succeeded")];
  if (f.since !== undefined) where.push(gte(workflowStepRuns.createdAt, f.since));
  if (f.until !== undefined) where.push(lte(workflowStepRuns.createdAt, f.until));
  const base = deps.db.select({ input: workflowStepRuns.input, output: workflowStepRuns.output }).from(workflowStepRuns);
  const query = f.workflowId
    ? base.innerJoin(workflowRuns, eq(workflowRuns.id, workflowStepRuns.runId)).where(and(...where, eq(workflowRuns.tenantId, deps.tenantId), eq(workflowRuns.workflowId, f.workflowId)))
    : base.where(and(...where));
  return query.orderBy(asc(workflowStepRuns.createdAt)).limit(MAX_CONVERSATIONS);
}

/** Builds and stores the dataset; 422 when no recorded conversation matches. */
export async function buildFromConversations(deps: DatasetDeps, f: ConversationFilter): Promise<DatasetRow> {
  const lines = (await stepRows(deps, f)).map((r) => exampleOf(r.input, r.output)).filter((l): l is string => l !== null);
  if (lines.length === 0) throw new AppError("unprocessable", "No recorded conversations (workflow ai steps with their prompt and answer) match");
  return createDataset(deps, { name: f.name, text: lines.join("\n"), scrub: f.scrub, source: "conversations" });
}
