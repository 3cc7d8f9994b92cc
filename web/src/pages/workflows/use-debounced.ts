/** `fn`, called at most once per `ms` after the last trigger (bursts of live messages → one reload). */
import { useCallback, useEffect, useRef } from "react";

export function useDebounced(fn: () => void, ms: number): () => void {
  const saved = useRef(fn);
  saved.current = fn;
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  return useCallback(() => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => saved.current(), ms);
  }, [ms]);
}
