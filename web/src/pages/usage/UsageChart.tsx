/** Cost, calls or tokens over the range, one line per leading group. */
import { LineChart } from "../../components/Charts";
import { Tabs } from "../../components/Tabs";
import type { GroupBy, UsageView } from "./usage-data";
import { type RangeId, unitOf } from "./usage-range";
import { chartSeries, type Metric, METRICS } from "./usage-series";

const hour = (x: number) => new Date(x).toLocaleTimeString("en-US", { hour: "numeric", minute: "2-digit" });
const day = (x: number) => new Date(x).toLocaleDateString("en-US", { month: "short", day: "numeric" });

export function UsageChart({ view, range, groupBy, metric, onMetric }: { view: UsageView; range: RangeId; groupBy: GroupBy; metric: Metric; onMetric: (m: Metric) => void }) {
  const m = METRICS.find((x) => x.id === metric) ?? METRICS[0];
  const group = { model: "model", provider: "provider", key: "API key" }[groupBy];
  const per = unitOf(range) === "hour" ? "hour" : "day";
  return (
    <>
      <Tabs label="Chart metric" tabs={METRICS.map(({ id, label }) => ({ id, label }))} current={metric} onChange={onMetric} />
      {m ? (
        <LineChart
          label={`${m.label} per ${per}, by ${group}`}
          series={chartSeries(view, metric, groupBy)}
          format={m.format}
          xFormat={per === "hour" ? hour : day}
        />
      ) : null}
    </>
  );
}
