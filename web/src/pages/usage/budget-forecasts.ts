/** Each enabled budget's burn-rate forecast (/operations/forecasts/budgets), by budget id. */
import type { DependencyList } from "react";
import { api, unwrap } from "../../api/client";
import { useApi } from "../../api/use-api";
import type { BudgetForecast } from "./BudgetForecastLine";

export function useBudgetForecasts(deps: DependencyList): { byBudget: Map<string, BudgetForecast>; error: Error | undefined } {
  const state = useApi(() => unwrap(api.GET("/operations/forecasts/budgets")), deps);
  return { byBudget: new Map((state.data?.data ?? []).map((f) => [f.budgetId, f])), error: state.error };
}
