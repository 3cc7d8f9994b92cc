/**
 * The queue message the readiness check sends to prove the usage queue accepts work. Its
 * consumer acks it and does nothing else: the check is about sending, and a probe must
 * never become a usage row.
 */
export const HEALTH_PROBE_KIND = "health.probe";

export type HealthProbeMessage = { kind: typeof HEALTH_PROBE_KIND; sentAt: number };

export function healthProbeMessage(now: number): HealthProbeMessage {
  return { kind: HEALTH_PROBE_KIND, sentAt: now };
}

/** True for a readiness probe, whatever else the body holds. */
export function isHealthProbe(body: unknown): boolean {
  return typeof body === "object" && body !== null && (body as { kind?: unknown }).kind === HEALTH_PROBE_KIND;
}
