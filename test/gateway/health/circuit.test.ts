import { describe, expect, it } from "vitest";
import {
  DEFAULT_HEALTH_CONFIG,
  circuitAt,
  grantProbe,
  initialHealth,
  snapshotOf,
  transition,
  type HealthConfig,
  type HealthState,
  type Outcome,
} from "../../../workers/gateway/health";

const config: HealthConfig = { ...DEFAULT_HEALTH_CONFIG };
const T0 = 1_800_000_000_000;
const ok: Outcome = { ok: true, latencyMs: 100 };
const fail: Outcome = { ok: false, kind: "server_error", latencyMs: 50 };

/** Feeds outcomes one per `stepMs`, starting at `from`. */
function feed(state: HealthState, outcomes: Outcome[], from: number, stepMs = 100): HealthState {
  return outcomes.reduce((s, outcome, i) => transition(s, { type: "outcome", outcome }, from + i * stepMs, config), state);
}

const times = (n: number, o: Outcome): Outcome[] => Array.from({ length: n }, () => o);

function openCircuit(at = T0): HealthState {
  const s = feed(initialHealth(), times(10, fail), at, 0);
  expect(s.circuit).toBe("open");
  return s;
}

describe("the circuit breaker", () => {
  it("has the documented defaults", () => {
    expect(DEFAULT_HEALTH_CONFIG).toMatchObject({ failureRatio: 0.5, minCalls: 10, windowMs: 60_000, cooldownMs: 30_000 });
  });

  it("stays closed below minCalls however bad the ratio", () => {
    const s = feed(initialHealth(), times(9, fail), T0);
    expect(s.circuit).toBe("closed");
    expect(snapshotOf(s, T0 + 1_000, config)).toMatchObject({ calls: 9, failures: 9 });
  });

  it("opens when failures reach the ratio over at least minCalls inside the window", () => {
    const s = feed(initialHealth(), [...times(5, ok), ...times(4, fail)], T0);
    expect(s.circuit).toBe("closed");
    const tripped = transition(s, { type: "outcome", outcome: fail }, T0 + 5_000, config);
    expect(tripped.circuit).toBe("open");
    expect(tripped.changedAt).toBe(T0 + 5_000);
    expect(tripped.retryAt).toBe(T0 + 5_000 + config.cooldownMs);
  });

  it("stays closed just under the ratio", () => {
    const s = feed(initialHealth(), [...times(6, ok), ...times(5, fail)], T0);
    expect(s.circuit).toBe("closed");
    expect(snapshotOf(s, T0 + 2_000, config)).toMatchObject({ calls: 11, failures: 5 });
  });

  it("forgets failures that slid out of the window", () => {
    const old = feed(initialHealth(), times(9, fail), T0, 0);
    // A minute and a bit later the nine failures no longer count: one more is 1 of 1, below minCalls.
    const later = transition(old, { type: "outcome", outcome: fail }, T0 + 61_000, config);
    expect(later.circuit).toBe("closed");
    expect(snapshotOf(later, T0 + 61_000, config)).toMatchObject({ calls: 1, failures: 1 });
    // Within the window, the tenth failure trips it.
    expect(transition(old, { type: "outcome", outcome: fail }, T0 + 59_000, config).circuit).toBe("open");
  });

  it("counts failures by kind and remembers the last", () => {
    const s = feed(initialHealth(), [{ ok: false, kind: "rate_limited", latencyMs: 5 }, { ok: false, kind: "rate_limited", latencyMs: 5 }, { ok: false, kind: "timeout", latencyMs: 5 }, ok], T0);
    const snap = snapshotOf(s, T0 + 1_000, config);
    expect(snap.failuresByKind).toEqual({ rate_limited: 2, server_error: 0, timeout: 1, connection: 0, stream_cut: 0 });
    expect(snap.lastFailure).toEqual({ kind: "timeout", at: T0 + 200 });
  });

  it("an open circuit ignores more outcomes until the cooldown ends, then reads half-open", () => {
    const open = openCircuit();
    const still = feed(open, [ok, ok, fail], T0 + 1_000);
    expect(still.circuit).toBe("open");
    expect(still.retryAt).toBe(open.retryAt);
    expect(snapshotOf(still, T0 + config.cooldownMs - 1, config).circuit).toBe("open");
    expect(snapshotOf(still, T0 + config.cooldownMs, config).circuit).toBe("half_open");
  });

  it("the cooldown event (the alarm) moves open to half-open and leaves other states alone", () => {
    const half = transition(openCircuit(), { type: "cooldown_elapsed" }, T0 + config.cooldownMs, config);
    expect(half).toMatchObject({ circuit: "half_open", retryAt: null, changedAt: T0 + config.cooldownMs });
    const closed = initialHealth();
    expect(transition(closed, { type: "cooldown_elapsed" }, T0, config)).toBe(closed);
    expect(transition(half, { type: "cooldown_elapsed" }, T0 + 40_000, config)).toBe(half);
  });

  it("half-open grants exactly one probe until the lease runs out", () => {
    const half = transition(openCircuit(), { type: "cooldown_elapsed" }, T0 + 30_000, config);
    const first = grantProbe(half, T0 + 30_001, config);
    expect(first.granted).toBe(true);
    const second = grantProbe(first.state, T0 + 30_002, config);
    expect(second.granted).toBe(false);
    const afterLease = grantProbe(second.state, T0 + 30_001 + config.probeLeaseMs, config);
    expect(afterLease.granted).toBe(true);
  });

  it("grants no probe while closed or inside the cooldown", () => {
    expect(grantProbe(initialHealth(), T0, config).granted).toBe(false);
    expect(grantProbe(openCircuit(), T0 + 29_999, config).granted).toBe(false);
    // Past the cooldown with no alarm run yet, the lease is granted all the same.
    expect(grantProbe(openCircuit(), T0 + 30_000, config).granted).toBe(true);
  });

  it("a successful probe closes the circuit with a clean window", () => {
    const probing = grantProbe(transition(openCircuit(), { type: "cooldown_elapsed" }, T0 + 30_000, config), T0 + 30_000, config).state;
    const closed = transition(probing, { type: "outcome", outcome: ok }, T0 + 30_500, config);
    expect(closed).toMatchObject({ circuit: "closed", probeUntil: null, retryAt: null, changedAt: T0 + 30_500 });
    expect(snapshotOf(closed, T0 + 31_000, config)).toMatchObject({ calls: 0, failures: 0 });
    // The old failures do not re-open it: it takes a fresh run of them.
    expect(feed(closed, times(9, fail), T0 + 31_000).circuit).toBe("closed");
  });

  it("a failed probe re-opens the circuit for a fresh cooldown", () => {
    const probing = grantProbe(transition(openCircuit(), { type: "cooldown_elapsed" }, T0 + 30_000, config), T0 + 30_000, config).state;
    const reopened = transition(probing, { type: "outcome", outcome: fail }, T0 + 31_000, config);
    expect(reopened).toMatchObject({ circuit: "open", retryAt: T0 + 61_000, probeUntil: null, changedAt: T0 + 31_000 });
  });

  it("keeps an exponentially weighted average of successful latencies only", () => {
    let s = transition(initialHealth(), { type: "outcome", outcome: { ok: true, latencyMs: 100 } }, T0, config);
    expect(s.latencyMs).toBe(100);
    s = transition(s, { type: "outcome", outcome: { ok: true, latencyMs: 200 } }, T0, config);
    expect(s.latencyMs).toBeCloseTo(120);
    s = transition(s, { type: "outcome", outcome: { ok: false, kind: "timeout", latencyMs: 60_000 } }, T0, config);
    expect(s.latencyMs).toBeCloseTo(120);
    expect(snapshotOf(s, T0, config).latencyMs).toBe(120);
  });

  it("honours other knobs when given", () => {
    const strict: HealthConfig = { ...config, failureRatio: 0.2, minCalls: 5, cooldownMs: 1_000 };
    let s = initialHealth();
    for (const o of [ok, ok, ok, ok, fail]) s = transition(s, { type: "outcome", outcome: o }, T0, strict);
    expect(s).toMatchObject({ circuit: "open", retryAt: T0 + 1_000 });
  });

  it("reads a stored snapshot as half-open once its cooldown has passed, and unknown keys as closed", () => {
    const snap = snapshotOf(openCircuit(), T0, config);
    expect(circuitAt(snap, T0 + 29_000)).toBe("open");
    expect(circuitAt(snap, T0 + 30_000)).toBe("half_open");
    expect(circuitAt(null, T0)).toBe("closed");
  });
});
