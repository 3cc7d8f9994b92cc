import { describe, expect, it } from "vitest";
import { calendarWindow, parseWindow, startOfLocalDate, windowOf } from "../../../workers/gateway/ledger/windows";

const at = (iso: string) => Date.parse(iso);
const HOUR = 3_600_000;

describe("calendar days in the tenant's zone", () => {
  const ny = "America/New_York";

  it("a minute before and after local midnight fall in different days", () => {
    const before = calendarWindow("day", at("2026-01-15T04:59:00Z"), ny); // 23:59 on the 14th in New York
    const after = calendarWindow("day", at("2026-01-15T05:01:00Z"), ny); // 00:01 on the 15th
    expect(before).toEqual({ start: at("2026-01-14T05:00:00Z"), end: at("2026-01-15T05:00:00Z") });
    expect(after).toEqual({ start: at("2026-01-15T05:00:00Z"), end: at("2026-01-16T05:00:00Z") });
  });

  it("a day is not a UTC day: 23:30 UTC is already tomorrow in Kolkata", () => {
    expect(calendarWindow("day", at("2026-06-10T19:00:00Z"), "Asia/Kolkata")).toEqual({ start: at("2026-06-10T18:30:00Z"), end: at("2026-06-11T18:30:00Z") });
  });

  it("the spring-forward day lasts 23 hours and the fall-back day 25", () => {
    const spring = calendarWindow("day", at("2026-03-08T15:00:00Z"), ny);
    expect(spring).toEqual({ start: at("2026-03-08T05:00:00Z"), end: at("2026-03-09T04:00:00Z") });
    expect(spring.end - spring.start).toBe(23 * HOUR);
    const fall = calendarWindow("day", at("2026-11-01T15:00:00Z"), ny);
    expect(fall.end - fall.start).toBe(25 * HOUR);
  });

  it("in a zone that skips midnight, the day starts at 01:00 local", () => {
    // Chile moves from 00:00 straight to 01:00 on 2026-09-06.
    expect(calendarWindow("day", at("2026-09-06T12:00:00Z"), "America/Santiago").start).toBe(at("2026-09-06T04:00:00Z"));
    expect(calendarWindow("day", at("2026-09-06T03:59:59Z"), "America/Santiago").end).toBe(at("2026-09-06T04:00:00Z"));
  });

  it("in a zone that repeats midnight's hour, the day starts at the first 00:00", () => {
    // Cuba falls back from 01:00 to 00:00 on 2026-11-01, so 00:00-00:59 happens twice.
    const day = calendarWindow("day", at("2026-11-01T05:30:00Z"), "America/Havana");
    expect(day.start).toBe(at("2026-11-01T04:00:00Z"));
    expect(day.end - day.start).toBe(25 * HOUR);
    expect(startOfLocalDate(2026, 3, 8, "America/Havana")).toBe(at("2026-03-08T05:00:00Z"));
  });
});

describe("calendar months in the tenant's zone", () => {
  it("the last minutes of the 31st local belong to January even though UTC is in February", () => {
    const jan = calendarWindow("month", at("2026-02-01T04:30:00Z"), "America/New_York");
    expect(jan).toEqual({ start: at("2026-01-01T05:00:00Z"), end: at("2026-02-01T05:00:00Z") });
    const feb = calendarWindow("month", at("2026-02-01T05:00:00Z"), "America/New_York");
    expect(feb.start).toBe(jan.end);
  });

  it("a month that changes clocks ends on the new offset", () => {
    expect(calendarWindow("month", at("2026-03-20T12:00:00Z"), "America/Chicago")).toEqual({ start: at("2026-03-01T06:00:00Z"), end: at("2026-04-01T05:00:00Z") });
  });

  it("December rolls into the next year", () => {
    expect(calendarWindow("month", at("2026-12-31T12:00:00Z"), "Europe/Berlin")).toEqual({ start: at("2026-11-30T23:00:00Z"), end: at("2026-12-31T23:00:00Z") });
  });
});

describe("window specs", () => {
  it("accepts day, month and whole minutes, hours or days up to 31 days", () => {
    expect(parseWindow("day")).toEqual({ kind: "day" });
    expect(parseWindow("month")).toEqual({ kind: "month" });
    expect(parseWindow("30m")).toEqual({ kind: "rolling", ms: 30 * 60_000 });
    expect(parseWindow("24h")).toEqual({ kind: "rolling", ms: 24 * HOUR });
    expect(parseWindow("31d")).toEqual({ kind: "rolling", ms: 31 * 24 * HOUR });
  });

  it.each(["", "week", "0h", "1.5h", "32d", "1w", "-1h", "01h", " 1h", "744h1"])("refuses %j", (text) => {
    expect(parseWindow(text)).toBeNull();
  });

  it("a rolling hour is the current minute and the 59 before it", () => {
    const w = windowOf({ kind: "rolling", ms: HOUR }, at("2026-05-05T10:30:30Z"), "UTC");
    expect(w).toEqual({ start: at("2026-05-05T09:31:00Z"), end: at("2026-05-05T10:31:00Z"), bucketStart: at("2026-05-05T10:30:00Z"), markKey: 0 });
  });

  it("a calendar window's only counter starts with it, and marks are per window", () => {
    const w = windowOf({ kind: "day" }, at("2026-05-05T10:30:30Z"), "America/Denver");
    expect(w.bucketStart).toBe(w.start);
    expect(w.markKey).toBe(w.start);
    expect(w.start).toBe(at("2026-05-05T06:00:00Z"));
  });
});
