/**
 * The Worker's side of the ProviderHealth objects: one stub per health key.
 */
import type { HealthSnapshot, Outcome } from "./circuit";

function stubFor(env: Env, key: string) {
  return env.PROVIDER_HEALTH.get(env.PROVIDER_HEALTH.idFromName(key));
}

/** The circuit of `key` as its object holds it now. */
export async function fetchSnapshot(env: Env, key: string): Promise<HealthSnapshot> {
  return stubFor(env, key).snapshot();
}

/** Sends a batch of outcomes; answers the circuit after them. */
export async function sendOutcomes(env: Env, key: string, outcomes: Outcome[]): Promise<HealthSnapshot> {
  return stubFor(env, key).record(outcomes);
}

/** Snapshots of several keys at once; a key whose object cannot be read is left out. */
export async function fetchSnapshots(env: Env, keys: readonly string[]): Promise<Map<string, HealthSnapshot>> {
  const read = await Promise.allSettled(keys.map(async (k) => [k, await fetchSnapshot(env, k)] as const));
  const found = new Map<string, HealthSnapshot>();
  for (const r of read) if (r.status === "fulfilled") found.set(r.value[0], r.value[1]);
  return found;
}

/** Asks `key`'s object for its half-open probe lease. */
export async function requestProbe(env: Env, key: string): Promise<boolean> {
  return stubFor(env, key).tryProbe();
}
