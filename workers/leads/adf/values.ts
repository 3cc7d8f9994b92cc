/**
 * Reading single ADF values the way providers write them: "$32,450.00", "12,345 mi",
 * "05/17/2024 10:30 AM", "Dana.Reyes@Example.com ". A value that cannot be read becomes
 * null with a warning; it never fails the lead.
 */

export type Warn = (message: string) => void;

/** Whitespace collapsed (non-breaking spaces included) and trimmed; empty becomes null. */
export function clean(raw: string | null | undefined): string | null {
  const s = (raw ?? "").replace(/[\s\u00A0]+/g, " ").trim();
  return s === "" ? null : s;
}

/** Like clean(), but keeps line breaks (at most one blank line in a row): for comments. */
export function cleanBlock(raw: string | null | undefined): string | null {
  const lines = (raw ?? "").replace(/\r\n?/g, "\n").split("\n").map((l) => l.replace(/[ \t\f\v\u00A0]+/g, " ").trim());
  const s = lines.join("\n").replace(/\n{3,}/g, "\n\n").trim();
  return s === "" ? null : s;
}

export function parseYear(raw: string | null, warn: Warn): number | null {
  if (raw === null) return null;
  const year = /^\d{4}$/.test(raw) ? Number(raw) : Number.NaN;
  if (year >= 1900 && year <= 2100) return year;
  warn(`vehicle year '${raw}' is not a year; ignored`);
  return null;
}

/** "$32,450.00" → 32450; anything without a number is null. */
export function parseAmount(raw: string | null, field: string, warn: Warn): number | null {
  if (raw === null) return null;
  const digits = raw.replace(/[$,\s]|usd|mi(les)?|km/gi, "");
  const value = /^\d+(\.\d+)?$/.test(digits) ? Number(digits) : Number.NaN;
  if (Number.isFinite(value)) return value;
  warn(`${field} '${raw}' is not a number; ignored`);
  return null;
}

const EMAIL = /^[^\s@<>()",;:]+@[^\s@<>()",;:]+\.[^\s@<>()",;:]+$/;

export function parseEmail(raw: string | null, warn: Warn): string | null {
  if (raw === null) return null;
  const email = raw.replace(/^mailto:/i, "").trim();
  if (EMAIL.test(email)) return email;
  warn(`email '${raw}' is not an email address; ignored`);
  return null;
}

export function parsePhone(raw: string | null, warn: Warn): string | null {
  if (raw === null) return null;
  if ((raw.match(/\d/g) ?? []).length >= 7) return raw;
  warn(`phone '${raw}' has too few digits; ignored`);
  return null;
}

export function parseVin(raw: string | null, warn: Warn): string | null {
  if (raw === null) return null;
  const vin = raw.replace(/[\s-]/g, "").toUpperCase();
  if (!/^[A-HJ-NPR-Z0-9]{17}$/.test(vin)) warn(`VIN '${raw}' is not a 17-character VIN; kept as written`);
  return vin;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;
const US = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AP]M)?)?$/i;

type Parts = { year: number; month: number; day: number; hour: number; minute: number; second: number; offsetMinutes: number };

function offsetOf(zone: string | undefined): number {
  if (!zone || zone.toUpperCase() === "Z") return 0;
  const sign = zone.startsWith("-") ? -1 : 1;
  const digits = zone.slice(1).replace(":", "");
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4)));
}

function partsOf(raw: string): Parts | null {
  const iso = ISO.exec(raw);
  if (iso) {
    const [, y, mo, d, h, mi, s, zone] = iso;
    return { year: Number(y), month: Number(mo), day: Number(d), hour: Number(h ?? 0), minute: Number(mi ?? 0), second: Number(s ?? 0), offsetMinutes: offsetOf(zone) };
  }
  const us = US.exec(raw);
  if (!us) return null;
  const [, mo, d, y, h, mi, s, ampm] = us;
  let hour = Number(h ?? 0);
  if (ampm?.toUpperCase() === "PM" && hour < 12) hour += 12;
  if (ampm?.toUpperCase() === "AM" && hour === 12) hour = 0;
  return { year: Number(y), month: Number(mo), day: Number(d), hour, minute: Number(mi ?? 0), second: Number(s ?? 0), offsetMinutes: 0 };
}

/**
 * An ADF date-time as ISO 8601 UTC. A time without a zone is read as UTC: the ADF does not
 * say where it was written, and the dealership's zone is not known here.
 */
export function parseAdfDate(raw: string | null, field: string, warn: Warn): string | null {
  if (raw === null) return null;
  const p = partsOf(raw);
  const utc = p ? Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) : Number.NaN;
  const probe = new Date(utc);
  // Date.UTC rolls 2024-02-31 over to March; a date that does not survive the round trip is not a date.
  if (!p || Number.isNaN(utc) || probe.getUTCDate() !== p.day || probe.getUTCMonth() !== p.month - 1 || p.hour > 23 || p.minute > 59 || p.second > 59) {
    warn(`${field} '${raw}' is not a date; ignored`);
    return null;
  }
  return new Date(utc - p.offsetMinutes * 60_000).toISOString();
}
