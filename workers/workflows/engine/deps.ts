/** The engine's dependencies from a Worker invocation. */
import { makeDb } from "../../db";
import type { StepDeps } from "../steps/types";

export function engineDeps(env: Env, waitUntil: (p: Promise<unknown>) => void, now: () => number = Date.now): StepDeps {
  return { env, db: makeDb(env.DB), waitUntil, now };
}
