/**
 * Five-field cron expressions read in a time zone: fields, names, steps, ranges, the
 * classic either-day rule, the latest slot due, and the messages for bad expressions.
 */
import { describe, expect, it } from "vitest";
import { cronMatches, cronTriggerProblem, latestSlot, parseCron } from "../../../workers/workflows/triggers/cron-expression";

const at = (iso: string) => Date.parse(iso);
const sorted = (s: Set<number>) => [...s].sort((a, b) => a - b);

describe("parseCron", () => {
  it("reads lists, ranges, steps and names", () => {
    const c = parseCron("*/15 8-18/2 1,15 jan-mar,DEC mon-fri");
    expect(sorted(c.minute)).toEqual([0, 15, 30, 45]);
    expect(sorted(c.hour)).toEqual([8, 10, 12, 14, 16, 18]);
    expect(sorted(c.dom)).toEqual([1, 15]);
    expect(sorted(c.month)).toEqual([1, 2, 3, 12]);
    expect(sorted(c.dow)).toEqual([1, 2, 3, 4, 5]);
    expect(sorted(parseCron("5/20 * * * *").minute)).toEqual([5, 25, 45]);
    // 7 is Sunday too.
    expect(sorted(parseCron("0 0 * * 7").dow)).toEqual([0, 7]);
    expect(sorted(parseCron("0 0 * * SUN,sat").dow)).toEqual([0, 6]);
  });

  it("refuses bad expressions, saying which field is wrong", () => {
    const bad: [string, string][] = [
      ["*/5 * * *", "expected 5 fields"],
      ["* * * * * *", "expected 5 fields"],
      ["60 * * * *", "minute"],
      ["* 24 * * *", "hour"],
      ["* * 0 * *", "day of month"],
      ["* * * 13 *", "month"],
      ["* * * * 8", "day of week"],
      ["* * * foo *", "'foo' is not a valid month"],
      ["* * * * someday", "day of week"],
      ["*/0 * * * *", "bad step"],
      ["30-10 * * * *", "runs backwards"],
      ["1,,2 * * * *", "minute"],
    ];
    for (const [expr, message] of bad) expect(() => parseCron(expr), expr).toThrow(message);
  });
});

describe("cronMatches", () => {
  it("reads the time in the given zone", () => {
    const nineMonday = parseCron("0 9 * * mon");
    // 2026-06-01 is a Monday; Chicago is UTC-5 in June, UTC-6 in January.
    expect(cronMatches(nineMonday, at("2026-06-01T14:00:00Z"), "America/Chicago")).toBe(true);
    expect(cronMatches(nineMonday, at("2026-06-01T09:00:00Z"), "America/Chicago")).toBe(false);
    expect(cronMatches(nineMonday, at("2026-06-01T09:00:00Z"), "UTC")).toBe(true);
    expect(cronMatches(nineMonday, at("2026-01-05T15:00:00Z"), "America/Chicago")).toBe(true);
    // Monday 08:00 in Tokyo is still Sunday in UTC.
    const eightMonday = parseCron("0 8 * * mon");
    expect(cronMatches(eightMonday, at("2026-05-31T23:00:00Z"), "Asia/Tokyo")).toBe(true);
    expect(cronMatches(eightMonday, at("2026-05-31T23:00:00Z"), "UTC")).toBe(false);
    // Half-hour zones.
    expect(cronMatches(parseCron("30 9 * * *"), at("2026-06-01T04:00:00Z"), "Asia/Kolkata")).toBe(true);
  });

  it("fires on either day when both day fields are restricted, on both when one is *", () => {
    const either = parseCron("0 12 13 * fri");
    expect(cronMatches(either, at("2026-02-13T12:00:00Z"), "UTC")).toBe(true); // Friday the 13th
    expect(cronMatches(either, at("2026-03-13T12:00:00Z"), "UTC")).toBe(true); // a Friday
    expect(cronMatches(either, at("2026-04-13T12:00:00Z"), "UTC")).toBe(true); // a Monday, the 13th
    expect(cronMatches(either, at("2026-04-17T12:00:00Z"), "UTC")).toBe(true); // a Friday
    expect(cronMatches(either, at("2026-04-14T12:00:00Z"), "UTC")).toBe(false);
    const monthly = parseCron("0 12 13 * *");
    expect(cronMatches(monthly, at("2026-04-17T12:00:00Z"), "UTC")).toBe(false);
  });

  it("matches month names", () => {
    const christmas = parseCron("0 8 25 dec *");
    expect(cronMatches(christmas, at("2026-12-25T08:00:00Z"), "UTC")).toBe(true);
    expect(cronMatches(christmas, at("2026-11-25T08:00:00Z"), "UTC")).toBe(false);
  });
});

describe("latestSlot", () => {
  const every5 = parseCron("*/5 * * * *");

  it("answers the latest matching minute after the last one fired", () => {
    expect(latestSlot(every5, "UTC", at("2026-06-01T10:00:00Z"), at("2026-06-01T10:07:30Z"))).toBe(at("2026-06-01T10:05:00Z"));
    expect(latestSlot(every5, "UTC", at("2026-06-01T10:05:00Z"), at("2026-06-01T10:09:59Z"))).toBeNull();
    // Missed slots are not replayed one by one: only the latest fires.
    expect(latestSlot(every5, "UTC", at("2026-06-01T09:00:00Z"), at("2026-06-01T10:12:00Z"))).toBe(at("2026-06-01T10:10:00Z"));
  });

  it("covers missed ticks of the last 15 minutes, not older slots", () => {
    const yearly = parseCron("0 0 1 1 *");
    expect(latestSlot(yearly, "UTC", at("2025-01-01T00:00:00Z"), at("2026-01-01T00:14:00Z"))).toBe(at("2026-01-01T00:00:00Z"));
    expect(latestSlot(yearly, "UTC", at("2025-01-01T00:00:00Z"), at("2026-01-01T00:16:00Z"))).toBeNull();
  });

  it("finds slots in the trigger's zone", () => {
    const morning = parseCron("0 8 * * *");
    expect(latestSlot(morning, "America/New_York", at("2026-06-01T00:00:00Z"), at("2026-06-01T12:03:00Z"))).toBe(at("2026-06-01T12:00:00Z"));
    expect(latestSlot(morning, "Europe/Berlin", at("2026-06-01T00:00:00Z"), at("2026-06-01T06:03:00Z"))).toBe(at("2026-06-01T06:00:00Z"));
    expect(latestSlot(morning, "Europe/Berlin", at("2026-06-01T00:00:00Z"), at("2026-06-01T12:03:00Z"))).toBeNull();
  });
});

describe("cronTriggerProblem", () => {
  it("names the field that is wrong", () => {
    expect(cronTriggerProblem("*/5 * * * *")).toBeNull();
    expect(cronTriggerProblem("0 9 * * mon-fri", "America/Chicago")).toBeNull();
    expect(cronTriggerProblem("0 25 * * *")).toMatchObject({ field: "schedule", message: expect.stringContaining("hour") });
    expect(cronTriggerProblem("0 9 * * *", "Mars/Olympus_Mons")).toMatchObject({ field: "timezone", message: expect.stringContaining("Mars/Olympus_Mons") });
  });
});
