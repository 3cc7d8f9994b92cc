/** The rate limits in force: requests and tokens per minute, for the dealership and per API key. */
import { api, type Schemas, unwrap } from "../../api/client";
import { useApi } from "../../api/use-api";
import { Panel } from "../../components/Page";
import { DataView, Empty } from "../../components/States";
import { type Column, Table } from "../../components/Table";
import { num, relative } from "../../lib/format";

type RateLimit = Schemas["RateLimit"];

const perMinute = (v: number | null) => (v === null ? <span className="muted">No limit</span> : `${num(v)} / min`);

const columns: Column<RateLimit>[] = [
  { header: "Applies to", render: (r) => (r.scope === "tenant" ? "The whole dealership" : <>API key <code>{r.apiKeyId}</code></>) },
  { header: "Requests", align: "right", render: (r) => perMinute(r.rpm) },
  { header: "Tokens", align: "right", render: (r) => perMinute(r.tpm) },
  { header: "Changed", render: (r) => relative(r.updatedAt) },
];

export function RateLimitsPanel({ refresh }: { refresh: number }) {
  const limits = useApi(() => unwrap(api.GET("/rate-limits")), [refresh]);
  return (
    <Panel title="Rate limits">
      <DataView state={limits} isEmpty={(d) => d.data.length === 0} empty={<Empty title="No rate limits">Calls are limited only by budgets and the providers themselves.</Empty>}>
        {(d) => (
          <>
            <Table caption="Rate limits" rows={d.data} columns={columns} rowKey={(r) => r.id} />
            <p className="muted small">
              A key's calls count against its own limit and the dealership's. Every gateway answer carries the headroom left right now in its{" "}
              <code>x-ratelimit-remaining-requests</code> and <code>x-ratelimit-remaining-tokens</code> headers.
            </p>
          </>
        )}
      </DataView>
    </Panel>
  );
}
