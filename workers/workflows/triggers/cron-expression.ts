/**
 * Five-field cron expressions (minute hour day-of-month month day-of-week) read in a time
 * zone: `*`, lists, ranges, steps (`*\/15`, `8-18/2`), month and day names, 7 = Sunday.
 * As in classic cron, when both day fields are restricted a day matching either fires.
 */
export type Cron = { minute: Set<number>; hour: Set<number>; dom: Set<number>; month: Set<number>; dow: Set<number>; domAny: boolean; dowAny: boolean };

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

type FieldSpec = { name: string; min: number; max: number; names?: string[]; offset?: number };
const FIELDS: [FieldSpec, FieldSpec, FieldSpec, FieldSpec, FieldSpec] = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day of month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12, names: MONTHS, offset: 1 },
  { name: "day of week", min: 0, max: 7, names: DAYS, offset: 0 },
];

function valueOf(text: string, spec: FieldSpec): number {
  const named = spec.names?.indexOf(text.toLowerCase()) ?? -1;
  const n = named >= 0 ? named + (spec.offset ?? 0) : /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isInteger(n) || n < spec.min || n > spec.max) throw new Error(`'${text}' is not a valid ${spec.name} (${spec.min}-${spec.max})`);
  return n;
}

function field(text: string, spec: FieldSpec): Set<number> {
  const out = new Set<number>();
  for (const part of text.split(",")) {
    const [range = "", stepText] = part.split("/");
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new Error(`'${part}' has a bad step in the ${spec.name} field`);
    let lo = spec.min;
    let hi = spec.max;
    if (range !== "*") {
      const [a = "", b] = range.split("-");
      lo = valueOf(a, spec);
      hi = b === undefined ? (stepText === undefined ? lo : spec.max) : valueOf(b, spec);
      if (hi < lo) throw new Error(`'${range}' runs backwards in the ${spec.name} field`);
    }
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return out;
}

/** Parses an expression; throws an Error whose message says which field is wrong. */
export function parseCron(expr: string): Cron {
  const parts = expr.trim().split(/\s+/);
  if (parts.length !== 5) throw new Error(`expected 5 fields (minute hour day-of-month month day-of-week), got ${parts.length}`);
  const dow = field(parts[4] ?? "", FIELDS[4]);
  if (dow.has(7)) dow.add(0);
  return {
    minute: field(parts[0] ?? "", FIELDS[0]),
    hour: field(parts[1] ?? "", FIELDS[1]),
    dom: field(parts[2] ?? "", FIELDS[2]),
    month: field(parts[3] ?? "", FIELDS[3]),
    dow,
    domAny: parts[2] === "*",
    dowAny: parts[4] === "*",
  };
}

/** Whether the runtime knows `timeZone` as an IANA zone. */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** What is wrong with a cron trigger as written (its expression or its zone), or null when it can fire. */
export function cronTriggerProblem(schedule: string, timeZone?: string): { field: "schedule" | "timezone"; message: string } | null {
  try {
    parseCron(schedule);
  } catch (err) {
    return { field: "schedule", message: `is not a valid cron expression: ${err instanceof Error ? err.message : String(err)}` };
  }
  if (timeZone !== undefined && !isTimeZone(timeZone)) return { field: "timezone", message: `'${timeZone}' is not a known IANA time zone (e.g. America/Chicago)` };
  return null;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function partsIn(ms: number, timeZone: string): { minute: number; hour: number; day: number; month: number; weekday: number } {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", minute: "numeric", hour: "numeric", day: "numeric", month: "numeric", weekday: "short" });
    formatters.set(timeZone, f);
  }
  const out = { minute: 0, hour: 0, day: 1, month: 1, weekday: 0 };
  for (const p of f.formatToParts(new Date(ms))) {
    if (p.type === "minute") out.minute = Number(p.value);
    else if (p.type === "hour") out.hour = Number(p.value) % 24;
    else if (p.type === "day") out.day = Number(p.value);
    else if (p.type === "month") out.month = Number(p.value);
    else if (p.type === "weekday") out.weekday = DAYS.indexOf(p.value.toLowerCase().slice(0, 3));
  }
  return out;
}

export function cronMatches(cron: Cron, ms: number, timeZone: string): boolean {
  const t = partsIn(ms, timeZone);
  if (!cron.minute.has(t.minute) || !cron.hour.has(t.hour) || !cron.month.has(t.month)) return false;
  const dom = cron.dom.has(t.day);
  const dow = cron.dow.has(t.weekday);
  if (cron.domAny || cron.dowAny) return dom && dow;
  return dom || dow;
}

/**
 * How far back a missed slot is still fired. The scheduled handler looks every minute, so
 * this only covers missed ticks; keeping it short keeps each tick at a few clock reads per
 * trigger (a weekly schedule would otherwise be scanned a day deep every minute).
 */
const LOOKBACK_MS = 15 * 60_000;

/** The latest minute in (after, upTo] that the expression matches, or null. */
export function latestSlot(cron: Cron, timeZone: string, after: number, upTo: number): number | null {
  const floor = Math.max(after, upTo - LOOKBACK_MS);
  for (let m = upTo - (upTo % 60_000); m > floor; m -= 60_000) if (cronMatches(cron, m, timeZone)) return m;
  return null;
}
