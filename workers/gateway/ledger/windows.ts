/**
 * Budget windows. Calendar windows (day, month) follow the tenant's wall clock, DST
 * included; rolling windows (e.g. "24h") are summed over 60 equal slices, so spend can be
 * kept as one counter per slice and old slices simply fall out of the sum.
 */

export type WindowSpec = { kind: "day" } | { kind: "month" } | { kind: "rolling"; ms: number };

/** One window of a budget at some instant. */
export type LedgerWindow = {
  /** Inclusive start, epoch ms. */
  start: number;
  /** Exclusive end, epoch ms. */
  end: number;
  /** The counter that spend at this instant goes into. */
  bucketStart: number;
  /** Threshold events are sent once per mark key: the window start, or 0 for rolling windows. */
  markKey: number;
};

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** Rolling windows are counted in this many slices. */
export const ROLLING_SLICES = 60;
export const MAX_ROLLING_MS = 31 * DAY_MS;
const UNIT_MS: Record<string, number> = { m: MINUTE_MS, h: HOUR_MS, d: DAY_MS };
const ROLLING = /^([1-9]\d{0,4})([mhd])$/;

/** "day", "month", or a rolling length of whole minutes, hours or days up to 31 days; null otherwise. */
export function parseWindow(text: string): WindowSpec | null {
  if (text === "day" || text === "month") return { kind: text };
  const m = ROLLING.exec(text);
  const unit = m?.[2] ? UNIT_MS[m[2]] : undefined;
  if (!m || unit === undefined) return null;
  const ms = Number(m[1]) * unit;
  return ms <= MAX_ROLLING_MS ? { kind: "rolling", ms } : null;
}

type Parts = { y: number; mo: number; d: number; h: number; mi: number; s: number };

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall-clock reading of `ms` in `timeZone`. */
function partsAt(ms: number, timeZone: string): Parts {
  const out: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(ms)) {
    if (p.type !== "literal") out[p.type] = Number(p.value);
  }
  return { y: out.year ?? 0, mo: out.month ?? 0, d: out.day ?? 0, h: out.hour ?? 0, mi: out.minute ?? 0, s: out.second ?? 0 };
}

function offsetAt(ms: number, timeZone: string): number {
  const p = partsAt(ms, timeZone);
  return Date.UTC(p.y, p.mo - 1, p.d, p.h, p.mi, p.s) - Math.floor(ms / 1000) * 1000;
}

/** The local calendar date of `ms` as a day number (days since 1970-01-01). */
function localDay(ms: number, timeZone: string): number {
  const p = partsAt(ms, timeZone);
  return Date.UTC(p.y, p.mo - 1, p.d) / DAY_MS;
}

/** The first instant whose local date in `timeZone` is y-mo-d (normalised, so d may overflow). */
export function startOfLocalDate(y: number, mo: number, d: number, timeZone: string): number {
  const naive = Date.UTC(y, mo - 1, d);
  const target = naive / DAY_MS;
  let t = naive - offsetAt(naive, timeZone);
  // A second pass corrects for an offset change between the naive guess and the answer.
  t = naive - offsetAt(t, timeZone);
  if (localDay(t, timeZone) === target && localDay(t - 1, timeZone) < target) return t;
  // Zones that move their clocks at midnight skip or repeat it: the day starts at the
  // first instant that reads as this date, found by bisection (offsets move by hours at most).
  let lo = t - 3 * HOUR_MS;
  let hi = t + 3 * HOUR_MS;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (localDay(mid, timeZone) >= target) hi = mid;
    else lo = mid;
  }
  return hi;
}

const calendarCache = new Map<string, { start: number; end: number }>();
const CALENDAR_CACHE_MAX = 2_000;

/** The calendar day or month containing `now` in `timeZone`, as [start, end). */
export function calendarWindow(kind: "day" | "month", now: number, timeZone: string): { start: number; end: number } {
  const p = partsAt(now, timeZone);
  const key = `${timeZone}|${kind}|${p.y}-${p.mo}-${kind === "day" ? p.d : 1}`;
  const hit = calendarCache.get(key);
  if (hit) return hit;
  const window =
    kind === "day"
      ? { start: startOfLocalDate(p.y, p.mo, p.d, timeZone), end: startOfLocalDate(p.y, p.mo, p.d + 1, timeZone) }
      : { start: startOfLocalDate(p.y, p.mo, 1, timeZone), end: startOfLocalDate(p.y, p.mo + 1, 1, timeZone) };
  if (calendarCache.size >= CALENDAR_CACHE_MAX) calendarCache.clear();
  calendarCache.set(key, window);
  return window;
}

/** The length of one slice of a rolling window. */
export function sliceMs(windowMs: number): number {
  return windowMs / ROLLING_SLICES;
}

/** The window of `spec` that contains `now`. */
export function windowOf(spec: WindowSpec, now: number, timeZone: string): LedgerWindow {
  if (spec.kind === "rolling") {
    const slice = sliceMs(spec.ms);
    const bucketStart = Math.floor(now / slice) * slice;
    return { start: bucketStart - (ROLLING_SLICES - 1) * slice, end: bucketStart + slice, bucketStart, markKey: 0 };
  }
  const { start, end } = calendarWindow(spec.kind, now, timeZone);
  return { start, end, bucketStart: start, markKey: start };
}
