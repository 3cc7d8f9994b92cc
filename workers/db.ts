import { drizzle } from "drizzle-orm/d1";
import * as schema from "../d1/schema";

export type Db = ReturnType<typeof makeDb>;

export function makeDb(d1: D1Database) {
  return drizzle(d1, { schema });
}

/** What every tenant-owned data access receives: the database and the tenant it may touch. */
export type TenantScope = { db: Db; tenantId: string };
