/**
 * Who may change which user, and the changes themselves:
 * - nobody grants a role above their own, or touches a user who outranks them;
 * - a department_admin manages only users of their own rooftop, and only as member/viewer;
 * - the tenant always keeps at least one active owner.
 */
import type { Role } from "../../d1/schema";
import type { Principal } from "../auth/principal";
import { canGrantRole, roleOf } from "../auth/rbac";
import type { TenantScope } from "../db";
import { AppError } from "../errors";
import { revokeUserSessions } from "./sessions";
import { countActiveOwners, createUser, getUser, type NewUser, type UserChanges, type UserRow, writeUser } from "./users";

/** The acting side of a user change. API keys with the admin scope act as an admin of no rooftop. */
export type Manager = { role: Role; rooftopId: string | null };

export function managerOf(p: Principal): Manager {
  return { role: roleOf(p), rooftopId: p.type === "user" ? p.rooftopId : null };
}

type Placement = { role: Role; rooftopId: string | null };
const DEPARTMENT_ROLES: ReadonlySet<Role> = new Set(["member", "viewer"]);

/** Whether `actor` may give someone `role`: not above their own, and a department admin only member or viewer. */
export function mayGrantRole(actor: Role, role: Role): boolean {
  return canGrantRole(actor, role) && (actor !== "department_admin" || DEPARTMENT_ROLES.has(role));
}

function assertMayPlace(actor: Manager, next: Placement): void {
  if (!canGrantRole(actor.role, next.role)) throw new AppError("forbidden", `You cannot grant the '${next.role}' role`);
  if (actor.role !== "department_admin") return;
  if (!DEPARTMENT_ROLES.has(next.role)) throw new AppError("forbidden", "A department admin may only grant the member and viewer roles");
  if (!actor.rooftopId || next.rooftopId !== actor.rooftopId) {
    throw new AppError("forbidden", "A department admin may only manage users of their own rooftop");
  }
}

function assertMayTouch(actor: Manager, current: Placement): void {
  if (!canGrantRole(actor.role, current.role)) throw new AppError("forbidden", "You cannot change a user whose role outranks yours");
  if (actor.role !== "department_admin") return;
  if (!actor.rooftopId || current.rooftopId !== actor.rooftopId || !DEPARTMENT_ROLES.has(current.role)) {
    throw new AppError("forbidden", "A department admin may only manage member and viewer users of their own rooftop");
  }
}

async function assertOwnerRemains(scope: TenantScope, current: UserRow, next: { role: Role; status: UserRow["status"] }) {
  const losesOwner = current.role === "owner" && current.status === "active" && (next.role !== "owner" || next.status !== "active");
  if (losesOwner && (await countActiveOwners(scope)) <= 1) {
    throw new AppError("conflict", "The last active owner cannot be demoted or disabled; make someone else an owner first");
  }
}

/** Creates a user on behalf of `actor`; a department admin's users land in their rooftop. */
export async function createUserAs(scope: TenantScope, actor: Manager, input: NewUser): Promise<UserRow> {
  const rooftopId = input.rooftopId ?? (actor.role === "department_admin" ? actor.rooftopId : null);
  assertMayPlace(actor, { role: input.role, rooftopId });
  return createUser(scope, { ...input, rooftopId });
}

export type UserPatch = Partial<Pick<UserRow, "name" | "role" | "rooftopId" | "status">>;

/** Applies a patch on behalf of `actor`; returns the user before and after. */
export async function updateUserAs(scope: TenantScope, actor: Manager, id: string, patch: UserPatch) {
  const before = await getUser(scope, id);
  assertMayTouch(actor, before);
  const next = {
    role: patch.role ?? before.role,
    rooftopId: patch.rooftopId === undefined ? before.rooftopId : patch.rooftopId,
    status: patch.status ?? before.status,
  };
  if (patch.role !== undefined || patch.rooftopId !== undefined) assertMayPlace(actor, next);
  await assertOwnerRemains(scope, before, next);
  const changes: UserChanges = { ...patch };
  const after = await writeUser(scope, id, changes);
  if (before.status === "active" && after.status === "disabled") await revokeUserSessions(scope.db, id);
  return { before, after };
}

/** Disables a user (users are never deleted: the audit log keeps pointing at them). */
export function disableUserAs(scope: TenantScope, actor: Manager, id: string) {
  return updateUserAs(scope, actor, id, { status: "disabled" });
}
