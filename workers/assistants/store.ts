/**
 * Assistant rows in D1, scoped to one tenant. A pipeline is a list of step names checked
 * against the registry when it is saved, so an assistant never names a step that does not run.
 */
import { and, desc, eq } from "drizzle-orm";
import { assistants } from "../../d1/schema";
import type { TenantScope } from "../db";
import { AppError } from "../errors";
import { newId } from "../lib/ids";
import { assertRooftopOf } from "../platform/rooftops";
import { DEFAULT_PIPELINE, unknownSteps } from "./pipeline/registry";

export type AssistantRow = typeof assistants.$inferSelect;

export const DEFAULT_LEAD_THRESHOLD = 70;

export type AssistantInput = {
  name: string;
  model: string;
  instructions?: string;
  knowledgeBaseIds?: string[];
  rooftopId?: string | null;
  department?: string | null;
  pipeline?: string[];
  leadThreshold?: number;
};

export type AssistantPatch = Partial<AssistantInput>;

function assertPipeline(pipeline: string[]): void {
  const unknown = unknownSteps(pipeline);
  if (unknown.length > 0) {
    throw new AppError("validation_failed", `pipeline: unknown step ${unknown.join(", ")}`, unknown.map((s) => ({ path: "pipeline", message: `unknown step '${s}'` })));
  }
  if (new Set(pipeline).size !== pipeline.length) {
    throw new AppError("validation_failed", "pipeline: a step may appear only once", [{ path: "pipeline", message: "duplicate step" }]);
  }
}

async function checked(scope: TenantScope, input: AssistantPatch): Promise<void> {
  if (input.pipeline) assertPipeline(input.pipeline);
  if (input.rooftopId) await assertRooftopOf(scope, input.rooftopId, "rooftopId");
}

export async function createAssistant(scope: TenantScope, input: AssistantInput, now = Date.now()): Promise<AssistantRow> {
  await checked(scope, input);
  const row: AssistantRow = {
    id: newId("ast"),
    tenantId: scope.tenantId,
    name: input.name,
    model: input.model,
    instructions: input.instructions ?? "",
    knowledgeBaseIds: input.knowledgeBaseIds ?? [],
    rooftopId: input.rooftopId ?? null,
    department: input.department ?? null,
    pipeline: input.pipeline ?? [...DEFAULT_PIPELINE],
    leadThreshold: input.leadThreshold ?? DEFAULT_LEAD_THRESHOLD,
    createdAt: now,
    updatedAt: now,
  };
  await scope.db.insert(assistants).values(row);
  return row;
}

/** An assistant of this tenant, or 404 (also for another tenant's). */
export async function getAssistant(scope: TenantScope, id: string): Promise<AssistantRow> {
  const row = await scope.db.query.assistants.findFirst({ where: and(eq(assistants.id, id), eq(assistants.tenantId, scope.tenantId)) });
  if (!row) throw new AppError("not_found", "Assistant not found");
  return row;
}

export async function listAssistants(scope: TenantScope): Promise<AssistantRow[]> {
  return scope.db.query.assistants.findMany({ where: eq(assistants.tenantId, scope.tenantId), orderBy: [desc(assistants.createdAt), desc(assistants.id)] });
}

export async function updateAssistant(scope: TenantScope, id: string, patch: AssistantPatch, now = Date.now()): Promise<{ before: AssistantRow; after: AssistantRow }> {
  const before = await getAssistant(scope, id);
  await checked(scope, patch);
  const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
  const [after] = await scope.db
    .update(assistants)
    .set({ ...defined, updatedAt: now })
    .where(and(eq(assistants.id, id), eq(assistants.tenantId, scope.tenantId)))
    .returning();
  if (!after) throw new AppError("not_found", "Assistant not found");
  return { before, after };
}

export async function deleteAssistant(scope: TenantScope, id: string): Promise<AssistantRow> {
  const [row] = await scope.db.delete(assistants).where(and(eq(assistants.id, id), eq(assistants.tenantId, scope.tenantId))).returning();
  if (!row) throw new AppError("not_found", "Assistant not found");
  return row;
}
