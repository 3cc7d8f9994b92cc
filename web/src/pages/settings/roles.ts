/**
 * Roles: their names and one-line summaries for people, and what each may do as the API
 * reports it (GET /roles, from the same grants the platform enforces).
 */
import { api, type Schemas, unwrap } from "../../api/client";
import { useApi } from "../../api/use-api";

export type Role = Schemas["User"]["role"];
export type Permission = Schemas["Me"]["permissions"][number];

export const ROLES: { id: Role; label: string; summary: string }[] = [
  { id: "owner", label: "Owner", summary: "Everything, and the only role that can make or change owners. The group always keeps at least one active owner." },
  { id: "admin", label: "Admin", summary: "Everything (users, keys, gateway, workflows, webhooks, models) except making or changing owners." },
  { id: "department_admin", label: "Department admin", summary: "Reads everything; runs and approves workflows; manages member and viewer users of their own rooftop." },
  { id: "member", label: "Member", summary: "Reads the dashboard (not keys or the audit log); runs and approves workflows." },
  { id: "viewer", label: "Viewer", summary: "Reads the dashboard (not keys or the audit log)." },
];

type RoleInfo = Schemas["Role"];

let cached: Promise<RoleInfo[]> | null = null;

/** Every role with its permissions and whether the signed-in user may grant it (GET /roles, loaded once). */
export function useRoles(): RoleInfo[] | undefined {
  const state = useApi(() => {
    cached ??= unwrap(api.GET("/roles")).then((r) => r.data).catch((e: unknown) => {
      cached = null;
      throw e;
    });
    return cached;
  }, []);
  return state.data;
}

/** The roles the signed-in user may give someone. */
export function useGrantableRoles(): Role[] {
  return (useRoles() ?? []).filter((r) => r.grantable).map((r) => r.role);
}

export function roleLabel(role: Role): string {
  return ROLES.find((r) => r.id === role)?.label ?? role;
}

const AREAS: { area: string; read: Permission; write?: Permission; extra?: Permission }[] = [
  { area: "Dealership & rooftops", read: "tenant:read", write: "tenant:write" },
  { area: "Users", read: "users:read", write: "users:write" },
  { area: "API keys", read: "keys:read", write: "keys:write" },
  { area: "Audit log", read: "audit:read" },
  { area: "Usage & cost", read: "usage:read" },
  { area: "Gateway (routing, providers, budgets)", read: "gateway:read", write: "gateway:write" },
  { area: "Workflows, approvals, leads, assistants", read: "workflows:read", write: "workflows:write", extra: "workflows:approve" },
  { area: "Webhooks", read: "webhooks:read", write: "webhooks:write" },
  { area: "Models & training", read: "models:read", write: "models:write" },
];

export type Access = "manage" | "view" | "none";
export type AreaAccess = { area: string; access: Record<Role, { level: Access; scoped: boolean }> };

/** Per area and role: manage (write), view (read) or nothing; rooftop scoping noted. */
export function accessTable(roles: RoleInfo[]): AreaAccess[] {
  const grants = new Map(roles.map((r) => [r.role, new Set<Permission>(r.permissions)]));
  return AREAS.map(({ area, read, write }) => {
    const access = {} as AreaAccess["access"];
    for (const { id } of ROLES) {
      const g = grants.get(id) ?? new Set<Permission>();
      const level: Access = write && g.has(write) ? "manage" : g.has(read) ? "view" : "none";
      access[id] = { level, scoped: id === "department_admin" && write === "users:write" };
    }
    return { area, access };
  });
}
