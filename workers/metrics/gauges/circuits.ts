/**
 * auterity_provider_circuit_state at scrape time: the circuit of every target that has
 * reported outcomes (the auterity_provider_outcomes_total series name them), read from its
 * ProviderHealth object. A target that never reported anything has a closed circuit, so
 * nothing is lost by leaving it out, and the objects read stay bounded by real traffic.
 */
import { circuitAt, fetchSnapshots, healthKeyOf, PLATFORM_OWNER, type CircuitState } from "../../gateway/health";
import { log } from "../../lib/log";
import type { GaugeSample } from "../render";
import { decodeLabels, type SeriesEntry } from "../series";

/** Targets read per scrape; platform targets come first. */
export const MAX_CIRCUIT_TARGETS = 300;
const STATES: readonly CircuitState[] = ["closed", "open", "half_open"];

type Target = { owner: string; provider: string; model: string };

/** The distinct targets named by the stored outcome series, platform first, then by key. */
export function targetsFromOutcomes(stored: readonly SeriesEntry[]): Target[] {
  const found = new Map<string, Target>();
  for (const [name, labels] of stored) {
    if (name !== "auterity_provider_outcomes_total") continue;
    const l = Object.fromEntries(decodeLabels(labels) ?? []);
    if (!l.owner || !l.provider || !l.model) continue;
    const target = { owner: l.owner, provider: l.provider, model: l.model };
    found.set(keyOf(target), target);
  }
  const rank = (t: Target) => (t.owner === PLATFORM_OWNER ? 0 : 1);
  return [...found.values()].sort((a, b) => rank(a) - rank(b) || (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
}

function keyOf(t: Target): string {
  return healthKeyOf({ name: t.provider, model: t.model }, t.owner === PLATFORM_OWNER ? null : t.owner);
}

export async function circuitGauge(env: Env, stored: readonly SeriesEntry[], now: number): Promise<GaugeSample<"auterity_provider_circuit_state">[]> {
  const all = targetsFromOutcomes(stored);
  if (all.length > MAX_CIRCUIT_TARGETS) log.warn("metrics: circuit targets past the limit left out", { targets: all.length, limit: MAX_CIRCUIT_TARGETS });
  const targets = all.slice(0, MAX_CIRCUIT_TARGETS);
  const snapshots = await fetchSnapshots(env, targets.map(keyOf));
  const samples: GaugeSample<"auterity_provider_circuit_state">[] = [];
  for (const t of targets) {
    const snapshot = snapshots.get(keyOf(t));
    if (!snapshot) continue;
    const circuit = circuitAt(snapshot, now);
    for (const state of STATES) samples.push({ labels: { ...t, state }, value: state === circuit ? 1 : 0 });
  }
  return samples;
}
