/**
 * How a step fails. A StepFailure says whether trying again could help; anything else a
 * handler throws counts as retryable (a network blip, a 503).
 */
import { toAppError } from "../../errors";
import type { StepErrorInfo } from "../../../d1/schema";

export class StepFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = "StepFailure";
  }
}

/** A StepFailure that retrying cannot fix (bad input, a 4xx, a rejected approval with onTimeout fail). */
export function permanentFailure(code: string, message: string): StepFailure {
  return new StepFailure(code, message, false);
}

const RETRYABLE_STATUS = new Set([408, 425, 429, 500, 502, 503, 504]);

/** Normalises anything thrown by a step into what is stored on the step run. */
export function stepErrorOf(err: unknown): StepErrorInfo {
  if (err instanceof StepFailure) return { code: err.code, message: err.message, retryable: err.retryable };
  if (err instanceof Error && err.name === "AbortError") return { code: "step_timeout", message: "The step did not finish within its timeout", retryable: true };
  const app = toAppError(err);
  if (app.status === 500 && !(err instanceof Error && "code" in err)) {
    return { code: "step_error", message: err instanceof Error ? err.message : String(err), retryable: true };
  }
  return { code: app.code, message: app.message, retryable: RETRYABLE_STATUS.has(app.status) };
}
