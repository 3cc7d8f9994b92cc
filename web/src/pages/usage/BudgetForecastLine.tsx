/** The burn-rate forecast under a budget's gauge: when it runs out at today's pace, or that it lasts. */
import type { Schemas } from "../../api/client";
import { date, dateTime } from "../../lib/format";
import { windowNoun } from "./budget-window";
import { cost } from "./money";

export type BudgetForecast = Pick<Schemas["BudgetForecast"], "burnRateNanoUsdPerDay" | "projectedNanoUsd" | "projectedAt" | "runOutAt" | "runsOutBeforeWindowEnd">;

const DAY_MS = 86_400_000;

export function BudgetForecastLine({ forecast, window, now = Date.now() }: { forecast: BudgetForecast | undefined; window: string; now?: number }) {
  if (!forecast) return null;
  const noun = windowNoun(window);
  // Within a couple of days the hour matters; further out the day is enough.
  const when = (at: number) => (at - now < 2 * DAY_MS ? dateTime(at) : date(at));
  let headline: string;
  let tone: "danger" | "warning" | "ok";
  if (forecast.runOutAt !== null && forecast.runOutAt <= now) {
    headline = "This budget has run out for the current window.";
    tone = "danger";
  } else if (forecast.runsOutBeforeWindowEnd && forecast.runOutAt !== null) {
    headline = `At today's pace this budget runs out on ${when(forecast.runOutAt)}.`;
    tone = "warning";
  } else {
    headline = noun === "window" ? "At today's pace it stays under its limit." : `At today's pace it will last the ${noun}.`;
    tone = "ok";
  }
  return (
    <p className={`budget-forecast budget-forecast-${tone}`}>
      <span>{headline}</span>{" "}
      <span className="muted small">
        Burn rate {cost(forecast.burnRateNanoUsdPerDay)}/day · projected {cost(forecast.projectedNanoUsd)} by {when(forecast.projectedAt)}
      </span>
    </p>
  );
}
