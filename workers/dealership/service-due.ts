/**
 * When a vehicle's next service falls due: after `intervalMonths` (calendar months from
 * the last service) or after `intervalMiles`, whichever comes first. Miles are projected
 * from how much the car is driven: the rate given, else the rate between the last service
 * and a later odometer reading (at least a week apart), else 37 miles a day (about
 * 13,500 a year, the US average).
 */
import { z } from "zod";

export const DEFAULT_MILES_PER_DAY = 37;
// Readings closer together than this say little about how a car is driven.
const MIN_READING_DAYS = 7;
// Reminders go out at 16:00 UTC: morning across the mainland US.
const REMIND_HOUR_UTC = 16;
const DAY = 86_400_000;

const Instant = z
  .union([z.number().int().min(0), z.string().trim().min(1)])
  .transform((v, ctx) => {
    const ms = typeof v === "number" ? v : Date.parse(v);
    if (Number.isNaN(ms)) ctx.addIssue({ code: "custom", message: "expected an ISO 8601 date or epoch milliseconds" });
    return ms;
  });
const Miles = z
  .union([z.number(), z.string().trim().regex(/^(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$/, "expected a number of miles").transform((s) => Number(s.replace(/,/g, "")))])
  .pipe(z.number().min(0).max(2_000_000));

export const ServiceVehicleSchema = z.object({
  lastServiceAt: Instant,
  lastServiceMileage: Miles,
  currentMileage: Miles.nullish(),
  /** When currentMileage was read; default now. */
  mileageAt: Instant.nullish(),
  milesPerDay: z.number().min(0).max(1_000).nullish(),
});
export type ServiceVehicle = z.infer<typeof ServiceVehicleSchema>;

export const ServicePlanSchema = z.object({
  intervalMonths: z.number().int().min(1).max(60),
  intervalMiles: z.number().int().min(1).max(1_000_000),
  remindDaysBefore: z.number().int().min(0).max(365),
});
export type ServicePlan = z.infer<typeof ServicePlanSchema>;

export type ServiceDue = {
  /** YYYY-MM-DD (UTC). */
  dueAt: string;
  /** Epoch ms: `remindDaysBefore` days before the due date at 16:00 UTC, never before `now`. */
  remindAt: number;
  reason: "time" | "mileage";
  /** The odometer expected on the due date. */
  projectedMileage: number;
  milesPerDay: number;
  milesPerDaySource: "given" | "readings" | "default";
};

/** `ms` plus `months` calendar months at UTC midnight; the 31st lands on the month's last day. */
export function addMonths(ms: number, months: number): number {
  const d = new Date(ms);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return Date.UTC(y, m, Math.min(d.getUTCDate(), lastDay));
}

type Rate = { milesPerDay: number; source: ServiceDue["milesPerDaySource"]; miles: number; at: number };

// How fast the odometer moves, and the latest reading to project from.
function drivingRate(v: ServiceVehicle, now: number): Rate {
  const lastService = { miles: v.lastServiceMileage, at: v.lastServiceAt };
  const readAt = v.mileageAt ?? now;
  const reading = v.currentMileage != null && v.currentMileage >= v.lastServiceMileage && readAt >= v.lastServiceAt ? { miles: v.currentMileage, at: readAt } : null;
  const latest = reading ?? lastService;
  if (v.milesPerDay != null) return { milesPerDay: v.milesPerDay, source: "given", ...latest };
  const days = reading ? (reading.at - lastService.at) / DAY : 0;
  if (reading && days >= MIN_READING_DAYS) return { milesPerDay: (reading.miles - lastService.miles) / days, source: "readings", ...reading };
  return { milesPerDay: DEFAULT_MILES_PER_DAY, source: "default", ...latest };
}

/** The next service date of `vehicle` under `plan`, and when to remind the customer. */
export function serviceDue(vehicle: ServiceVehicle, plan: ServicePlan, now: number): ServiceDue {
  const rate = drivingRate(vehicle, now);
  const byTime = addMonths(vehicle.lastServiceAt, plan.intervalMonths);
  const milesLeft = vehicle.lastServiceMileage + plan.intervalMiles - rate.miles;
  const byMileage = rate.milesPerDay > 0 ? rate.at + (milesLeft / rate.milesPerDay) * DAY : Number.POSITIVE_INFINITY;
  const reason = byMileage < byTime ? "mileage" : "time";
  const dueDay = Math.floor(Math.min(byTime, byMileage) / DAY) * DAY;
  const projected = rate.miles + rate.milesPerDay * ((reason === "mileage" ? byMileage : dueDay) - rate.at) / DAY;
  return {
    dueAt: new Date(dueDay).toISOString().slice(0, 10),
    remindAt: Math.max(now, dueDay - plan.remindDaysBefore * DAY + REMIND_HOUR_UTC * 3_600_000),
    reason,
    projectedMileage: Math.max(vehicle.lastServiceMileage, Math.round(projected)),
    milesPerDay: Math.round(rate.milesPerDay * 10) / 10,
    milesPerDaySource: rate.source,
  };
}
