/** Durations as written in definitions ("30s", "5m", 90) in milliseconds. */
import type { Duration } from "../definition/schema";

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export function durationMs(d: Duration): number {
  if (typeof d === "number") return Math.round(d * 1000);
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(d);
  if (!m?.[1] || !m[2]) throw new Error(`not a duration: ${d}`);
  return Math.round(Number(m[1]) * (UNIT_MS[m[2]] ?? 0));
}
