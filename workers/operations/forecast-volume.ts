/**
 * Call volume for the next days from daily history: a least-squares line through the
 * history (never below 0), times day-of-week factors once there are at least two weeks of
 * it, with an ~80 % interval from the residuals. Plain arithmetic over one series.
 */
export const WEEKDAY_MIN_HISTORY = 14;
/** The standard normal quantile for a two-sided 80 % interval. */
const Z80 = 1.2816;

export type VolumeMethod = "linear_trend" | "linear_trend_weekday";

export type VolumePoint = { day: number; calls: number; low: number; high: number };

export type VolumeForecast = {
  method: VolumeMethod;
  /** The fitted line: calls on history day x = intercept + slopePerDay * x (x = 0 is the oldest day). */
  intercept: number;
  slopePerDay: number;
  /** Factors for Sunday..Saturday (mean 1); null for linear_trend. */
  weekdayFactors: number[] | null;
  /** The residuals' standard deviation, in calls per day. */
  residualStdDev: number;
  /** One point per day after the history; `day` counts on from the history's x. */
  points: VolumePoint[];
};

export type VolumeInput = {
  /** Calls per day, oldest first. */
  history: readonly number[];
  /** Day of week (0 = Sunday) of history[0]. */
  firstWeekday: number;
  /** How many days to forecast after the history. */
  days: number;
};

/** Least squares y = a + b x over x = 0..n-1. */
export function leastSquares(y: readonly number[]): { intercept: number; slope: number; meanX: number; sxx: number } {
  const n = y.length;
  if (n === 0) return { intercept: 0, slope: 0, meanX: 0, sxx: 0 };
  const meanX = (n - 1) / 2;
  const meanY = y.reduce((s, v) => s + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  y.forEach((v, x) => {
    sxy += (x - meanX) * (v - meanY);
    sxx += (x - meanX) ** 2;
  });
  const slope = sxx > 0 ? sxy / sxx : 0;
  return { intercept: meanY - slope * meanX, slope, meanX, sxx };
}

/** Observed / trend per weekday (ratio of sums), scaled to average 1; 1 where the trend is 0. */
function weekdayFactorsOf(history: readonly number[], trend: (x: number) => number, firstWeekday: number): number[] {
  const observed = new Array<number>(7).fill(0);
  const expected = new Array<number>(7).fill(0);
  history.forEach((v, x) => {
    const d = (firstWeekday + x) % 7;
    observed[d] = (observed[d] ?? 0) + v;
    expected[d] = (expected[d] ?? 0) + trend(x);
  });
  const raw = observed.map((o, d) => ((expected[d] ?? 0) > 0 ? o / (expected[d] ?? 1) : 1));
  const mean = raw.reduce((s, f) => s + f, 0) / 7;
  return mean > 0 ? raw.map((f) => f / mean) : raw.map(() => 1);
}

const round2 = (n: number) => Math.round(n * 100) / 100;

export function forecastVolume(input: VolumeInput): VolumeForecast {
  const { history, firstWeekday, days } = input;
  const n = history.length;
  const fit = leastSquares(history);
  const trend = (x: number) => Math.max(0, fit.intercept + fit.slope * x);
  const method: VolumeMethod = n >= WEEKDAY_MIN_HISTORY ? "linear_trend_weekday" : "linear_trend";
  const factors = method === "linear_trend_weekday" ? weekdayFactorsOf(history, trend, firstWeekday) : null;
  const fitted = (x: number) => trend(x) * (factors ? (factors[(firstWeekday + x) % 7] ?? 1) : 1);
  // Parameters fitted: the line's two, plus six free weekday factors.
  const params = factors ? 8 : 2;
  const sse = history.reduce((s, v, x) => s + (v - fitted(x)) ** 2, 0);
  const sd = n > params ? Math.sqrt(sse / (n - params)) : 0;
  const points: VolumePoint[] = [];
  for (let x = n; x < n + days; x++) {
    const calls = fitted(x);
    // The prediction interval of a least-squares line widens with the distance from the history's middle.
    const half = Z80 * sd * Math.sqrt(1 + (n > 0 ? 1 / n : 0) + (fit.sxx > 0 ? (x - fit.meanX) ** 2 / fit.sxx : 0));
    points.push({ day: x, calls: round2(calls), low: round2(Math.max(0, calls - half)), high: round2(calls + half) });
  }
  return { method, intercept: fit.intercept, slopePerDay: fit.slope, weekdayFactors: factors, residualStdDev: sd, points };
}
