/** The list of recent calls; a row (click or Enter) opens its details. */
import type { Schemas } from "../../api/client";
import { type Column, Table } from "../../components/Table";
import { dateTime, duration, num, relative } from "../../lib/format";
import { cost } from "../usage/money";
import { CallStatus } from "./CallStatus";

type UsageEvent = Schemas["UsageEvent"];

export function CallsTable({ calls, keyNames, onOpen }: { calls: UsageEvent[]; keyNames: Map<string, string>; onOpen: (c: UsageEvent) => void }) {
  const columns: Column<UsageEvent>[] = [
    { header: "When", render: (c) => <span title={dateTime(c.createdAt)}>{relative(c.createdAt)}</span> },
    {
      header: "Model",
      render: (c) => (
        <span className="call-model">
          <code>{c.modelServed ?? c.modelRequested}</code>
          {c.modelServed && c.modelServed !== c.modelRequested ? <span className="muted small"> asked {c.modelRequested}</span> : null}
        </span>
      ),
    },
    { header: "Provider", render: (c) => c.provider ?? <span className="muted">—</span> },
    { header: "Status", render: (c) => <CallStatus call={c} /> },
    { header: "Tokens in / out", align: "right", render: (c) => `${num(c.inputTokens)} / ${num(c.outputTokens)}` },
    { header: "Cost", align: "right", render: (c) => cost(c.costNanoUsd) },
    { header: "Latency", align: "right", render: (c) => duration(c.latencyMs) },
    { header: "Tries", align: "right", render: (c) => num(c.attempts) },
    { header: "Key", render: (c) => (c.apiKeyId ? keyNames.get(c.apiKeyId) ?? <code>{c.apiKeyId}</code> : <span className="muted">user</span>) },
    { header: <span className="sr-only">Details</span>, render: (c) => <button type="button" className="btn btn-ghost" aria-label={`Details of call ${c.id}`} onClick={(e) => { e.stopPropagation(); onOpen(c); }}>Details</button> },
  ];
  return <Table caption="Recent gateway calls, newest first" rows={calls} columns={columns} rowKey={(c) => c.id} onRowClick={onOpen} />;
}
