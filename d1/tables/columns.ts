/**
 * Column helpers shared by every table file.
 */
import { sql } from "drizzle-orm";
import { integer, text } from "drizzle-orm/sqlite-core";

/** Epoch milliseconds, set by the database when a row is written without one. */
export const createdAt = () => integer("created_at").notNull().default(sql`(unixepoch('subsec') * 1000)`);
/** A JSON column typed as T. */
export const json = <T>(name: string) => text(name, { mode: "json" }).$type<T>();
