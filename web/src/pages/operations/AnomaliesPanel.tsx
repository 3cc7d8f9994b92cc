/** Anomalies of this tenant: the open ones, or every recent one, with how far off they were. */
import { useEffect, useState } from "react";
import { api, unwrap } from "../../api/client";
import { useApi } from "../../api/use-api";
import { useMe } from "../../app/me";
import { Badge, StatusBadge } from "../../components/Badge";
import { Panel } from "../../components/Page";
import { DataView, Empty } from "../../components/States";
import { type Column, Table } from "../../components/Table";
import { Tabs } from "../../components/Tabs";
import { dateTime, num, relative } from "../../lib/format";
import { AcknowledgeButton } from "./AcknowledgeButton";
import { type Anomaly, formatValue, KIND_LABELS, onAnomaliesChanged, timesNormal } from "./anomalies";

type View = "open" | "all";

function columns(canAcknowledge: boolean): Column<Anomaly>[] {
  return [
    { header: "Detected", render: (a) => <span title={dateTime(a.detectedAt)}>{relative(a.detectedAt)}</span> },
    { header: "Kind", render: (a) => KIND_LABELS[a.kind] },
    { header: "Subject", render: (a) => (a.subject === "tenant" ? <span className="muted">this dealership</span> : <code>{a.subject}</code>) },
    { header: "Observed", align: "right", render: (a) => <strong>{formatValue(a.unit, a.observed)}</strong> },
    { header: "Expected", align: "right", render: (a) => formatValue(a.unit, a.expected) },
    { header: "Ratio", align: "right", render: (a) => timesNormal(a) ?? "—" },
    { header: "Score", align: "right", render: (a) => <span title={`Threshold at ${a.sensitivity} sensitivity`}>{num(a.score, 1)}</span> },
    { header: "Status", render: (a) => <StatusBadge status={a.status} /> },
    {
      header: "Acknowledged",
      render: (a) =>
        a.acknowledgedAt !== null ? (
          <span><Badge tone="success">yes</Badge> <span className="muted small">{relative(a.acknowledgedAt)}</span></span>
        ) : canAcknowledge ? (
          <AcknowledgeButton anomaly={a} label={`Acknowledge ${KIND_LABELS[a.kind]} anomaly of ${a.subject}`} />
        ) : (
          <span className="muted">no</span>
        ),
    },
  ];
}

export function AnomaliesPanel() {
  const { can } = useMe();
  const [view, setView] = useState<View>("open");
  const state = useApi(() => unwrap(api.GET("/operations/anomalies", { params: { query: { status: view, limit: 50 } } })), [view]);
  const { reload } = state;
  useEffect(() => onAnomaliesChanged(() => void reload()), [reload]);

  return (
    <Panel title="Anomalies">
      <Tabs label="Which anomalies" tabs={[{ id: "open", label: "Open" }, { id: "all", label: "Recent" }]} current={view} onChange={setView} />
      <DataView
        state={state}
        isEmpty={(page) => page.data.length === 0}
        empty={
          <Empty title={view === "open" ? "Nothing unusual right now" : "No anomalies yet"}>
            Every minute the detector compares the last 5 minutes of spend, call volume and each provider's latency and error rate with the 24 hours before.
          </Empty>
        }
      >
        {(page) => (
          <>
            <Table caption="Anomalies" rows={page.data} columns={columns(can("gateway:write"))} rowKey={(a) => a.id} />
            <ul className="anomaly-summaries muted small">
              {page.data.slice(0, 5).map((a) => (
                <li key={a.id}>{dateTime(a.detectedAt)}: {a.summary}</li>
              ))}
            </ul>
          </>
        )}
      </DataView>
    </Panel>
  );
}
