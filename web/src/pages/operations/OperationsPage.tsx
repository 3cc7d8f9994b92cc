/**
 * Operations: is the platform healthy (readiness checks), is anything unusual (anomalies and
 * how readily they are raised), and what is coming (budget run-out, call volume forecasts).
 */
import type { PageProps } from "../../app/routes";
import { Page } from "../../components/Page";
import { AnomaliesPanel } from "./AnomaliesPanel";
import { BudgetForecastPanel } from "./BudgetForecastPanel";
import { HealthPanel } from "./HealthPanel";
import { SensitivityPanel } from "./SensitivityPanel";
import { VolumeForecastPanel } from "./VolumeForecastPanel";

export default function OperationsPage(_props: PageProps) {
  return (
    <Page title="Operations" description="Platform health, unusual spend or traffic, and where budgets and call volume are heading.">
      <div className="grid ops-top">
        <HealthPanel />
        <SensitivityPanel />
      </div>
      <AnomaliesPanel />
      <BudgetForecastPanel />
      <VolumeForecastPanel />
    </Page>
  );
}
