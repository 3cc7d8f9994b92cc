/**
 * Forecast arithmetic against series worked out by hand: a budget's burn rate and run-out
 * day, and least-squares volume forecasts with and without day-of-week factors.
 */
import { describe, expect, it } from "vitest";
import { forecastBudget } from "../../workers/operations/forecast-budget";
import { forecastVolume, leastSquares } from "../../workers/operations/forecast-volume";

const DAY = 86_400_000;
const at = (iso: string) => Date.parse(iso);
const USD = 1e9;

describe("budget forecast", () => {
  // A month budget of $50 (May 2031, UTC). It is May 11, 00:00; $2 a day was spent every day so far.
  const may = { rollingMs: null, windowStart: at("2031-05-01T00:00:00Z"), windowEnd: at("2031-06-01T00:00:00Z"), limitNanoUsd: 50 * USD };

  it("burn rate over the last 7 days, projection to the window end, and the day it runs out", () => {
    const f = forecastBudget({ ...may, now: at("2031-05-11T00:00:00Z"), spentNanoUsd: 20 * USD, recentSpendNanoUsd: 14 * USD });
    // Rate: $14 over May 4..11 = $2/day. Left: $30 -> 15 days -> May 26. Projection: $20 + 21 days x $2 = $62.
    expect(f.rateFrom).toBe(at("2031-05-04T00:00:00Z"));
    expect(f.burnRateNanoUsdPerDay).toBe(2 * USD);
    expect(f.projectedNanoUsd).toBe(62 * USD);
    expect(f.projectedAt).toBe(may.windowEnd);
    expect(f.runOutAt).toBe(at("2031-05-26T00:00:00Z"));
    expect(f.runOutDate).toBe("2031-05-26");
    expect(f.runsOutBeforeWindowEnd).toBe(true);
  });

  it("early in the window the rate is measured over the window so far", () => {
    // May 3, 12:00: 2.5 days into the month, $5 spent -> $2/day; $45 left -> 22.5 days -> May 26, 00:00.
    const f = forecastBudget({ ...may, now: at("2031-05-03T12:00:00Z"), spentNanoUsd: 5 * USD, recentSpendNanoUsd: 5 * USD });
    expect(f.rateFrom).toBe(may.windowStart);
    expect(f.burnRateNanoUsdPerDay).toBe(2 * USD);
    expect(f.runOutDate).toBe("2031-05-26");
  });

  it("a pace that does not reach the limit before the window ends has no run-out date", () => {
    // $1/day, $10 spent on May 11: $31 by June 1, under $50.
    const f = forecastBudget({ ...may, now: at("2031-05-11T00:00:00Z"), spentNanoUsd: 10 * USD, recentSpendNanoUsd: 7 * USD });
    expect(f.projectedNanoUsd).toBe(31 * USD);
    expect(f).toMatchObject({ runOutAt: null, runOutDate: null, runsOutBeforeWindowEnd: false });
  });

  it("no spend means no rate and no run-out; a budget already used up ran out today", () => {
    const idle = forecastBudget({ ...may, now: at("2031-05-11T00:00:00Z"), spentNanoUsd: 0, recentSpendNanoUsd: 0 });
    expect(idle).toMatchObject({ burnRateNanoUsdPerDay: 0, projectedNanoUsd: 0, runOutDate: null, runsOutBeforeWindowEnd: false });
    const now = at("2031-05-11T09:30:00Z");
    const over = forecastBudget({ ...may, now, spentNanoUsd: 51 * USD, recentSpendNanoUsd: 14 * USD });
    expect(over).toMatchObject({ runOutAt: now, runOutDate: "2031-05-11", runsOutBeforeWindowEnd: true });
  });

  it("a rolling window settles at rate x length; spend ageing out is taken as spread evenly", () => {
    // 7-day rolling budget of $10: $6 spent in it, $14 in the last 7 days -> $2/day, settling at $14.
    // Net growth: $2/day in, $6/7 per day out = $8/7 per day; $4 left -> 3.5 days.
    const now = at("2031-05-11T00:00:00Z");
    const f = forecastBudget({ now, rollingMs: 7 * DAY, windowStart: now - 7 * DAY, windowEnd: now + 1, limitNanoUsd: 10 * USD, spentNanoUsd: 6 * USD, recentSpendNanoUsd: 14 * USD });
    expect(f.projectedNanoUsd).toBe(14 * USD);
    expect(f.projectedAt).toBe(now + 7 * DAY);
    expect(f.runOutAt).toBe(at("2031-05-14T12:00:00Z"));
    expect(f.runOutDate).toBe("2031-05-14");
  });
});

