/**
 * Leads: every lead that came in (ADF from lead providers), newest first — who, which
 * vehicle, from where, and how fast someone reached them. A lead opens with its ADF, its
 * runs and the action to mark it contacted. The list refreshes itself every few seconds.
 */
import { useState } from "react";
import { api, type Schemas, unwrap } from "../../api/client";
import { usePolling, useApi } from "../../api/use-api";
import { useMe } from "../../app/me";
import { Link, navigate, useLocation } from "../../app/router";
import type { PageProps } from "../../app/routes";
import { Button } from "../../components/Button";
import { SelectField } from "../../components/Field";
import { Page, Panel } from "../../components/Page";
import { DataView, Empty } from "../../components/States";
import { type Column, Table } from "../../components/Table";
import { dateTime, relative } from "../../lib/format";
import { LeadDetail } from "./leads/LeadDetail";
import { firstResponse, sourceText, vehicleText } from "./leads/lead-format";
import { LeadStatusBadge } from "./leads/LeadStatusBadge";

type Lead = Schemas["LeadSummary"];
type Status = Lead["status"];

const COLUMNS: Column<Lead>[] = [
  { header: "Received", render: (l) => <span title={dateTime(l.createdAt)}>{relative(l.createdAt)}</span> },
  {
    header: "Customer",
    render: (l) => (
      <div>
        <Link to={`/leads?lead=${encodeURIComponent(l.id)}`} onClick={(e) => e.stopPropagation()} className="wf-lead-name">{l.customer.name ?? "Unnamed lead"}</Link>
        <div className="muted small">{l.customer.email ?? l.customer.phone ?? ""}</div>
      </div>
    ),
  },
  { header: "Vehicle", render: (l) => vehicleText(l.vehicle) },
  { header: "Source", render: (l) => <span className="small">{sourceText(l)}</span> },
  { header: "Status", render: (l) => <LeadStatusBadge status={l.status} /> },
  {
    header: "First response",
    align: "right",
    render: (l) => {
      const r = firstResponse(l);
      return <span className={r.late ? "wf-late" : r.waiting ? "muted" : undefined}>{r.text}</span>;
    },
  },
];

export default function LeadsPage(_props: PageProps) {
  const { can } = useMe();
  const { search } = useLocation();
  const selected = search.get("lead");
  const [status, setStatus] = useState<Status | "">("");
  const [more, setMore] = useState<{ leads: Lead[]; cursor: string | null } | null>(null);
  const leads = useApi(() => unwrap(api.GET("/leads", { params: { query: { limit: 50, ...(status ? { status } : {}) } } })), [status]);
  usePolling(() => void leads.reload(), 15_000);

  const loadMore = async () => {
    const cursor = more ? more.cursor : leads.data?.nextCursor;
    if (!cursor) return;
    const page = await unwrap(api.GET("/leads", { params: { query: { limit: 50, cursor, ...(status ? { status } : {}) } } }));
    setMore({ leads: [...(more?.leads ?? []), ...page.data], cursor: page.nextCursor });
  };
  const open = (id: string | null) => navigate(id ? `/leads?lead=${encodeURIComponent(id)}` : "/leads");
  const patch = (next: Schemas["Lead"]) => leads.setData((page) => page && { ...page, data: page.data.map((l) => (l.id === next.id ? { ...l, status: next.status, contactedAt: next.contactedAt } : l)) });

  return (
    <Page title="Leads" description="Leads from your lead providers, newest first, and how fast each customer heard from you.">
      {selected ? <LeadDetail key={selected} id={selected} canWrite={can("workflows:write")} onClose={() => open(null)} onChanged={patch} /> : null}
      <Panel
        title="All leads"
        actions={<SelectField label="Status" value={status} onChange={(e) => { setStatus(e.target.value as Status | ""); setMore(null); }} options={[{ value: "", label: "Any status" }, { value: "new", label: "New (not contacted)" }, { value: "contacted", label: "Contacted" }]} />}
      >
        <DataView state={leads} isEmpty={(p) => p.data.length === 0} empty={<Empty title={status ? `No ${status} leads` : "No leads yet"}>Leads arrive from your providers as ADF (POST /hooks/leads/adf) or by email.</Empty>}>
          {(page) => {
            const rows = [...page.data, ...(more?.leads ?? []).filter((l) => !page.data.some((p) => p.id === l.id))];
            const cursor = more ? more.cursor : page.nextCursor;
            return (
              <>
                <Table rows={rows} columns={COLUMNS} rowKey={(l) => l.id} caption="Leads" onRowClick={(l) => open(l.id)} />
                {cursor ? <Button variant="secondary" className="wf-more" onClick={() => void loadMore()}>Load more leads</Button> : null}
              </>
            );
          }}
        </DataView>
      </Panel>
    </Page>
  );
}
