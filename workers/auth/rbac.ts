/**
 * Roles and what they may do. API keys with the `admin` scope act as an admin on /api.
 */
import type { Role } from "../../d1/schema";
import type { Principal } from "./principal";

export const PERMISSIONS = [
  "tenant:read",
  "tenant:write",
  "users:read",
  "users:write",
  "keys:read",
  "keys:write",
  "audit:read",
  "usage:read",
  "gateway:read",
  "gateway:write",
  "workflows:read",
  "workflows:write",
  "workflows:approve",
  "webhooks:read",
  "webhooks:write",
  "models:read",
  "models:write",
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const READS = PERMISSIONS.filter((p) => p.endsWith(":read"));
const ALL = [...PERMISSIONS];

const GRANTS: Record<Role, ReadonlySet<Permission>> = {
  owner: new Set(ALL),
  admin: new Set(ALL),
  // Manages the users of their own rooftop/department (enforced where users are changed).
  department_admin: new Set([...READS, "users:write", "workflows:write", "workflows:approve"]),
  member: new Set([...READS.filter((p) => p !== "audit:read" && p !== "keys:read"), "workflows:write", "workflows:approve"]),
  viewer: new Set(READS.filter((p) => p !== "audit:read" && p !== "keys:read")),
};

const ROLE_RANK: Record<Role, number> = { viewer: 0, member: 1, department_admin: 2, admin: 3, owner: 4 };

export function roleOf(p: Principal): Role {
  if (p.type === "user") return p.role;
  return p.scopes.includes("admin") ? "admin" : "member";
}

export function can(p: Principal, permission: Permission): boolean {
  if (p.type === "api_key") {
    if (p.scopes.includes("admin")) return true;
    // A workflows-scoped key may drive workflows and nothing else on /api.
    return p.scopes.includes("workflows") && permission.startsWith("workflows:");
  }
  return GRANTS[p.role].has(permission);
}

/** What a role may do, in PERMISSIONS order. */
export function permissionsOf(role: Role): Permission[] {
  return PERMISSIONS.filter((p) => GRANTS[role].has(p));
}

/** Whether `actor` may give someone `target` (no one grants above their own rank). */
export function canGrantRole(actor: Role, target: Role): boolean {
  return ROLE_RANK[target] <= ROLE_RANK[actor];
}
