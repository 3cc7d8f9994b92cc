/**
 * Per-isolate caches of what search builds from a knowledge base (decoded vectors, the
 * lexical index), keyed by base and version: a new version replaces the old entry, and a
 * version read from D1 on every search means a stale entry is never served.
 */

export type VersionedCache<T> = {
  get(kbId: string, version: number, load: () => Promise<T>): Promise<T>;
};

/** A cache holding at most `maxEntries` bases; the least recently used goes first. */
export function versionedCache<T>(maxEntries: number): VersionedCache<T> {
  const entries = new Map<string, { version: number; value: Promise<T> }>();
  return {
    get(kbId, version, load) {
      const hit = entries.get(kbId);
      entries.delete(kbId);
      if (hit && hit.version === version) {
        entries.set(kbId, hit);
        return hit.value;
      }
      const value = load();
      entries.set(kbId, { version, value });
      for (const key of entries.keys()) {
        if (entries.size <= maxEntries) break;
        entries.delete(key);
      }
      value.catch(() => {
        if (entries.get(kbId)?.value === value) entries.delete(kbId);
      });
      return value;
    },
  };
}
