/**
 * Readiness results kept per isolate for READY_CACHE_MS: a probe storm costs the bindings
 * one round of checks per isolate every two seconds, not one per probe, and probes that
 * arrive while a round is under way share it. The cache is keyed by the bindings object,
 * so a different set of bindings is never answered with another's result.
 */
import { log } from "../lib/log";
import { checkReadiness, type Readiness, type ReadinessBindings, type ReadinessOptions } from "./readiness";

export const READY_CACHE_MS = 2_000;

type Entry = { until: number; result: Promise<Readiness> };

const entries = new WeakMap<ReadinessBindings, Entry>();

/** The latest readiness of `env`, checked afresh when the cached one is older than READY_CACHE_MS. */
export function cachedReadiness(env: ReadinessBindings, opts: ReadinessOptions = {}): Promise<Readiness> {
  const now = opts.now ?? Date.now;
  const hit = entries.get(env);
  if (hit && hit.until > now()) return hit.result;
  // In flight, the entry never expires; once answered it lives READY_CACHE_MS from then.
  const entry: Entry = { until: Number.POSITIVE_INFINITY, result: checkReadiness(env, opts) };
  entries.set(env, entry);
  void entry.result.then((r) => {
    entry.until = now() + READY_CACHE_MS;
    if (r.status !== "ready") {
      const failed = Object.fromEntries(Object.entries(r.checks).filter(([, c]) => !c.ok).map(([name, c]) => [name, c.error]));
      log.warn("not ready", { failed });
    }
  });
  return entry.result;
}
