/**
 * "Today" as the dealership sees it: calendar days in the tenant's time zone (the API's
 * day buckets use the same zone), whatever zone the browser is in.
 */

function zoneOrLocal(timeZone: string): string | undefined {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return timeZone;
  } catch {
    return undefined;
  }
}

function wallClock(timeZone: string | undefined, at: number): { y: number; m: number; d: number; h: number; min: number; s: number } {
  const parts = new Intl.DateTimeFormat("en-US", { timeZone, year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric", hourCycle: "h23" }).formatToParts(at);
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { y: get("year"), m: get("month"), d: get("day"), h: get("hour"), min: get("minute"), s: get("second") };
}

/** How far the zone's wall clock is ahead of UTC at `at`, in ms. */
function offsetAt(timeZone: string | undefined, at: number): number {
  const w = wallClock(timeZone, at);
  return Date.UTC(w.y, w.m - 1, w.d, w.h, w.min, w.s) - Math.floor(at / 1000) * 1000;
}

/** The calendar day (YYYY-MM-DD) in `timeZone` at `at` — the key of the API's day rows. */
export function dayKey(timeZone: string, at = Date.now()): string {
  const w = wallClock(zoneOrLocal(timeZone), at);
  return `${w.y}-${String(w.m).padStart(2, "0")}-${String(w.d).padStart(2, "0")}`;
}

/** Epoch ms of midnight starting the day that contains `at`, in `timeZone`. */
export function startOfDay(timeZone: string, at = Date.now()): number {
  const zone = zoneOrLocal(timeZone);
  const w = wallClock(zone, at);
  const midnightAsUtc = Date.UTC(w.y, w.m - 1, w.d);
  // Two passes settle the offset on days a daylight-saving change moves it.
  const first = midnightAsUtc - offsetAt(zone, midnightAsUtc);
  return midnightAsUtc - offsetAt(zone, first);
}
