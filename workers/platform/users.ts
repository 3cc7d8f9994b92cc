/**
 * Users of a tenant. Emails are unique across the platform (they are the sign-in name)
 * and stored lower-case. Authorisation rules live in user-rules.ts; these functions only
 * read and write.
 */
import { and, asc, eq, type SQL } from "drizzle-orm";
import { users, type Role } from "../../d1/schema";
import { hashPassword, MIN_PASSWORD_LENGTH } from "../auth/passwords";
import type { Db, TenantScope } from "../db";
import { AppError } from "../errors";
import { newId } from "../lib/ids";
import { assertRooftopOf } from "./rooftops";

export type UserRow = typeof users.$inferSelect;
export type UserStatus = UserRow["status"];

/** What the API shows of a user: never the password hash. */
export type PublicUser = Omit<UserRow, "passwordHash" | "tenantId"> & { hasPassword: boolean };

export function publicUser(u: UserRow): PublicUser {
  const { passwordHash, tenantId: _tenantId, ...rest } = u;
  return { ...rest, hasPassword: passwordHash !== null };
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Finds a user of any tenant by sign-in email, ignoring case. */
export async function findUserByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  return db.query.users.findFirst({ where: eq(users.email, normalizeEmail(email)) });
}

export type NewUser = {
  email: string;
  name: string;
  role: Role;
  rooftopId?: string | null;
  /** Omit or null for users who only sign in through SSO. */
  password?: string | null;
  now?: number;
};

/** Creates a user in this tenant; 409 when the email is taken, 400 for an unknown rooftop. */
export async function createUser(scope: TenantScope, input: NewUser): Promise<UserRow> {
  const email = normalizeEmail(input.email);
  if (await findUserByEmail(scope.db, email)) throw new AppError("conflict", "A user with this email already exists");
  if (input.rooftopId) await assertRooftopOf(scope, input.rooftopId, "rooftopId");
  if (input.password != null && input.password.length < MIN_PASSWORD_LENGTH) {
    throw new AppError("validation_failed", `Passwords need at least ${MIN_PASSWORD_LENGTH} characters`, [
      { path: "password", message: `at least ${MIN_PASSWORD_LENGTH} characters` },
    ]);
  }
  const row: UserRow = {
    id: newId("usr"),
    tenantId: scope.tenantId,
    email,
    name: input.name,
    passwordHash: input.password == null ? null : await hashPassword(input.password),
    role: input.role,
    rooftopId: input.rooftopId ?? null,
    status: "active",
    lastLoginAt: null,
    createdAt: input.now ?? Date.now(),
  };
  await scope.db.insert(users).values(row);
  return row;
}

/** A user of this tenant, or 404 (also for another tenant's user). */
export async function getUser(scope: TenantScope, id: string): Promise<UserRow> {
  const row = await scope.db.query.users.findFirst({ where: and(eq(users.id, id), eq(users.tenantId, scope.tenantId)) });
  if (!row) throw new AppError("not_found", "User not found");
  return row;
}

export type UserFilter = { rooftopId?: string; status?: UserStatus; role?: Role };

export async function listUsers(scope: TenantScope, filter: UserFilter = {}): Promise<UserRow[]> {
  const where: SQL[] = [eq(users.tenantId, scope.tenantId)];
  if (filter.rooftopId) where.push(eq(users.rooftopId, filter.rooftopId));
  if (filter.status) where.push(eq(users.status, filter.status));
  if (filter.role) where.push(eq(users.role, filter.role));
  return scope.db.query.users.findMany({ where: and(...where), orderBy: [asc(users.createdAt), asc(users.id)] });
}

export type UserChanges = Partial<Pick<UserRow, "name" | "role" | "rooftopId" | "status" | "lastLoginAt">>;

/** Writes changes to a user of this tenant and returns the updated row. */
export async function writeUser(scope: TenantScope, id: string, changes: UserChanges): Promise<UserRow> {
  if (changes.rooftopId) await assertRooftopOf(scope, changes.rooftopId, "rooftopId");
  const [row] = await scope.db
    .update(users)
    .set(changes)
    .where(and(eq(users.id, id), eq(users.tenantId, scope.tenantId)))
    .returning();
  if (!row) throw new AppError("not_found", "User not found");
  return row;
}

/** How many active owners the tenant has (it must always keep one). */
export async function countActiveOwners(scope: TenantScope): Promise<number> {
  const rows = await scope.db.query.users.findMany({
    columns: { id: true },
    where: and(eq(users.tenantId, scope.tenantId), eq(users.role, "owner"), eq(users.status, "active")),
  });
  return rows.length;
}
