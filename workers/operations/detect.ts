/**
 * Anomaly detection as plain arithmetic: a robust score of the current window against a
 * baseline of earlier windows, judged against the tenant's sensitivity.
 *
 * score = (current - median(baseline)) / max(1.4826 * MAD(baseline), relativeFloor * median, minScale)
 *
 * The median and the MAD ignore a few wild windows in the baseline (an earlier spike does
 * not hide the next one), and the floors keep a flat or empty baseline from turning any
 * small rise into an infinite score. Only rises count: a drop in spend is not an alarm.
 */
import type { AnomalyKind, AnomalyUnit, BaselineStats, Sensitivity } from "../../d1/schema";

/** How far above its usual level a metric must be, in baseline scales, to be an anomaly. */
export const SENSITIVITY_THRESHOLDS: Record<Sensitivity, number> = { off: Number.POSITIVE_INFINITY, low: 8, medium: 5, high: 3 };

export const DEFAULT_SENSITIVITY: Sensitivity = "medium";

/** Scales a MAD so that it estimates the standard deviation of normally distributed data. */
const MAD_TO_SIGMA = 1.4826;

/** How one metric is judged. */
export type MetricRule = {
  unit: AnomalyUnit;
  /** The smallest scale a baseline can have, in the metric's unit. */
  minScale: number;
  /** The scale is at least this fraction of the baseline's median. */
  relativeFloor: number;
  /** Below this observed value nothing is an anomaly (3 calls or a cent are never news). */
  minObserved: number;
  /** Baselines with fewer windows that had traffic say too little to judge by. */
  minActiveWindows: number;
};

export const METRIC_RULES: Record<AnomalyKind, MetricRule> = {
  provider_latency: { unit: "ms", minScale: 100, relativeFloor: 0.1, minObserved: 0, minActiveWindows: 12 },
  provider_error_rate: { unit: "ratio", minScale: 0.05, relativeFloor: 0.1, minObserved: 0.1, minActiveWindows: 12 },
  tenant_spend: { unit: "nano_usd", minScale: 2_000_000, relativeFloor: 0.1, minObserved: 10_000_000, minActiveWindows: 12 },
  tenant_volume: { unit: "calls", minScale: 2, relativeFloor: 0.1, minObserved: 20, minActiveWindows: 12 },
};

/** One metric of one subject: the current window's value and its baseline, summarised. */
export type MetricSeries = {
  kind: AnomalyKind;
  subject: string;
  /** The current window's value; null when it had too little traffic to measure. */
  current: number | null;
  baseline: BaselineStats;
};

/** A series scored against its baseline; score is null when it cannot be judged (no current value, or too little history). */
export type Scored = { series: MetricSeries; score: number | null; expected: number; scale: number };

/** A series judged at one sensitivity. */
export type Verdict = Scored & { threshold: number; anomalous: boolean };

/** The median; 0 for an empty list. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** The median absolute deviation from `center`. */
export function medianAbsoluteDeviation(values: readonly number[], center = median(values)): number {
  return median(values.map((v) => Math.abs(v - center)));
}

/**
 * A baseline summarised: its median, its MAD and how many windows had traffic. For spend
 * and volume, `values` holds every window (0 for quiet ones); for latency and error rate,
 * only the windows that could be measured.
 */
export function baselineStats(values: readonly number[], activeWindows: number): BaselineStats {
  const center = median(values);
  return { median: center, mad: medianAbsoluteDeviation(values, center), activeWindows };
}

/** The robust score of `current` against a baseline under `rule`. */
export function robustScore(rule: MetricRule, current: number, baseline: BaselineStats): { score: number; expected: number; scale: number } {
  const expected = baseline.median;
  const scale = Math.max(MAD_TO_SIGMA * baseline.mad, rule.relativeFloor * Math.abs(expected), rule.minScale);
  return { score: (current - expected) / scale, expected, scale };
}

/** Scores one series; the score does not depend on anyone's sensitivity. */
export function scoreSeries(series: MetricSeries): Scored {
  const rule = METRIC_RULES[series.kind];
  if (series.current === null || series.baseline.activeWindows < rule.minActiveWindows) {
    return { series, score: null, expected: series.baseline.median, scale: rule.minScale };
  }
  return { series, ...robustScore(rule, series.current, series.baseline) };
}

/** Whether a scored series is an anomaly at `sensitivity`: far enough above usual, and not trivially small. */
export function exceeds(scored: Scored, sensitivity: Sensitivity): boolean {
  const { score, series } = scored;
  if (score === null || series.current === null) return false;
  return score >= SENSITIVITY_THRESHOLDS[sensitivity] && series.current >= METRIC_RULES[series.kind].minObserved;
}

/** Judges every series at one sensitivity; the verdicts come back in the same order. */
export function detectAnomalies(series: readonly MetricSeries[], sensitivity: Sensitivity): Verdict[] {
  return series.map((s) => {
    const scored = scoreSeries(s);
    return { ...scored, threshold: SENSITIVITY_THRESHOLDS[sensitivity], anomalous: exceeds(scored, sensitivity) };
  });
}
