/**
 * Telling a tenant about an anomaly: the anomaly.detected / anomaly.resolved platform event
 * (partners receive it as a webhook) and the live message behind the dashboard's banner.
 * Event ids derive from the anomaly id, so announcing twice reaches each endpoint once.
 */
import { deterministicEventId, publishEvent } from "../events/publish";
import { publishLive } from "../live/publish";
import type { AnomalyRow } from "./anomaly-store";

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;
const usd = (nano: number) => `$${(nano / 1e9).toFixed(nano >= 1e9 ? 2 : 4)}`;
const pct = (ratio: number) => `${round(ratio * 100, 1)} %`;

/** One sentence for people: what was seen against what is usual. */
export function summaryOf(a: Pick<AnomalyRow, "kind" | "subject" | "observed" | "expected">): string {
  switch (a.kind) {
    case "tenant_spend":
      return `Spend in the last 5 minutes was ${usd(a.observed)}, against a usual ${usd(a.expected)}.`;
    case "tenant_volume":
      return `${Math.round(a.observed)} gateway calls in the last 5 minutes, against a usual ${round(a.expected, 1)}.`;
    case "provider_latency":
      return `${a.subject} took ${Math.round(a.observed)} ms per call on average in the last 5 minutes, against a usual ${Math.round(a.expected)} ms.`;
    case "provider_error_rate":
      return `${pct(a.observed)} of calls to ${a.subject} failed in the last 5 minutes, against a usual ${pct(a.expected)}.`;
  }
}

/** The anomaly.detected payload (and live message data). */
export function detectedData(a: AnomalyRow) {
  return {
    anomalyId: a.id,
    kind: a.kind,
    subject: a.subject,
    score: round(a.score, 2),
    observed: a.observed,
    expected: a.expected,
    unit: a.unit,
    windowStart: a.windowStart,
    windowEnd: a.windowEnd,
    sensitivity: a.sensitivity,
    summary: summaryOf(a),
  };
}

/** The anomaly.resolved payload (and live message data). */
export function resolvedData(a: AnomalyRow) {
  return { anomalyId: a.id, kind: a.kind, subject: a.subject, detectedAt: a.detectedAt, resolvedAt: a.resolvedAt ?? a.detectedAt };
}

/** Publishes anomaly.detected and the live message. Throws when the event could not be queued. */
export async function announceDetected(env: Env, a: AnomalyRow, now: number): Promise<void> {
  const data = detectedData(a);
  await publishEvent(env, { tenantId: a.tenantId, type: "anomaly.detected", data, id: await deterministicEventId(`anomaly.detected:${a.id}`) });
  await publishLive(env, a.tenantId, { type: "anomaly.detected", data }, now);
}

/** Publishes anomaly.resolved and the live message. Throws when the event could not be queued. */
export async function announceResolved(env: Env, a: AnomalyRow, now: number): Promise<void> {
  const data = resolvedData(a);
  await publishEvent(env, { tenantId: a.tenantId, type: "anomaly.resolved", data, id: await deterministicEventId(`anomaly.resolved:${a.id}`) });
  await publishLive(env, a.tenantId, { type: "anomaly.resolved", data }, now);
}
