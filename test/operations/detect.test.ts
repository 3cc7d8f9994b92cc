/**
 * The detector's arithmetic on hand-made series: robust score, floors for flat and empty
 * baselines, sensitivities, minimum values, and that only rises count.
 */
import { describe, expect, it } from "vitest";
import { baselineStats, detectAnomalies, exceeds, median, medianAbsoluteDeviation, type MetricSeries, robustScore, scoreSeries, METRIC_RULES } from "../../workers/operations/detect";

/** A baseline summarised from its windows' values; every window counts as active unless said otherwise. */
const stats = (values: number[], activeWindows = values.length) => baselineStats(values, activeWindows);
const spend = (current: number | null, baseline: number[], activeWindows = baseline.length): MetricSeries => ({ kind: "tenant_spend", subject: "tenant", current, baseline: stats(baseline, activeWindows) });

describe("median and MAD", () => {
  it("are the middle value (mean of the two middles for even lengths) and the median distance from it", () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBe(0);
    // |1-3|, |2-3|, |3-3|, |4-3|, |100-3| = 2, 1, 0, 1, 97 -> median 1: the outlier does not move it.
    expect(medianAbsoluteDeviation([1, 2, 3, 4, 100])).toBe(1);
  });
});

describe("robust score", () => {
  it("is (current - median) / (1.4826 x MAD) when the MAD is the largest scale", () => {
    // Baseline of latencies: median 500, deviations 100,100,0,100,100 -> MAD 100 -> scale 148.26.
    const r = robustScore(METRIC_RULES.provider_latency, 1241.3, stats([400, 600, 500, 400, 600]));
    expect(r.expected).toBe(500);
    expect(r.scale).toBeCloseTo(148.26, 6);
    expect(r.score).toBeCloseTo((1241.3 - 500) / 148.26, 9);
  });

  it("uses 10 % of the median when the baseline is flat, so a steady tenant is not infinitely surprised", () => {
    // Flat spend of $1 per window (1e9 nano): MAD 0, 10 % of median = 1e8 beats the 2e6 minimum.
    const r = robustScore(METRIC_RULES.tenant_spend, 1.5e9, stats(new Array(288).fill(1e9)));
    expect(r.scale).toBe(1e8);
    expect(r.score).toBe(5);
  });

  it("uses the metric's minimum scale when the baseline is empty or zero", () => {
    const r = robustScore(METRIC_RULES.tenant_volume, 30, stats(new Array(288).fill(0)));
    expect(r).toEqual({ score: 15, expected: 0, scale: 2 });
    expect(robustScore(METRIC_RULES.tenant_volume, 30, stats([])).score).toBe(15);
  });

  it("ignores an earlier spike in the baseline", () => {
    const baseline = [...new Array(280).fill(10), ...new Array(8).fill(500)];
    expect(robustScore(METRIC_RULES.tenant_volume, 40, stats(baseline)).expected).toBe(10);
  });
});

describe("detectAnomalies", () => {
  const flat = new Array(288).fill(10_000_000); // $0.01 every 5 minutes; scale = max(0, 1e6, 2e6) = 2e6

  it("flags a spike at the default sensitivity and reports what it saw", () => {
    const [v] = detectAnomalies([spend(110_000_000, flat)], "medium");
    expect(v).toMatchObject({ score: 50, expected: 10_000_000, threshold: 5, anomalous: true });
  });

  it("a moderate rise (score 4) is an anomaly at high (3), not at medium (5) or low (8); off flags nothing", () => {
    const series = [spend(18_000_000, flat)];
    expect(detectAnomalies(series, "high")[0]?.anomalous).toBe(true);
    expect(detectAnomalies(series, "medium")[0]?.anomalous).toBe(false);
    expect(detectAnomalies(series, "low")[0]?.anomalous).toBe(false);
    expect(detectAnomalies([spend(1e15, flat)], "off")[0]?.anomalous).toBe(false);
  });

  it("only rises count: spend falling to zero is no anomaly", () => {
    const [v] = detectAnomalies([spend(0, flat)], "high");
    expect(v?.score).toBe(-5);
    expect(v?.anomalous).toBe(false);
  });

  it("small absolute values are never anomalies, however unusual (under a cent, under 20 calls)", () => {
    const zero = new Array(288).fill(0);
    expect(detectAnomalies([spend(9_000_000, zero)], "high")[0]).toMatchObject({ score: 4.5, anomalous: false });
    const volume: MetricSeries = { kind: "tenant_volume", subject: "tenant", current: 19, baseline: stats(zero, 100) };
    expect(detectAnomalies([volume], "high")[0]).toMatchObject({ score: 9.5, anomalous: false });
    expect(detectAnomalies([{ ...volume, current: 20 }], "high")[0]?.anomalous).toBe(true);
  });

  it("does not judge without a current value or with less than an hour of active history", () => {
    expect(scoreSeries(spend(null, flat)).score).toBeNull();
    expect(scoreSeries(spend(110_000_000, flat, 11)).score).toBeNull();
    expect(exceeds(scoreSeries(spend(110_000_000, flat, 11)), "high")).toBe(false);
    expect(scoreSeries(spend(110_000_000, flat, 12)).score).toBe(50);
  });

  it("judges error rates with a 5-point minimum scale, so 1 % noise does not page anyone", () => {
    const rates = new Array(100).fill(0.01);
    const series: MetricSeries = { kind: "provider_error_rate", subject: "openai", current: 0.2, baseline: stats(rates) };
    // (0.2 - 0.01) / 0.05 = 3.8: high only.
    expect(detectAnomalies([series], "high")[0]?.anomalous).toBe(true);
    expect(detectAnomalies([series], "medium")[0]?.anomalous).toBe(false);
    expect(detectAnomalies([{ ...series, current: 0.3 }], "medium")[0]?.score).toBeCloseTo(5.8, 9);
  });
});
