/**
 * Local time in a zone: routing rules' `hours` and `days` and workflow quiet hours use it; the
 * tenant's zone decides what "after hours" means, and a range like 21:00-08:00 crosses midnight.
 */
/** Local minutes after midnight; `to` is exclusive and a range with from > to wraps past midnight. */
export type HourRange = { from: number; to: number; text: string };

export const DAY_NAMES = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;
const MINUTES_PER_DAY = 24 * 60;

function dayIndex(name: string): number {
  const short = name.toLowerCase().slice(0, 3);
  return DAY_NAMES.findIndex((d) => d === short);
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timezone: string): Intl.DateTimeFormat {
  let f = formatters.get(timezone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat("en-US", { timeZone: timezone, hourCycle: "h23", weekday: "short", hour: "2-digit", minute: "2-digit" });
    } catch {
      // A zone this runtime does not know must not fail the call: read the clock in UTC.
      f = formatterFor("UTC");
    }
    if (formatters.size > 500) formatters.clear();
    formatters.set(timezone, f);
  }
  return f;
}

/** Minutes after local midnight and the local weekday (0 = Sunday) at `now` in `timezone`. */
export function localClock(now: number, timezone: string): { minutes: number; day: number } {
  let hour = 0;
  let minute = 0;
  let day = 0;
  for (const part of formatterFor(timezone).formatToParts(new Date(now))) {
    if (part.type === "hour") hour = Number(part.value) % 24;
    else if (part.type === "minute") minute = Number(part.value);
    else if (part.type === "weekday") day = Math.max(0, dayIndex(part.value));
  }
  return { minutes: hour * 60 + minute, day };
}

/** Whether a local time falls in a range; `to` is exclusive, and `from > to` wraps past midnight. */
export function inHours(minutes: number, range: HourRange): boolean {
  if (range.from < range.to) return minutes >= range.from && minutes < range.to;
  return minutes >= range.from || minutes < range.to;
}

const HOURS = /^(\d{1,2})(?::(\d{2}))?\s*-\s*(\d{1,2})(?::(\d{2}))?$/;

function minutesOf(h: string, m: string | undefined): number | null {
  const hour = Number(h);
  const minute = m === undefined ? 0 : Number(m);
  if (minute > 59 || hour > 24 || (hour === 24 && minute > 0)) return null;
  return hour * 60 + minute;
}

/** Parses "21:00-08:00" (or "9-17"); an error message instead when it is not a range. */
export function parseHourRange(text: string): HourRange | string {
  const m = HOURS.exec(text.trim());
  if (!m?.[1] || !m[3]) return `expected a range of local times like "08:00-18:00" or "21:00-08:00", got "${text}"`;
  const from = minutesOf(m[1], m[2]);
  const to = minutesOf(m[3], m[4]);
  if (from === null || to === null) return `"${text}" is not a time of day: use 00:00 to 24:00`;
  if (from % MINUTES_PER_DAY === to % MINUTES_PER_DAY) return `"${text}" starts where it ends: to match all day, leave hours out`;
  return { from: from % MINUTES_PER_DAY, to: to === MINUTES_PER_DAY ? 0 : to, text: text.trim() };
}


const DAY_WORD = /^(sun(day)?|mon(day)?|tue(s|sday)?|wed(nesday)?|thu(rs|rsday)?|fri(day)?|sat(urday)?)$/i;

/** Parses "mon", "monday" or "mon-fri" (a range may wrap: "fri-mon") into weekday numbers. */
export function parseDays(text: string): number[] | string {
  const parts = text.trim().split(/\s*-\s*/);
  const bad = `expected a day (mon … sun) or a range like "mon-fri", got "${text}"`;
  if (parts.length > 2 || parts.some((p) => !DAY_WORD.test(p))) return bad;
  const start = dayIndex(parts[0] ?? "");
  const end = dayIndex(parts[1] ?? parts[0] ?? "");
  const out: number[] = [];
  for (let d = start; ; d = (d + 1) % 7) {
    out.push(d);
    if (d === end) break;
  }
  return out;
}
