/** Call volume per provider: the recent daily history and the forecast for the next days. */
import { useState } from "react";
import { api, unwrap } from "../../api/client";
import { useApi } from "../../api/use-api";
import { SelectField } from "../../components/Field";
import { Panel } from "../../components/Page";
import { DataView, Empty } from "../../components/States";
import { num } from "../../lib/format";
import { ForecastChart } from "./ForecastChart";

const METHOD_TEXT = {
  linear_trend: "a least-squares trend line through the daily counts",
  linear_trend_weekday: "a least-squares trend line times day-of-week factors",
} as const;

const DAYS = [7, 14, 30].map((d) => ({ value: String(d), label: `${d} days` }));
const HISTORY = [14, 28, 90].map((d) => ({ value: String(d), label: `${d} days` }));

export function VolumeForecastPanel() {
  const [days, setDays] = useState(7);
  const [historyDays, setHistoryDays] = useState(28);
  const state = useApi(() => unwrap(api.GET("/operations/forecasts/volume", { params: { query: { days, historyDays } } })), [days, historyDays]);
  return (
    <Panel
      title="Call volume forecast"
      actions={
        <div className="toolbar forecast-toolbar">
          <SelectField label="Forecast" value={String(days)} options={DAYS} onChange={(e) => setDays(Number(e.target.value))} />
          <SelectField label="History" value={String(historyDays)} options={HISTORY} onChange={(e) => setHistoryDays(Number(e.target.value))} />
        </div>
      }
    >
      <DataView
        state={state}
        isEmpty={(r) => r.data.length === 0}
        empty={<Empty title="No gateway calls in this history">The forecast appears once your applications call AI models through the gateway.</Empty>}
      >
        {(r) => (
          <>
            <p className="muted small">Method: {METHOD_TEXT[r.method]}, fitted to {r.historyDays} UTC days; the shaded band is the ~80 % interval.</p>
            <div className="forecast-grid">
              {r.data.map((p, i) => (
                <div key={p.provider} className="forecast-item">
                  <h3>{p.provider}</h3>
                  <p className="muted small">
                    Next {r.days} days: ~{num(p.forecast.reduce((s, f) => s + f.calls, 0))} calls · trend {p.trend.slopePerDay >= 0 ? "+" : ""}{num(p.trend.slopePerDay, 1)} calls/day
                  </p>
                  <ForecastChart volume={p} color={i} />
                </div>
              ))}
            </div>
          </>
        )}
      </DataView>
    </Panel>
  );
}
