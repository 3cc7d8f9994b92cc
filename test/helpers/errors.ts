import { AppError } from "../../workers/errors";

/** The AppError `fn` throws; fails the test when it throws nothing or something else. */
export function thrownAppError(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error("expected an AppError");
}
