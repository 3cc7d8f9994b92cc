/** The platform's readiness: every binding's check with its timing, refreshed every 15 s. */
import { useState } from "react";
import { useApi, usePolling } from "../../api/use-api";
import { StatusBadge } from "../../components/Badge";
import { Button } from "../../components/Button";
import { Panel } from "../../components/Page";
import { DataView } from "../../components/States";
import { type Column, Table } from "../../components/Table";
import { dateTime, num } from "../../lib/format";
import { CHECK_LABELS, type CheckResult, loadReadiness } from "./readiness";

export const HEALTH_REFRESH_MS = 15_000;

type Row = CheckResult & { name: string };

const columns: Column<Row>[] = [
  { header: "Check", render: (r) => CHECK_LABELS[r.name] ?? r.name },
  { header: "Status", render: (r) => <StatusBadge status={r.ok ? "ok" : "failed"} /> },
  { header: "Time", align: "right", render: (r) => `${num(r.ms)} ms` },
  { header: "Error", render: (r) => (r.error ? <span className="field-error">{r.error}</span> : <span className="muted">—</span>) },
];

export function HealthPanel() {
  const state = useApi(loadReadiness, []);
  const [checking, setChecking] = useState(false);
  usePolling(() => void state.reload(), HEALTH_REFRESH_MS);
  const checkNow = async () => {
    setChecking(true);
    await state.reload();
    setChecking(false);
  };
  const status = state.data?.status;
  return (
    <Panel
      title={<>Health {status ? <StatusBadge status={status === "ready" ? "ready" : "failed"} /> : null}</>}
      actions={<Button variant="secondary" busy={checking} onClick={() => void checkNow()}>Check now</Button>}
    >
      <DataView state={state}>
        {(r) => (
          <>
            <Table caption="Readiness checks" rows={Object.entries(r.checks).map(([name, c]) => ({ name, ...c }))} columns={columns} rowKey={(c) => c.name} />
            <p className="muted small">
              {r.status === "ready" ? "Every binding answered." : "Some bindings did not answer: requests that need them fail."} Checked {dateTime(r.checkedAt ?? Date.now())}; refreshes every {HEALTH_REFRESH_MS / 1000} s.
            </p>
          </>
        )}
      </DataView>
    </Panel>
  );
}
