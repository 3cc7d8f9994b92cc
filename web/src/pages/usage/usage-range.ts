/**
 * The time ranges of the usage page and the buckets the chart plots them in, aligned to the
 * browser's local hours and days (the last bucket is the current, partial one).
 */
export type RangeId = "24h" | "7d" | "30d";
export type Bucket = { from: number; to: number };

export const RANGES: { id: RangeId; label: string }[] = [
  { id: "24h", label: "Last 24 hours" },
  { id: "7d", label: "Last 7 days" },
  { id: "30d", label: "Last 30 days" },
];

const STEPS: Record<RangeId, { count: number; unit: "hour" | "day" }> = {
  "24h": { count: 24, unit: "hour" },
  "7d": { count: 7, unit: "day" },
  "30d": { count: 30, unit: "day" },
};

export function isRange(v: string | null): v is RangeId {
  return v === "24h" || v === "7d" || v === "30d";
}

/** Hourly buckets for a day, daily ones for longer ranges; oldest first. */
export function bucketsOf(range: RangeId, now: number): Bucket[] {
  const { count, unit } = STEPS[range];
  const start = new Date(now);
  if (unit === "hour") start.setMinutes(0, 0, 0);
  else start.setHours(0, 0, 0, 0);
  // Step with the calendar (not fixed milliseconds) so DST days stay whole days.
  const edges: number[] = [];
  for (let i = count - 1; i >= -1; i--) {
    const d = new Date(start);
    if (unit === "hour") d.setHours(d.getHours() - i);
    else d.setDate(d.getDate() - i);
    edges.push(d.getTime());
  }
  return edges.slice(0, -1).map((from, i) => ({ from, to: edges[i + 1] as number }));
}

export function unitOf(range: RangeId): "hour" | "day" {
  return STEPS[range].unit;
}
