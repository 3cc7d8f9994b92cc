/**
 * The circuit breaker as pure functions: a state, an event, a clock and the knobs in; the
 * next state out. The ProviderHealth object only stores what these return.
 *
 *   closed --(failures/calls >= ratio over >= minCalls in the window)--> open
 *   open --(cooldown elapsed)--> half_open
 *   half_open --(one probe granted; it succeeds)--> closed
 *   half_open --(it fails)--> open (a fresh cooldown)
 */
import type { HealthConfig } from "./config";
import { countCall, noFailures, totals, type Bucket, type FailureCounts, type FailureKind } from "./window";

export type CircuitState = "closed" | "open" | "half_open";
/** What became of one upstream call; latency is what the caller waited for its answer (or first byte). */
export type Outcome = { ok: true; latencyMs: number } | { ok: false; kind: FailureKind; latencyMs: number };

export type HealthState = {
  circuit: CircuitState;
  /** When the circuit last changed state. */
  changedAt: number | null;
  /** While open: when the cooldown ends. */
  retryAt: number | null;
  /** While half-open: a granted probe holds the circuit until then. */
  probeUntil: number | null;
  /** Exponentially weighted average latency of successful calls. */
  latencyMs: number | null;
  lastFailure: { kind: FailureKind; at: number } | null;
  buckets: Bucket[];
};

export type HealthEvent = { type: "outcome"; outcome: Outcome } | { type: "cooldown_elapsed" } | { type: "probe" };

/** What callers read about one target. */
export type HealthSnapshot = {
  circuit: CircuitState;
  latencyMs: number | null;
  /** Calls and failures inside the window. */
  calls: number;
  failures: number;
  failuresByKind: FailureCounts;
  changedAt: number | null;
  retryAt: number | null;
  lastFailure: { kind: FailureKind; at: number } | null;
  at: number;
};

export function initialHealth(): HealthState {
  return { circuit: "closed", changedAt: null, retryAt: null, probeUntil: null, latencyMs: null, lastFailure: null, buckets: [] };
}

function opened(state: HealthState, now: number, config: HealthConfig): HealthState {
  return { ...state, circuit: "open", changedAt: now, retryAt: now + config.cooldownMs, probeUntil: null };
}

function ewma(previous: number | null, sample: number, alpha: number): number {
  return previous === null ? sample : alpha * sample + (1 - alpha) * previous;
}

function shouldOpen(buckets: readonly Bucket[], now: number, config: HealthConfig): boolean {
  const t = totals(buckets, now, config.windowMs);
  return t.calls >= config.minCalls && t.failures / t.calls >= config.failureRatio;
}

function onOutcome(state: HealthState, outcome: Outcome, now: number, config: HealthConfig): HealthState {
  const kind = outcome.ok ? null : outcome.kind;
  const counted: HealthState = {
    ...state,
    buckets: countCall(state.buckets, now, config.windowMs, kind),
    latencyMs: outcome.ok ? ewma(state.latencyMs, outcome.latencyMs, config.ewmaAlpha) : state.latencyMs,
    lastFailure: kind ? { kind, at: now } : state.lastFailure,
  };
  if (state.circuit === "half_open") {
    // The probe's verdict. A success starts a clean window: the failures that opened it are history.
    if (outcome.ok) return { ...counted, circuit: "closed", changedAt: now, retryAt: null, probeUntil: null, buckets: [] };
    return opened(counted, now, config);
  }
  if (state.circuit === "closed" && kind && shouldOpen(counted.buckets, now, config)) return opened(counted, now, config);
  return counted;
}

/** Applies an elapsed cooldown that no alarm has applied yet (alarms may run late). */
export function advance(state: HealthState, now: number): HealthState {
  if (state.circuit === "open" && state.retryAt !== null && now >= state.retryAt) {
    return { ...state, circuit: "half_open", changedAt: state.retryAt, retryAt: null, probeUntil: null };
  }
  return state;
}

/** The next state after `event` at `now`. */
export function transition(state: HealthState, event: HealthEvent, now: number, config: HealthConfig): HealthState {
  if (event.type === "cooldown_elapsed") {
    if (state.circuit !== "open") return state;
    return { ...state, circuit: "half_open", changedAt: now, retryAt: null, probeUntil: null };
  }
  const current = advance(state, now);
  if (event.type === "outcome") return onOutcome(current, event.outcome, now, config);
  // A probe lease: only while half-open, and only when no live lease is held.
  if (current.circuit !== "half_open") return current;
  if (current.probeUntil !== null && current.probeUntil > now) return current;
  return { ...current, probeUntil: now + config.probeLeaseMs };
}

/** Asks for the half-open circuit's one probe: granted when this call took the lease. */
export function grantProbe(state: HealthState, now: number, config: HealthConfig): { state: HealthState; granted: boolean } {
  const next = transition(state, { type: "probe" }, now, config);
  return { state: next, granted: next.circuit === "half_open" && next.probeUntil !== advance(state, now).probeUntil };
}

/** What callers see of `state` at `now`. */
export function snapshotOf(state: HealthState, now: number, config: HealthConfig): HealthSnapshot {
  const current = advance(state, now);
  const t = current.buckets.length ? totals(current.buckets, now, config.windowMs) : { calls: 0, failures: 0, kinds: noFailures() };
  return {
    circuit: current.circuit,
    latencyMs: current.latencyMs === null ? null : Math.round(current.latencyMs),
    calls: t.calls,
    failures: t.failures,
    failuresByKind: t.kinds,
    changedAt: current.changedAt,
    retryAt: current.retryAt,
    lastFailure: current.lastFailure,
    at: now,
  };
}

/** The circuit a snapshot taken earlier implies at `now`: an open circuit past its cooldown is half-open. */
export function circuitAt(snapshot: HealthSnapshot | null, now: number): CircuitState {
  if (!snapshot) return "closed";
  if (snapshot.circuit === "open" && snapshot.retryAt !== null && now >= snapshot.retryAt) return "half_open";
  return snapshot.circuit;
}
