/**
 * Rooftops (dealership locations) and the departments inside them. Two levels only:
 * a rooftop has no parent, a department's parent is a rooftop of the same tenant.
 */
import { and, asc, eq } from "drizzle-orm";
import { rooftops, users } from "../../d1/schema";
import type { TenantScope } from "../db";
import { AppError } from "../errors";
import { newId } from "../lib/ids";

export type RooftopRow = typeof rooftops.$inferSelect;
export type RooftopKind = RooftopRow["kind"];
export type PublicRooftop = Omit<RooftopRow, "tenantId">;

export function publicRooftop(r: RooftopRow): PublicRooftop {
  const { tenantId: _tenantId, ...rest } = r;
  return rest;
}

async function findRooftop(scope: TenantScope, id: string): Promise<RooftopRow | undefined> {
  return scope.db.query.rooftops.findFirst({ where: and(eq(rooftops.id, id), eq(rooftops.tenantId, scope.tenantId)) });
}

/** A rooftop or department of this tenant, or 404 (also for another tenant's). */
export async function getRooftop(scope: TenantScope, id: string): Promise<RooftopRow> {
  const row = await findRooftop(scope, id);
  if (!row) throw new AppError("not_found", "Rooftop not found");
  return row;
}

/** Refuses a reference (in a body field) to a rooftop this tenant does not have. */
export async function assertRooftopOf(scope: TenantScope, id: string, field: string): Promise<RooftopRow> {
  const row = await findRooftop(scope, id);
  if (!row) throw new AppError("validation_failed", `${field}: no such rooftop in this tenant`, [{ path: field, message: "no such rooftop in this tenant" }]);
  return row;
}

async function assertParent(scope: TenantScope, kind: RooftopKind, parentId: string | null): Promise<void> {
  if (kind === "rooftop") {
    if (parentId) throw new AppError("validation_failed", "parentId: a rooftop has no parent", [{ path: "parentId", message: "a rooftop has no parent" }]);
    return;
  }
  if (!parentId) throw new AppError("validation_failed", "parentId: a department needs a parent rooftop", [{ path: "parentId", message: "required for a department" }]);
  const parent = await assertRooftopOf(scope, parentId, "parentId");
  if (parent.kind !== "rooftop") {
    throw new AppError("validation_failed", "parentId: a department's parent must be a rooftop", [{ path: "parentId", message: "must be a rooftop" }]);
  }
}

export async function listRooftops(scope: TenantScope, filter: { kind?: RooftopKind; parentId?: string } = {}): Promise<RooftopRow[]> {
  const where = [eq(rooftops.tenantId, scope.tenantId)];
  if (filter.kind) where.push(eq(rooftops.kind, filter.kind));
  if (filter.parentId) where.push(eq(rooftops.parentId, filter.parentId));
  return scope.db.query.rooftops.findMany({ where: and(...where), orderBy: [asc(rooftops.name), asc(rooftops.id)] });
}

export type NewRooftop = { kind: RooftopKind; name: string; parentId?: string | null; timezone?: string | null };

export async function createRooftop(scope: TenantScope, input: NewRooftop, now = Date.now()): Promise<RooftopRow> {
  const parentId = input.parentId ?? null;
  await assertParent(scope, input.kind, parentId);
  const row: RooftopRow = {
    id: newId("rft"),
    tenantId: scope.tenantId,
    parentId,
    kind: input.kind,
    name: input.name,
    timezone: input.timezone ?? null,
    createdAt: now,
  };
  await scope.db.insert(rooftops).values(row);
  return row;
}

export type RooftopPatch = { name?: string; parentId?: string | null; timezone?: string | null };

/** Updates a rooftop of this tenant; returns it before and after. */
export async function updateRooftop(scope: TenantScope, id: string, patch: RooftopPatch) {
  const before = await getRooftop(scope, id);
  if (patch.parentId !== undefined) await assertParent(scope, before.kind, patch.parentId);
  const [after] = await scope.db
    .update(rooftops)
    .set(patch)
    .where(and(eq(rooftops.id, id), eq(rooftops.tenantId, scope.tenantId)))
    .returning();
  if (!after) throw new AppError("not_found", "Rooftop not found");
  return { before, after };
}

/** Deletes a rooftop that nothing points at any more (no departments, no users). */
export async function deleteRooftop(scope: TenantScope, id: string): Promise<RooftopRow> {
  const row = await getRooftop(scope, id);
  const child = await scope.db.query.rooftops.findFirst({ columns: { id: true }, where: and(eq(rooftops.tenantId, scope.tenantId), eq(rooftops.parentId, id)) });
  if (child) throw new AppError("conflict", "This rooftop still has departments; delete or move them first");
  const member = await scope.db.query.users.findFirst({ columns: { id: true }, where: and(eq(users.tenantId, scope.tenantId), eq(users.rooftopId, id)) });
  if (member) throw new AppError("conflict", "Users still belong to this rooftop; move them first");
  await scope.db.delete(rooftops).where(and(eq(rooftops.id, id), eq(rooftops.tenantId, scope.tenantId)));
  return row;
}
