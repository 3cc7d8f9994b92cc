/**
 * A per-isolate cache of loads that expire after a short time: what the call path reads on
 * every request (tenant settings, routing rules, guard policy) without asking D1 each time.
 * Concurrent readers share one in-flight load, and a failed load is never served from it.
 */
export type TtlCache<T> = {
  get(key: string, load: () => Promise<T>, now?: number): Promise<T>;
  /** Forgets one key, every key the predicate picks, or everything. */
  forget(key?: string | ((key: string) => boolean)): void;
};

export function ttlCache<T>(ttlMs: number, maxEntries = 10_000): TtlCache<T> {
  const entries = new Map<string, { until: number; value: Promise<T> }>();
  return {
    get(key, load, now = Date.now()) {
      const hit = entries.get(key);
      if (hit && hit.until > now) return hit.value;
      if (entries.size >= maxEntries) entries.clear();
      const value = load();
      entries.set(key, { until: now + ttlMs, value });
      value.catch(() => {
        if (entries.get(key)?.value === value) entries.delete(key);
      });
      return value;
    },
    forget(key) {
      if (key === undefined) entries.clear();
      else if (typeof key === "string") entries.delete(key);
      else for (const k of [...entries.keys()]) if (key(k)) entries.delete(k);
    },
  };
}
