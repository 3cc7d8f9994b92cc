/**
 * Anomalies in the dashboard: loading and acknowledging them, headlines people read at a
 * glance, and an in-page signal that the list changed. The banner (on every page) owns the
 * live socket and raises the signal on anomaly.detected / anomaly.resolved; the Operations
 * page and the banner both reload on it, so an acknowledgement in one shows in the other.
 */
import { api, type Schemas, unwrap } from "../../api/client";
import { num, percent, usd } from "../../lib/format";

export type Anomaly = Schemas["Anomaly"];
export type AnomalyKind = Anomaly["kind"];

export const KIND_LABELS: Record<AnomalyKind, string> = {
  tenant_spend: "Spend",
  tenant_volume: "Call volume",
  provider_latency: "Provider latency",
  provider_error_rate: "Provider error rate",
};

/** Open anomalies nobody has acknowledged yet, newest first. */
export async function loadUnacknowledged(): Promise<Anomaly[]> {
  const page = await unwrap(api.GET("/operations/anomalies", { params: { query: { status: "open", limit: 50 } } }));
  return page.data.filter((a) => a.acknowledgedAt === null);
}

export async function acknowledge(id: string): Promise<Anomaly> {
  const row = await unwrap(api.POST("/operations/anomalies/{id}/acknowledge", { params: { path: { id } } }));
  notifyAnomaliesChanged();
  return row;
}

/** A value in its unit: dollars, calls, milliseconds or a percentage. */
export function formatValue(unit: Anomaly["unit"], value: number): string {
  switch (unit) {
    case "nano_usd":
      return usd(value);
    case "calls":
      return `${num(value, 1)} calls`;
    case "ms":
      return `${num(value)} ms`;
    case "ratio":
      return percent(value, 1);
  }
}

/** "8×" — how many times the usual level; null when the usual level is zero. */
export function timesNormal(a: Pick<Anomaly, "observed" | "expected">): string | null {
  if (!(a.expected > 0)) return null;
  const ratio = a.observed / a.expected;
  return `${ratio >= 10 ? Math.round(ratio) : ratio.toFixed(1)}×`;
}

/** One line for the banner: what is off and by how much. */
export function headline(a: Anomaly): string {
  const times = timesNormal(a);
  switch (a.kind) {
    case "tenant_spend":
      return times ? `Spend is ${times} normal in the last 5 minutes` : `Spend reached ${usd(a.observed)} in the last 5 minutes, far above normal`;
    case "tenant_volume":
      return times ? `Gateway calls are ${times} normal in the last 5 minutes` : `${num(a.observed)} gateway calls in the last 5 minutes, far above normal`;
    case "provider_latency":
      return times ? `${a.subject} is ${times} slower than normal` : `${a.subject} answers in ${num(a.observed)} ms, far slower than normal`;
    case "provider_error_rate":
      return `${a.subject} is failing ${percent(a.observed, 0)} of calls (usually ${percent(a.expected, 0)})`;
  }
}

const listeners = new Set<() => void>();

/** Tells every anomaly view on the page to reload. */
export function notifyAnomaliesChanged(): void {
  for (const l of listeners) l();
}

/** Subscribes to notifyAnomaliesChanged; returns the unsubscribe (fits useEffect). */
export function onAnomaliesChanged(listener: () => void): () => void {
  listeners.add(listener);
  return () => void listeners.delete(listener);
}
