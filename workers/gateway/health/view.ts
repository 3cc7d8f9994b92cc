/**
 * This isolate's copy of the circuits it has looked at. The call path reads it synchronously
 * and never waits for a ProviderHealth object: a key seen for the first time reads as
 * closed, and a copy older than VIEW_REFRESH_MS is refreshed in the background (one refresh
 * per key at a time) while the caller goes on with what is here.
 */
import { circuitAt, type CircuitState, type HealthSnapshot } from "./circuit";
import { fetchSnapshot, requestProbe } from "./client";
import { VIEW_REFRESH_MS } from "./config";
import { log } from "../../lib/log";

type Copy = { snapshot: HealthSnapshot | null; fetchedAt: number; refreshing: boolean; probeDeniedUntil: number };

const copies = new Map<string, Copy>();
// Bounds memory when many tenants' own targets pass through one isolate.
const MAX_KEYS = 10_000;
// After a refused probe, this isolate stops asking for a moment: someone else is probing.
const PROBE_BACKOFF_MS = 1_000;

export type Clock = () => number;
export type HealthView = { circuit(key: string): CircuitState; latencyMs(key: string): number | null };

function copyOf(key: string): Copy {
  let copy = copies.get(key);
  if (!copy) {
    if (copies.size >= MAX_KEYS) copies.clear();
    copy = { snapshot: null, fetchedAt: Number.NEGATIVE_INFINITY, refreshing: false, probeDeniedUntil: 0 };
    copies.set(key, copy);
  }
  return copy;
}

/** Stores what an object answered (a refresh, or the reply to reported outcomes). */
export function rememberSnapshot(key: string, snapshot: HealthSnapshot, at: number): void {
  const copy = copyOf(key);
  copy.snapshot = snapshot;
  copy.fetchedAt = at;
}

async function refresh(env: Env, key: string, copy: Copy, clock: Clock): Promise<void> {
  try {
    copy.snapshot = await fetchSnapshot(env, key);
  } catch (err) {
    // Health is advisory: keep the copy we had and try again after the interval.
    log.warn("provider health refresh failed", { key, err });
  } finally {
    copy.fetchedAt = clock();
    copy.refreshing = false;
  }
}

/**
 * The circuits as this isolate knows them. Reading a key never waits: a stale or unknown
 * key schedules one background refresh through `waitUntil` and answers from the copy.
 */
export function healthView(env: Env, waitUntil: (p: Promise<unknown>) => void, clock: Clock = Date.now): HealthView {
  const look = (key: string): Copy => {
    const copy = copyOf(key);
    if (!copy.refreshing && clock() - copy.fetchedAt >= VIEW_REFRESH_MS) {
      copy.refreshing = true;
      waitUntil(refresh(env, key, copy, clock));
    }
    return copy;
  };
  return {
    circuit: (key) => circuitAt(look(key).snapshot, clock()),
    latencyMs: (key) => look(key).snapshot?.latencyMs ?? null,
  };
}

/**
 * For a target the view reports half-open: asks its object for the single probe lease. The
 * only health call the hot path awaits. When the object cannot be reached the call goes
 * ahead, since a broken health store must not stop traffic.
 */
export async function tryProbe(env: Env, key: string, clock: Clock = Date.now): Promise<boolean> {
  const copy = copyOf(key);
  if (clock() < copy.probeDeniedUntil) return false;
  try {
    const granted = await requestProbe(env, key);
    if (!granted) copy.probeDeniedUntil = clock() + PROBE_BACKOFF_MS;
    return granted;
  } catch (err) {
    log.warn("provider health probe lease unavailable", { key, err });
    return true;
  }
}

/** Forgets this isolate's copy of one key (or of all), e.g. between tests. */
export function forgetHealthView(key?: string): void {
  if (key === undefined) copies.clear();
  else copies.delete(key);
}
