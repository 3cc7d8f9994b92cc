/** Each budget at today's pace: spent so far, projected at the window's end, the day it runs out. */
import { api, type Schemas, unwrap } from "../../api/client";
import { Link } from "../../app/router";
import { Badge } from "../../components/Badge";
import { Gauge } from "../../components/Gauge";
import { Panel } from "../../components/Page";
import { DataView, Empty } from "../../components/States";
import { type Column, Table } from "../../components/Table";
import { useApi } from "../../api/use-api";
import { date, usd } from "../../lib/format";

type Forecast = Schemas["BudgetForecast"];

/** A UTC calendar date (YYYY-MM-DD) shown as that same day, whatever the browser's zone. */
export function utcDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  return Number.isNaN(d.getTime()) ? day : d.toLocaleDateString("en-US", { dateStyle: "medium", timeZone: "UTC" });
}

function RunOut({ f }: { f: Forecast }) {
  if (f.spentNanoUsd >= f.limitNanoUsd) return <Badge tone="danger">Limit reached</Badge>;
  if (f.runsOutBeforeWindowEnd && f.runOutDate) return <Badge tone="warning">Runs out {utcDay(f.runOutDate)}</Badge>;
  return <Badge tone="success">Lasts the window</Badge>;
}

const scopeOf = (f: Forecast) => (f.scope === "tenant" ? "whole dealership" : `${f.scope} ${f.scopeId ?? ""}`.trim());

const columns: Column<Forecast>[] = [
  { header: "Budget", render: (f) => <strong>{f.name}</strong> },
  { header: "Scope", render: scopeOf },
  { header: "Window", render: (f) => `${f.window} (to ${date(f.windowEnd)})` },
  { header: "Limit", align: "right", render: (f) => usd(f.limitNanoUsd) },
  { header: "Spent", align: "right", render: (f) => usd(f.spentNanoUsd) },
  { header: "Burn / day", align: "right", render: (f) => usd(f.burnRateNanoUsdPerDay) },
  { header: "Projected", align: "right", render: (f) => usd(f.projectedNanoUsd) },
  { header: "Run-out", render: (f) => <RunOut f={f} /> },
];

export function BudgetForecastPanel() {
  const state = useApi(() => unwrap(api.GET("/operations/forecasts/budgets")), []);
  return (
    <Panel title="Budget run-out">
      <DataView
        state={state}
        isEmpty={(r) => r.data.length === 0}
        empty={<Empty title="No budgets yet">Set a monthly budget on <Link to="/usage">Usage &amp; cost</Link> to see the day it runs out at today's pace.</Empty>}
      >
        {(r) => (
          <div className="stack">
            <div className="forecast-gauges">
              {r.data.map((f) => (
                <Gauge
                  key={f.budgetId}
                  label={f.name}
                  value={f.spentNanoUsd}
                  max={f.limitNanoUsd}
                  display={`${usd(f.spentNanoUsd)} of ${usd(f.limitNanoUsd)}`}
                  footer={<><RunOut f={f} /> projected {usd(f.projectedNanoUsd)} by {date(f.projectedAt)}</>}
                />
              ))}
            </div>
            <Table caption="Budget forecasts" rows={r.data} columns={columns} rowKey={(f) => f.budgetId} />
            <p className="muted small">Burn rate: spend over the last 7 days (or since the window began) per day. Dates are UTC.</p>
          </div>
        )}
      </DataView>
    </Panel>
  );
}
