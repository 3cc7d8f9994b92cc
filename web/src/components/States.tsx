/**
 * Loading, empty and error states, the same on every page. `DataView` picks the right one
 * for a `useApi` state and renders its children only with data.
 */
import type { ReactNode } from "react";
import type { ApiState } from "../api/use-api";
import { ApiError } from "../api/client";
import { Button } from "./Button";

export function Loading({ label = "Loading…" }: { label?: string }) {
  return (
    <div className="state state-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {label}
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state state-empty">
      <strong>{title}</strong>
      {children ? <div className="muted">{children}</div> : null}
    </div>
  );
}

export function ErrorState({ error, onRetry }: { error: Error; onRetry?: () => void }) {
  const requestId = error instanceof ApiError ? error.requestId : undefined;
  return (
    <div className="state state-error" role="alert">
      <strong>{error instanceof ApiError && error.status === 403 ? "You do not have access to this." : "Something went wrong."}</strong>
      <div>{error.message}</div>
      {requestId ? <div className="muted small">Request id: <code>{requestId}</code></div> : null}
      {onRetry ? <Button variant="secondary" onClick={onRetry}>Try again</Button> : null}
    </div>
  );
}

/** Shows loading (first load only), error or empty, else `children(data)`. */
export function DataView<T>({
  state,
  isEmpty,
  empty,
  children,
}: {
  state: ApiState<T>;
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
  children: (data: T) => ReactNode;
}) {
  if (state.error && state.data === undefined) return <ErrorState error={state.error} onRetry={() => void state.reload()} />;
  if (state.data === undefined) return <Loading />;
  if (isEmpty?.(state.data)) return <>{empty ?? <Empty title="Nothing here yet" />}</>;
  return (
    <>
      {state.error ? <ErrorState error={state.error} onRetry={() => void state.reload()} /> : null}
      {children(state.data)}
    </>
  );
}
