/**
 * The circuit breaker's knobs, in one place. Every provider target uses the same ones;
 * tests pass their own to the pure functions.
 */
export type HealthConfig = {
  /** Failures / calls at or above this ratio open a closed circuit... */
  failureRatio: number;
  /** ...once the window holds at least this many calls (a couple of errors at 3 a.m. open nothing). */
  minCalls: number;
  /** How far back the failure ratio looks. Counted in whole seconds. */
  windowMs: number;
  /** How long an open circuit rejects traffic before letting one probe through. */
  cooldownMs: number;
  /** How long a granted probe holds the half-open circuit before another caller may probe. */
  probeLeaseMs: number;
  /** Weight of the newest success in the latency average. */
  ewmaAlpha: number;
};

export const DEFAULT_HEALTH_CONFIG: Readonly<HealthConfig> = Object.freeze({
  failureRatio: 0.5,
  minCalls: 10,
  windowMs: 60_000,
  cooldownMs: 30_000,
  probeLeaseMs: 30_000,
  ewmaAlpha: 0.2,
});

/** How old an isolate's copy of a circuit may get before it asks the object again. */
export const VIEW_REFRESH_MS = 2_000;
