import { describe, expect, it } from "vitest";
import { addMonths, DEFAULT_MILES_PER_DAY, serviceDue, ServicePlanSchema, ServiceVehicleSchema } from "../../workers/dealership/service-due";

const DAY = 86_400_000;
const NOW = Date.UTC(2025, 2, 14, 15, 0, 0); // 2025-03-14
const PLAN = { intervalMonths: 6, intervalMiles: 5_000, remindDaysBefore: 7 };

const due = (vehicle: Record<string, unknown>, plan = PLAN, now = NOW) => serviceDue(ServiceVehicleSchema.parse(vehicle), ServicePlanSchema.parse(plan), now);

describe("serviceDue", () => {
  it("time first: a car driven little is due six months after its last service", () => {
    const r = due({ lastServiceAt: "2025-01-10", lastServiceMileage: 40_000, currentMileage: 40_600, mileageAt: "2025-03-10" });
    expect(r.reason).toBe("time");
    expect(r.dueAt).toBe("2025-07-10");
    expect(r.milesPerDaySource).toBe("readings");
    expect(r.milesPerDay).toBe(10.2);
    expect(r.projectedMileage).toBeGreaterThan(40_600);
    expect(r.projectedMileage).toBeLessThan(45_000);
    expect(r.remindAt).toBe(Date.UTC(2025, 6, 3, 16));
  });

  it("mileage first: a car driven a lot is due when it reaches the interval's miles", () => {
    // 3,000 miles in 30 days = 100 a day; 2,000 miles to go = 20 more days.
    const r = due({ lastServiceAt: "2025-02-01", lastServiceMileage: 40_000, currentMileage: 43_000, mileageAt: "2025-03-03" });
    expect(r.reason).toBe("mileage");
    expect(r.milesPerDay).toBe(100);
    expect(r.dueAt).toBe("2025-03-23");
    expect(r.projectedMileage).toBe(45_000);
    expect(r.remindAt).toBe(Date.UTC(2025, 2, 16, 16));
  });

  it("without a later reading, projects at 37 miles a day (about 13,500 a year)", () => {
    const r = due({ lastServiceAt: "2025-03-01", lastServiceMileage: 10_000 }, { intervalMonths: 12, intervalMiles: 5_000, remindDaysBefore: 7 });
    expect(r.milesPerDaySource).toBe("default");
    expect(r.milesPerDay).toBe(DEFAULT_MILES_PER_DAY);
    expect(r.reason).toBe("mileage");
    // 5,000 / 37 = 135.1 days after 2025-03-01.
    expect(r.dueAt).toBe("2025-07-14");
  });

  it("a given rate wins over the readings", () => {
    const r = due({ lastServiceAt: "2025-01-01", lastServiceMileage: 0, currentMileage: 3_000, mileageAt: "2025-03-01", milesPerDay: 10 });
    expect(r.milesPerDaySource).toBe("given");
    expect(r.reason).toBe("time");
    expect(r.dueAt).toBe("2025-07-01");
  });

  it("ignores readings that are too close together, go backwards or predate the service", () => {
    expect(due({ lastServiceAt: "2025-03-10", lastServiceMileage: 1_000, currentMileage: 1_900, mileageAt: "2025-03-12" }).milesPerDaySource).toBe("default");
    expect(due({ lastServiceAt: "2025-01-10", lastServiceMileage: 9_000, currentMileage: 8_000 }).milesPerDaySource).toBe("default");
    expect(due({ lastServiceAt: "2025-01-10", lastServiceMileage: 9_000, currentMileage: 9_500, mileageAt: "2024-12-01" }).milesPerDaySource).toBe("default");
  });

  it("a car that is not driven is due by time", () => {
    const r = due({ lastServiceAt: "2025-01-15", lastServiceMileage: 20_000, currentMileage: 20_000, mileageAt: "2025-03-14" });
    expect(r.milesPerDay).toBe(0);
    expect(r.reason).toBe("time");
    expect(r.dueAt).toBe("2025-07-15");
    expect(r.projectedMileage).toBe(20_000);
  });

  it("an overdue car is reminded now, not in the past", () => {
    const r = due({ lastServiceAt: "2024-06-01", lastServiceMileage: 30_000, milesPerDay: 5 });
    expect(r.dueAt).toBe("2024-12-01");
    expect(r.remindAt).toBe(NOW);
    const miles = due({ lastServiceAt: "2025-02-01", lastServiceMileage: 30_000, currentMileage: 36_000, mileageAt: "2025-03-13" });
    expect(miles.reason).toBe("mileage");
    expect(miles.dueAt < "2025-03-13").toBe(true);
    expect(miles.remindAt).toBe(NOW);
  });

  it("calendar months land on the month's last day when the day does not exist", () => {
    expect(new Date(addMonths(Date.UTC(2024, 7, 31), 6)).toISOString().slice(0, 10)).toBe("2025-02-28");
    expect(new Date(addMonths(Date.UTC(2023, 7, 31), 6)).toISOString().slice(0, 10)).toBe("2024-02-29");
    expect(new Date(addMonths(Date.UTC(2024, 10, 15), 3)).toISOString().slice(0, 10)).toBe("2025-02-15");
  });

  it("accepts epoch ms and mileage written as text with commas", () => {
    const r = due({ lastServiceAt: Date.UTC(2025, 0, 10), lastServiceMileage: "40,000", currentMileage: "40600", mileageAt: Date.UTC(2025, 2, 10) });
    expect(r.dueAt).toBe("2025-07-10");
  });

  it("refuses dates and mileages it cannot read", () => {
    const problems = (v: unknown) => {
      const r = ServiceVehicleSchema.safeParse(v);
      return r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    };
    expect(problems({ lastServiceAt: "last spring", lastServiceMileage: 1 })).toEqual(["lastServiceAt: expected an ISO 8601 date or epoch milliseconds"]);
    expect(problems({ lastServiceAt: "2025-01-01", lastServiceMileage: "about 40k" })[0]).toContain("lastServiceMileage");
    expect(problems({ lastServiceAt: "2025-01-01", lastServiceMileage: -5 })[0]).toContain("lastServiceMileage");
    expect(problems({ lastServiceMileage: 1 })[0]).toContain("lastServiceAt");
    expect(ServicePlanSchema.safeParse({ intervalMonths: 0, intervalMiles: 5_000, remindDaysBefore: 7 }).success).toBe(false);
  });

  it("the reminder is remindDaysBefore days ahead of the due date at 16:00 UTC", () => {
    const r = due({ lastServiceAt: "2025-03-01", lastServiceMileage: 0, milesPerDay: 1 }, { intervalMonths: 3, intervalMiles: 5_000, remindDaysBefore: 14 });
    expect(r.dueAt).toBe("2025-06-01");
    expect(r.remindAt).toBe(Date.UTC(2025, 5, 1) - 14 * DAY + 16 * 3_600_000);
  });
});
