import { describe, expect, it } from "vitest";
import { isTimeZone, mergeSettings } from "../../workers/platform/tenants";

describe("isTimeZone", () => {
  it("accepts IANA zones and refuses the rest", () => {
    for (const tz of ["America/New_York", "America/Los_Angeles", "Europe/Berlin", "UTC"]) expect(isTimeZone(tz), tz).toBe(true);
    for (const tz of ["Eastern", "America/Nowhere", "", "+05:00x"]) expect(isTimeZone(tz), tz).toBe(false);
  });
});

describe("mergeSettings", () => {
  it("replaces top-level keys, keeps the others, and removes keys set to null", () => {
    expect(mergeSettings({ a: 1, b: { x: 1 }, c: 3 }, { b: { y: 2 }, c: null, d: 4 })).toEqual({ a: 1, b: { y: 2 }, d: 4 });
  });
});