describe("volume forecast", () => {
  it("an exact line continues as that line, with no spread (under two weeks: linear_trend)", () => {
    const history = Array.from({ length: 10 }, (_, x) => 10 + 2 * x);
    const f = forecastVolume({ history, firstWeekday: 1, days: 3 });
    expect(f.method).toBe("linear_trend");
    expect(f.intercept).toBeCloseTo(10, 9);
    expect(f.slopePerDay).toBeCloseTo(2, 9);
    expect(f.points).toEqual([
      { day: 10, calls: 30, low: 30, high: 30 },
      { day: 11, calls: 32, low: 32, high: 32 },
      { day: 12, calls: 34, low: 34, high: 34 },
    ]);
  });

  it("a noisy week gives the least-squares line worked out by hand", () => {
    // y = 3, 7, 4, 9, 8, 12, 10 at x = 0..6: mean x 3, mean y 53/7; Sxy = -9 - 14 - 4 + 0 + 8 + 24 + 30 = 35, Sxx = 28.
    // slope = 35/28 = 1.25; intercept = 53/7 - 3 x 1.25 = 107/28. Day 7: 107/28 + 8.75 = 352/28; day 8: 387/28.
    const f = forecastVolume({ history: [3, 7, 4, 9, 8, 12, 10], firstWeekday: 0, days: 2 });
    expect(f.slopePerDay).toBeCloseTo(1.25, 12);
    expect(f.intercept).toBeCloseTo(107 / 28, 12);
    expect(f.points.map((p) => p.calls)).toEqual([Math.round((352 / 28) * 100) / 100, Math.round((387 / 28) * 100) / 100]);
    // Residuals: -23/28, 54/28, -65/28, 40/28, -23/28, 54/28, -37/28; SSE = 14084/784; sd = sqrt(SSE / 5).
    const sd = Math.sqrt(14_084 / 784 / 5);
    expect(f.residualStdDev).toBeCloseTo(sd, 9);
    // 80 % interval at x = 7: 1.2816 x sd x sqrt(1 + 1/7 + 16/28).
    const half = 1.2816 * sd * Math.sqrt(1 + 1 / 7 + 16 / 28);
    expect(f.points[0]?.high).toBeCloseTo(352 / 28 + half, 1);
    expect(f.points[0]?.low).toBeCloseTo(352 / 28 - half, 1);
  });

  it("never forecasts below zero calls", () => {
    const f = forecastVolume({ history: [60, 50, 40, 30, 20, 10, 0], firstWeekday: 0, days: 2 });
    expect(f.points.map((p) => p.calls)).toEqual([0, 0]);
    expect(f.points.every((p) => p.low === 0)).toBe(true);
  });

  it("with two weeks or more, day-of-week factors shape the line (weekends quiet)", () => {
    // Four weeks starting on a Sunday: 100 calls on weekdays, 40 on Saturday and Sunday. The quiet
    // days sit symmetrically in each week, so the least-squares line is flat at the mean, 580/7.
    const week = [40, 100, 100, 100, 100, 100, 40];
    const history = [...week, ...week, ...week, ...week];
    const f = forecastVolume({ history, firstWeekday: 0, days: 7 });
    expect(f.method).toBe("linear_trend_weekday");
    const line = leastSquares(history);
    expect(line.slope).toBeCloseTo(0, 12);
    expect(line.intercept).toBeCloseTo(580 / 7, 9);
    // Factors are observed / line per weekday, scaled to mean 1 (they already are).
    expect(f.weekdayFactors?.[0]).toBeCloseTo(40 / (580 / 7), 9); // Sunday
    expect(f.weekdayFactors?.[1]).toBeCloseTo(100 / (580 / 7), 9); // Monday
    // The next day (x = 28) is a Sunday again.
    expect(f.points.map((p) => p.calls)).toEqual([40, 100, 100, 100, 100, 100, 40]);
    expect(f.residualStdDev).toBeCloseTo(0, 9);
  });

  it("an exact line over four weeks still continues the line (every factor is 1)", () => {
    const history = Array.from({ length: 28 }, (_, x) => 50 + 3 * x);
    const f = forecastVolume({ history, firstWeekday: 3, days: 2 });
    expect(f.method).toBe("linear_trend_weekday");
    for (const factor of f.weekdayFactors ?? []) expect(factor).toBeCloseTo(1, 9);
    expect(f.points.map((p) => p.calls)).toEqual([134, 137]);
  });
});
