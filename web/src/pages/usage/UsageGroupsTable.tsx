/** The range's totals per group (model, provider or API key), costliest first. */
import { type Column, Table } from "../../components/Table";
import { duration, num, percent } from "../../lib/format";
import { cost } from "./money";
import { type GroupBy, GROUPS, type UsageRow } from "./usage-data";
import { groupName } from "./usage-series";

export function UsageGroupsTable({ rows, groupBy, totalNano }: { rows: UsageRow[]; groupBy: GroupBy; totalNano: number }) {
  const heading = GROUPS.find((g) => g.id === groupBy)?.label ?? "Group";
  const columns: Column<UsageRow>[] = [
    { header: heading, render: (r) => <span className="usage-group">{groupName(r, groupBy)}{groupBy === "key" && r.label ? <code className="muted small"> {r.key}</code> : null}</span> },
    { header: "Calls", align: "right", render: (r) => num(r.calls) },
    { header: "Input tokens", align: "right", render: (r) => num(r.inputTokens) },
    { header: "Output tokens", align: "right", render: (r) => num(r.outputTokens) },
    { header: "Cached", align: "right", render: (r) => num(r.cachedTokens) },
    { header: "Errors", align: "right", render: (r) => (r.errors ? `${num(r.errors)} (${percent(r.errors / r.calls)})` : "0") },
    { header: "Avg latency", align: "right", render: (r) => duration(r.avgLatencyMs) },
    { header: "Cost", align: "right", render: (r) => <strong>{cost(r.costNanoUsd)}{r.unpricedCalls ? <span className="muted small" title="Calls to models without a price are counted at $0"> ({num(r.unpricedCalls)} unpriced)</span> : null}</strong> },
    { header: "Share", align: "right", render: (r) => (totalNano > 0 ? percent(r.costNanoUsd / totalNano) : "—") },
  ];
  const sorted = [...rows].sort((a, b) => b.costNanoUsd - a.costNanoUsd || b.calls - a.calls);
  return <Table caption={`Usage by ${heading.toLowerCase()}`} rows={sorted} columns={columns} rowKey={(r) => r.key} />;
}
