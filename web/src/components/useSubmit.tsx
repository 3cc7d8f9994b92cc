/**
 * Submitting a form the same way everywhere: busy while the call runs, the API's validation
 * details shown next to the fields they name, anything else as one message with its request
 * id, and a toast on success.
 *
 *   const form = useSubmit(async () => { await unwrap(api.POST("/budgets", { body })); return "Budget created"; }, ["name", "limitUsd"]);
 *   <form onSubmit={form.onSubmit}> <TextField error={form.errors.limitUsd} … /> <FormError form={form} /> </form>
 */
import { type FormEvent, useCallback, useRef, useState } from "react";
import { ApiError } from "../api/client";
import { toast } from "./Toast";

export type FieldErrors = Record<string, string>;

/** The API's `details` ([{path, message}]) as one message per path; the first wins. */
export function fieldErrorsOf(err: unknown): FieldErrors {
  const out: FieldErrors = {};
  if (!(err instanceof ApiError) || !Array.isArray(err.details)) return out;
  for (const d of err.details as unknown[]) {
    if (!d || typeof d !== "object") continue;
    const { path, message } = d as { path?: unknown; message?: unknown };
    if (typeof path === "string" && typeof message === "string" && !(path in out)) out[path] = message;
  }
  return out;
}

export type SubmitState = {
  busy: boolean;
  /** Messages for the fields the form shows, by path. */
  errors: FieldErrors;
  /** The failure when no shown field explains it. */
  error: Error | null;
  /** Runs the action; resolves true when it succeeded. */
  run: () => Promise<boolean>;
  onSubmit: (e: FormEvent) => void;
  reset: () => void;
};

/**
 * `action` does the call and returns the toast text (or nothing for no toast). `fields` are the
 * paths the form shows next to its controls; errors about other paths go to `error`.
 */
export function useSubmit(action: () => Promise<string | null | undefined | void>, fields: string[] = []): SubmitState {
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<Error | null>(null);
  const saved = useRef(action);
  saved.current = action;
  const shown = fields.join("\n");

  const run = useCallback(async () => {
    setBusy(true);
    setError(null);
    setErrors({});
    try {
      const message = await saved.current();
      if (message) toast(message);
      return true;
    } catch (e) {
      const known = new Set(shown.split("\n").filter(Boolean));
      // A field also owns the paths inside it: "allowedOrigins" shows "allowedOrigins.2".
      const owner = (path: string) => [...known].find((f) => path === f || path.startsWith(`${f}.`));
      const mine: FieldErrors = {};
      for (const [path, message] of Object.entries(fieldErrorsOf(e))) {
        const field = owner(path);
        if (field && !(field in mine)) mine[field] = message;
      }
      setErrors(mine);
      setError(Object.keys(mine).length ? null : (e as Error));
      return false;
    } finally {
      setBusy(false);
    }
  }, [shown]);

  const onSubmit = useCallback(
    (e: FormEvent) => {
      e.preventDefault();
      void run();
    },
    [run],
  );
  const reset = useCallback(() => {
    setErrors({});
    setError(null);
  }, []);
  return { busy, errors, error, run, onSubmit, reset };
}

/** The form-level failure: the API's message and its request id. */
export function FormError({ form }: { form: Pick<SubmitState, "error"> }) {
  const { error } = form;
  if (!error) return null;
  const requestId = error instanceof ApiError ? error.requestId : undefined;
  return (
    <div className="banner banner-danger form-error" role="alert">
      <span>{error.message}</span>
      {requestId ? <span className="small">Request id: <code>{requestId}</code></span> : null}
    </div>
  );
}
