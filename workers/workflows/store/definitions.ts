/**
 * Workflows and their versions. Every save of a changed definition is a new immutable
 * version (workflow, version, sha256); saving the same definition again is a no-op. The
 * latest version's event and cron triggers are indexed in workflow_triggers.
 */
import { and, desc, eq } from "drizzle-orm";
import { workflows, workflowTriggers, workflowVersions } from "../../../d1/schema";
import type { TenantScope } from "../../db";
import { AppError } from "../../errors";
import { sha256Hex } from "../../lib/crypto";
import { newId } from "../../lib/ids";
import { ttlCache } from "../../lib/ttl-cache";
import { type Definition, DefinitionSchema } from "../definition/schema";
import { buildTree, type DefinitionTree } from "../definition/tree";

export type WorkflowRow = typeof workflows.$inferSelect;
export type VersionRow = typeof workflowVersions.$inferSelect;

/** Keys name workflows in subworkflow steps and URLs: lower-case words joined by dashes. */
export const WORKFLOW_KEY = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** Canonical JSON (sorted keys) so the same definition always hashes the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`)
      .join(",")}}`;
  }
  return JSON.stringify(value);
}

function triggerRows(tenantId: string, workflowId: string, version: number, def: Definition): (typeof workflowTriggers.$inferInsert)[] {
  return def.triggers.flatMap((t): (typeof workflowTriggers.$inferInsert)[] => {
    if (t.type === "event") return [{ id: newId("wtr"), tenantId, workflowId, version, type: "event", eventType: t.event }];
    if (t.type === "cron") return [{ id: newId("wtr"), tenantId, workflowId, version, type: "cron", schedule: t.schedule, timezone: t.timezone ?? null }];
    return [];
  });
}

async function writeVersion(scope: TenantScope, wf: { id: string; version: number }, def: Definition, sha: string, by: string | null, now: number) {
  const { db, tenantId } = scope;
  const rows = triggerRows(tenantId, wf.id, wf.version, def);
  await db.batch([
    db.insert(workflowVersions).values({ workflowId: wf.id, version: wf.version, tenantId, sha256: sha, definition: def, createdBy: by, createdAt: now }),
    db.update(workflows).set({ latestVersion: wf.version, name: def.name, description: def.description ?? "", updatedAt: now }).where(and(eq(workflows.id, wf.id), eq(workflows.tenantId, tenantId))),
    db.delete(workflowTriggers).where(eq(workflowTriggers.workflowId, wf.id)),
    ...(rows.length ? [db.insert(workflowTriggers).values(rows)] : []),
  ]);
}

/** Creates a workflow with its first version; 409 when the key is taken. */
export async function createWorkflow(scope: TenantScope, input: { key: string; definition: Definition; template?: string | null; by: string | null }, now = Date.now()): Promise<WorkflowRow> {
  const id = newId("wf");
  const inserted = await scope.db
    .insert(workflows)
    .values({ id, tenantId: scope.tenantId, key: input.key, name: input.definition.name, description: input.definition.description ?? "", latestVersion: 0, template: input.template ?? null, createdBy: input.by, updatedAt: now, createdAt: now })
    .onConflictDoNothing()
    .returning();
  if (inserted.length === 0) throw new AppError("conflict", `A workflow with the key '${input.key}' already exists`);
  await writeVersion(scope, { id, version: 1 }, input.definition, await sha256Hex(canonical(input.definition)), input.by, now);
  return getWorkflow(scope, id);
}

/** Saves a new version when the definition changed; returns the workflow and whether a version was added. */
export async function saveVersion(scope: TenantScope, workflowId: string, def: Definition, by: string | null, now = Date.now()): Promise<{ workflow: WorkflowRow; created: boolean }> {
  const wf = await getWorkflow(scope, workflowId);
  const sha = await sha256Hex(canonical(def));
  const latest = await getVersion(scope, wf.id, wf.latestVersion);
  if (latest.sha256 === sha) return { workflow: wf, created: false };
  try {
    await writeVersion(scope, { id: wf.id, version: wf.latestVersion + 1 }, def, sha, by, now);
  } catch (err) {
    // Two saves raced for the same version number: the loser asks the caller to retry.
    if (String(err).includes("UNIQUE") || String(err).includes("PRIMARY KEY")) throw new AppError("conflict", "The workflow was changed at the same time; reload it and save again");
    throw err;
  }
  return { workflow: await getWorkflow(scope, wf.id), created: true };
}

/** By id (wf_…) or key. */
export async function getWorkflow(scope: TenantScope, idOrKey: string): Promise<WorkflowRow> {
  const by = idOrKey.startsWith("wf_") ? eq(workflows.id, idOrKey) : eq(workflows.key, idOrKey);
  const row = await scope.db.query.workflows.findFirst({ where: and(by, eq(workflows.tenantId, scope.tenantId)) });
  if (!row) throw new AppError("not_found", `No workflow '${idOrKey}'`);
  return row;
}

export function listWorkflows(scope: TenantScope): Promise<WorkflowRow[]> {
  return scope.db.query.workflows.findMany({ where: eq(workflows.tenantId, scope.tenantId), orderBy: [desc(workflows.updatedAt)], limit: 500 });
}

export async function setEnabled(scope: TenantScope, workflowId: string, enabled: boolean, now = Date.now()): Promise<WorkflowRow> {
  const wf = await getWorkflow(scope, workflowId);
  await scope.db.update(workflows).set({ enabled, updatedAt: now }).where(and(eq(workflows.id, wf.id), eq(workflows.tenantId, scope.tenantId)));
  return { ...wf, enabled, updatedAt: now };
}

export async function getVersion(scope: TenantScope, workflowId: string, version: number): Promise<VersionRow> {
  const row = await scope.db.query.workflowVersions.findFirst({
    where: and(eq(workflowVersions.workflowId, workflowId), eq(workflowVersions.version, version), eq(workflowVersions.tenantId, scope.tenantId)),
  });
  if (!row) throw new AppError("not_found", `No version ${version} of workflow '${workflowId}'`);
  return row;
}

export function listVersions(scope: TenantScope, workflowId: string): Promise<VersionRow[]> {
  return scope.db.query.workflowVersions.findMany({
    where: and(eq(workflowVersions.workflowId, workflowId), eq(workflowVersions.tenantId, scope.tenantId)),
    orderBy: [desc(workflowVersions.version)],
  });
}

// Versions never change, so their parsed trees are cached for the isolate's life (bounded).
const trees = ttlCache<DefinitionTree>(24 * 3600_000, 500);

/** The definition tree of a pinned version. */
export function treeOf(scope: TenantScope, workflowId: string, version: number): Promise<DefinitionTree> {
  return trees.get(`${scope.tenantId}/${workflowId}@${version}`, async () => buildTree(DefinitionSchema.parse((await getVersion(scope, workflowId, version)).definition)));
}
