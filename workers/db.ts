import { drizzle } from "drizzle-orm/d1";
import * as schema from "../d1/schema";

export type Db = ReturnType<typeof build>;

function build(d1: D1Database) {
  return drizzle(d1, { schema });
}

// drizzle() walks the whole schema to build its relational config; do that once per binding, not per request.
const built = new WeakMap<D1Database, ReturnType<typeof build>>();

export function makeDb(d1: D1Database) {
  let db = built.get(d1);
  if (!db) {
    db = build(d1);
    built.set(d1, db);
  }
  return db;
}

/** What every tenant-owned data access receives: the database and the tenant it may touch. */
export type TenantScope = { db: Db; tenantId: string };
