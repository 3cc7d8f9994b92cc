/**
 * The opaque cursor of lists ordered newest first by (createdAt, id): the position of the
 * previous page's last row, so rows written in the same millisecond are neither skipped
 * nor repeated.
 */
import { z } from "zod";
import { AppError } from "../errors";

const CursorSchema = z.tuple([z.number().int(), z.string().min(1)]);

const badCursor = () => new AppError("validation_failed", "cursor: not a cursor this API returned", [{ path: "cursor", message: "invalid cursor" }]);

export function encodeCursor(row: { createdAt: number; id: string }): string {
  return btoa(JSON.stringify([row.createdAt, row.id])).replace(/=+$/, "");
}

/** The (createdAt, id) a cursor points after; a 400 for anything this API did not hand out. */
export function decodeCursor(cursor: string): [number, string] {
  let raw: unknown;
  try {
    raw = JSON.parse(atob(cursor));
  } catch {
    throw badCursor();
  }
  const parsed = CursorSchema.safeParse(raw);
  if (!parsed.success) throw badCursor();
  return parsed.data;
}
