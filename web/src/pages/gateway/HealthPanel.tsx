/**
 * Provider health: each target's circuit (closed, open, half-open), error rate in the
 * breaker's window and latency, re-read every few seconds so a tripping circuit shows up
 * without reloading.
 */
import { useEffect, useState } from "react";
import { api, type Schemas, unwrap } from "../../api/client";
import { useApi, usePolling } from "../../api/use-api";
import { Badge, StatusBadge } from "../../components/Badge";
import { Panel } from "../../components/Page";
import { DataView, Empty } from "../../components/States";
import { type Column, Table } from "../../components/Table";
import { dateTime, duration, num, percent, relative } from "../../lib/format";
import { UpdatedAgo } from "./UpdatedAgo";

type TargetHealth = Schemas["TargetHealth"];

export const HEALTH_REFRESH_MS = 5_000;
const ORDER: Record<TargetHealth["circuit"], number> = { open: 0, half_open: 1, unknown: 2, closed: 3 };
const KINDS: Record<string, string> = { rate_limited: "rate limited", server_error: "server error", timeout: "timeout", connection: "connection", stream_cut: "stream cut" };

function failureKinds(t: TargetHealth): string {
  const parts = Object.entries(t.failuresByKind)
    .filter(([, n]) => (n ?? 0) > 0)
    .map(([k, n]) => `${num(n)} ${KINDS[k] ?? k}`);
  return parts.join(", ");
}

const columns: Column<TargetHealth>[] = [
  {
    header: "Target",
    render: (t) => (
      <span className="health-target">
        <code>{t.provider}/{t.model}</code> {t.owner === "tenant" ? <Badge tone="info">yours</Badge> : null}
        {t.aliases.length ? <span className="muted small"> via {t.aliases.join(", ")}</span> : null}
      </span>
    ),
  },
  { header: "Circuit", render: (t) => <span title={t.changedAt ? `Since ${dateTime(t.changedAt)}` : undefined}><StatusBadge status={t.circuit} /></span> },
  { header: "Error rate", align: "right", render: (t) => (t.calls ? <span title={`${num(t.failures)} of ${num(t.calls)} calls failed`}>{percent(t.failures / t.calls, 1)}</span> : <span className="muted">no calls</span>) },
  { header: "Calls in window", align: "right", render: (t) => num(t.calls) },
  { header: "Latency", align: "right", render: (t) => (t.latencyMs === null ? <span className="muted">—</span> : duration(t.latencyMs)) },
  { header: "Failures", render: (t) => failureKinds(t) || <span className="muted">none</span> },
  {
    header: "Last change",
    render: (t) =>
      t.circuit === "open" && t.retryAt ? (
        <span>probe {relative(t.retryAt)}</span>
      ) : t.lastFailure ? (
        <span title={dateTime(t.lastFailure.at)}>last failure {relative(t.lastFailure.at)}</span>
      ) : t.changedAt ? (
        relative(t.changedAt)
      ) : (
        <span className="muted">—</span>
      ),
  },
];

/** `refresh` is a counter: bumping it (a provider or alias changed) re-reads at once. */
export function HealthPanel({ refresh }: { refresh: number }) {
  const health = useApi(() => unwrap(api.GET("/gateway/health")), [refresh]);
  const [updatedAt, setUpdatedAt] = useState<number>();
  useEffect(() => {
    if (health.data) setUpdatedAt(Date.now());
  }, [health.data]);
  usePolling(() => void health.reload(), HEALTH_REFRESH_MS);

  return (
    <Panel title="Provider health" actions={<UpdatedAgo at={updatedAt} />}>
      <DataView state={health} isEmpty={(d) => d.data.length === 0} empty={<Empty title="No targets yet">Targets appear once your catalog models, aliases or providers can be called.</Empty>}>
        {(d) => {
          const rows = [...d.data].sort((a, b) => ORDER[a.circuit] - ORDER[b.circuit] || a.key.localeCompare(b.key));
          const open = d.data.filter((t) => t.circuit === "open").length;
          const half = d.data.filter((t) => t.circuit === "half_open").length;
          const c = d.config;
          return (
            <>
              {open ? (
                <div className="banner banner-danger" role="status">
                  {open} target{open === 1 ? " is" : "s are"} failing: calls skip {open === 1 ? "it" : "them"} and fail over until a probe succeeds.
                </div>
              ) : half ? (
                <div className="banner banner-warning" role="status">{half} target{half === 1 ? " is" : "s are"} being probed after failures.</div>
              ) : null}
              <Table caption="Provider health" rows={rows} columns={columns} rowKey={(t) => t.key} />
              <p className="muted small">
                A circuit opens when {percent(c.failureRatio)} of at least {num(c.minCalls)} calls fail within {num(c.windowSeconds)} s; after {num(c.cooldownSeconds)} s one probe call is let through.
              </p>
            </>
          );
        }}
      </DataView>
    </Panel>
  );
}
