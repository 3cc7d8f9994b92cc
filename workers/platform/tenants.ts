/**
 * Tenants (dealership groups): their settings, and sign-up, which creates a tenant
 * together with its first owner.
 */
import { eq } from "drizzle-orm";
import { tenants } from "../../d1/schema";
import type { Db, TenantScope } from "../db";
import { AppError } from "../errors";
import { newId, randomString } from "../lib/ids";
import { createUser, findUserByEmail, type UserRow } from "./users";

export type TenantRow = typeof tenants.$inferSelect;

/** Whether `tz` names an IANA time zone this runtime knows (e.g. "America/Chicago"). */
export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

function slugFor(name: string): string {
  const base = name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 40) || "tenant";
  return `${base}-${randomString(6).toLowerCase()}`;
}

export async function getTenant(scope: TenantScope): Promise<TenantRow> {
  const row = await scope.db.query.tenants.findFirst({ where: eq(tenants.id, scope.tenantId) });
  if (!row) throw new AppError("not_found", "Tenant not found");
  return row;
}

export type TenantPatch = { name?: string; timezone?: string; settings?: Record<string, unknown> };

/**
 * Merges `settings` one level deep (a key set to null is removed), so other parts of the
 * platform keep the settings they store there.
 */
export function mergeSettings(current: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const out = { ...current };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = v;
  }
  return out;
}

export async function updateTenant(scope: TenantScope, patch: TenantPatch) {
  const before = await getTenant(scope);
  const changes = {
    ...(patch.name === undefined ? {} : { name: patch.name }),
    ...(patch.timezone === undefined ? {} : { timezone: patch.timezone }),
    ...(patch.settings === undefined ? {} : { settings: mergeSettings(before.settings, patch.settings) }),
  };
  if (Object.keys(changes).length === 0) return { before, after: before };
  const [after] = await scope.db.update(tenants).set(changes).where(eq(tenants.id, scope.tenantId)).returning();
  if (!after) throw new AppError("not_found", "Tenant not found");
  return { before, after };
}

export type SignUp = { tenantName: string; timezone?: string; name: string; email: string; password: string };

/** Creates a tenant and its owner. The email check comes first so a taken email leaves no orphan tenant. */
export async function signUp(db: Db, input: SignUp, now = Date.now()): Promise<{ tenant: TenantRow; owner: UserRow }> {
  if (await findUserByEmail(db, input.email)) throw new AppError("conflict", "A user with this email already exists");
  const tenant: TenantRow = {
    id: newId("ten"),
    name: input.tenantName,
    slug: slugFor(input.tenantName),
    timezone: input.timezone ?? "America/New_York",
    settings: {},
    createdAt: now,
  };
  await db.insert(tenants).values(tenant);
  const owner = await createUser({ db, tenantId: tenant.id }, { email: input.email, name: input.name, role: "owner", password: input.password, now });
  return { tenant, owner };
}
