/**
 * Password sign-in. Unknown email, wrong password, SSO-only account and disabled account
 * all get the same answer, after the same amount of work.
 */
import { and, eq } from "drizzle-orm";
import { users } from "../../d1/schema";
import { verifyAgainstDummy, verifyPassword } from "../auth/passwords";
import type { Db } from "../db";
import { AppError } from "../errors";
import { issueSession, type Session } from "./sessions";
import { findUserByEmail, type UserRow } from "./users";

const FAILED = "Invalid email or password";

export async function logIn(
  deps: { db: Db; jwtSecret: string; now?: number },
  input: { email: string; password: string },
): Promise<{ session: Session; user: UserRow }> {
  const now = deps.now ?? Date.now();
  const user = await findUserByEmail(deps.db, input.email);
  const ok = user?.passwordHash ? await verifyPassword(input.password, user.passwordHash) : await verifyAgainstDummy(input.password);
  if (!user || !ok || user.status !== "active") throw new AppError("unauthorized", FAILED);
  await deps.db.update(users).set({ lastLoginAt: now }).where(and(eq(users.id, user.id), eq(users.tenantId, user.tenantId)));
  const session = await issueSession({ ...deps, now }, user);
  return { session, user: { ...user, lastLoginAt: now } };
}
