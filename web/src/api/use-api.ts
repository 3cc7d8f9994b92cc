/**
 * Loads data for a page: `const runs = useApi(() => unwrap(api.GET("/runs")), [filter])`.
 * Gives loading, error and data states, a reload, and a setter for optimistic updates.
 * Stale responses (the deps changed while a call was in flight) are dropped.
 */
import { type DependencyList, useCallback, useEffect, useRef, useState } from "react";

export type ApiState<T> = {
  data: T | undefined;
  error: Error | undefined;
  loading: boolean;
  reload: () => Promise<void>;
  setData: (update: (current: T | undefined) => T | undefined) => void;
};

export function useApi<T>(load: () => Promise<T>, deps: DependencyList): ApiState<T> {
  const [data, setDataState] = useState<T>();
  const [error, setError] = useState<Error>();
  const [loading, setLoading] = useState(true);
  const generation = useRef(0);

  // biome-ignore lint: the caller's deps decide when to reload.
  const reload = useCallback(async () => {
    const mine = ++generation.current;
    setLoading(true);
    try {
      const next = await load();
      if (mine !== generation.current) return;
      setDataState(next);
      setError(undefined);
    } catch (e) {
      if (mine !== generation.current) return;
      setError(e as Error);
    } finally {
      if (mine === generation.current) setLoading(false);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);

  useEffect(() => {
    void reload();
  }, [reload]);

  const setData = useCallback((update: (current: T | undefined) => T | undefined) => setDataState((c) => update(c)), []);
  return { data, error, loading, reload, setData };
}

/** Runs `fn` every `ms` while the page is visible (for lists without a live topic). */
export function usePolling(fn: () => void, ms: number): void {
  const saved = useRef(fn);
  saved.current = fn;
  useEffect(() => {
    const id = setInterval(() => {
      if (document.visibilityState === "visible") saved.current();
    }, ms);
    return () => clearInterval(id);
  }, [ms]);
}
