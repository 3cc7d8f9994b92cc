/**
 * Usage & cost: what the gateway did and what it cost over a range, by model, provider or
 * API key; budgets with their gauges and forecasts; the rate limits in force. Refreshes
 * itself when calls are recorded.
 */
import { useRef, useState } from "react";
import { useLive } from "../../api/live";
import { usePolling } from "../../api/use-api";
import { navigate, useLocation } from "../../app/router";
import type { PageProps } from "../../app/routes";
import { Button } from "../../components/Button";
import { SelectField } from "../../components/Field";
import { Page, Panel, Stats } from "../../components/Page";
import { DataView, Empty } from "../../components/States";
import { duration, num, percent } from "../../lib/format";
import { BudgetsPanel } from "./BudgetsPanel";
import { cost } from "./money";
import { RateLimitsPanel } from "./RateLimitsPanel";
import { UsageChart } from "./UsageChart";
import { GROUPS, isGroupBy, useUsage } from "./usage-data";
import { isRange, RANGES } from "./usage-range";
import { isMetric } from "./usage-series";
import { UsageGroupsTable } from "./UsageGroupsTable";

/** At most one refresh this often, however many calls are recorded. */
const LIVE_REFRESH_MS = 5_000;

export default function UsagePage(_props: PageProps) {
  const { search } = useLocation();
  const [r, g, m] = [search.get("range"), search.get("group"), search.get("metric")];
  const range = isRange(r) ? r : "7d";
  const groupBy = isGroupBy(g) ? g : "model";
  const metric = isMetric(m) ? m : "cost";
  const set = (key: string, value: string) => {
    const next = new URLSearchParams(search);
    next.set(key, value);
    navigate(`/usage?${next.toString()}`, { replace: true });
  };

  const [refresh, setRefresh] = useState(0);
  const usage = useUsage(range, groupBy, refresh);
  // Live "usage.recorded" messages mark the page stale; it catches up at most every few seconds.
  const stale = useRef(false);
  useLive(["usage"], () => {
    stale.current = true;
  });
  usePolling(() => {
    if (!stale.current) return;
    stale.current = false;
    setRefresh((r) => r + 1);
  }, LIVE_REFRESH_MS);

  return (
    <Page
      title="Usage & cost"
      description="What the gateway was used for and what it cost, the budgets that cap it, and the rate limits in force."
      actions={<Button variant="secondary" busy={usage.loading && usage.data !== undefined} onClick={() => setRefresh((r) => r + 1)}>Refresh</Button>}
    >
      <div className="toolbar">
        <SelectField label="Range" value={range} onChange={(e) => set("range", e.target.value)} options={RANGES.map((r) => ({ value: r.id, label: r.label }))} />
        <SelectField label="Group by" value={groupBy} onChange={(e) => set("group", e.target.value)} options={GROUPS.map((g) => ({ value: g.id, label: g.label }))} />
      </div>
      <DataView state={usage}>
        {(v) => {
          const t = v.total.totals;
          return (
            <>
              <Stats
                items={[
                  { label: "Cost", value: cost(t.costNanoUsd), hint: t.unpricedCalls ? `${num(t.unpricedCalls)} calls had no price` : undefined },
                  { label: "Calls", value: num(t.calls) },
                  { label: "Tokens", value: num(t.inputTokens + t.outputTokens), hint: `${num(t.inputTokens)} in · ${num(t.outputTokens)} out · ${num(t.cachedTokens)} cached` },
                  { label: "Errors", value: num(t.errors), hint: t.calls ? `${percent(t.errors / t.calls, 1)} of calls` : undefined },
                  { label: "Avg latency", value: t.calls ? duration(t.avgLatencyMs) : "—" },
                ]}
              />
              {v.total.rows.length === 0 ? (
                <Panel>
                  <Empty title="No gateway calls in this range">Calls to /v1/chat/completions, /v1/responses or /v1/messages appear here within seconds.</Empty>
                </Panel>
              ) : (
                <>
                  <Panel title="Over time">
                    <UsageChart view={v} range={range} groupBy={groupBy} metric={metric} onMetric={(m) => set("metric", m)} />
                  </Panel>
                  <Panel title={`By ${GROUPS.find((g) => g.id === groupBy)?.label.toLowerCase() ?? groupBy}`}>
                    <UsageGroupsTable rows={v.total.rows} groupBy={groupBy} totalNano={t.costNanoUsd} />
                    <p className="muted small">Days and hours in your browser's time zone; the dealership's is {v.total.timezone}.</p>
                  </Panel>
                </>
              )}
            </>
          );
        }}
      </DataView>
      <div className="grid usage-grid">
        <BudgetsPanel refresh={refresh} />
        <RateLimitsPanel refresh={refresh} />
      </div>
    </Page>
  );
}
