/**
 * Provider health: circuit breakers per target, the per-isolate view the call path reads,
 * and outcome reporting. See circuit.ts for the state machine.
 */
export { classifyFailure, streamCutError } from "./classify";
export { advance, circuitAt, grantProbe, initialHealth, snapshotOf, transition } from "./circuit";
export type { CircuitState, HealthEvent, HealthSnapshot, HealthState, Outcome } from "./circuit";
export { fetchSnapshots } from "./client";
export { DEFAULT_HEALTH_CONFIG, VIEW_REFRESH_MS, type HealthConfig } from "./config";
export { healthKeyOf, healthKeyOfResolved, parseHealthKey, PLATFORM_OWNER } from "./keys";
export { reportOutcome } from "./report";
export { healthTargetsOf, type HealthTarget } from "./targets";
export { forgetHealthView, healthView, tryProbe, type HealthView } from "./view";
export { FAILURE_KINDS, type FailureCounts, type FailureKind } from "./window";
