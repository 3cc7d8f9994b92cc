/**
 * Everything about one lead: who, which vehicles, what they asked, how it was read from the
 * ADF (and any warnings), the ADF itself, the runs it started, and whether someone has
 * reached the customer — with the action to say so.
 */
import { useState } from "react";
import { api, type Schemas, unwrap } from "../../../api/client";
import { useApi } from "../../../api/use-api";
import { Button } from "../../../components/Button";
import { Panel } from "../../../components/Page";
import { DataView, Empty } from "../../../components/States";
import { type Column, Table } from "../../../components/Table";
import { dateTime, num } from "../../../lib/format";
import { RunsTable } from "../RunsTable";
import { ContactedDialog } from "./ContactedDialog";
import { LeadAdf } from "./LeadAdf";
import { LeadStatusBadge } from "./LeadStatusBadge";
import { firstResponse, sourceText } from "./lead-format";
import { loadLeadRuns } from "./lead-runs";

type Lead = Schemas["Lead"];
type Vehicle = Lead["lead"]["vehicles"][number];

const VEHICLE_COLUMNS: Column<Vehicle>[] = [
  { header: "Interest", render: (v) => `${v.interest} · ${v.status}` },
  { header: "Vehicle", render: (v) => [v.year, v.make, v.model, v.trim].filter(Boolean).join(" ") || "—" },
  { header: "VIN / stock", render: (v) => <span className="small">{v.vin ?? "—"}{v.stock ? ` · ${v.stock}` : ""}</span> },
  { header: "Price", align: "right", render: (v) => (v.price === null ? "—" : `$${num(v.price)}`) },
  { header: "Miles", align: "right", render: (v) => num(v.odometer) },
];

function Facts({ items }: { items: [string, string | null | undefined][] }) {
  return (
    <dl className="wf-facts">
      {items.filter(([, v]) => v).map(([k, v]) => (
        <div key={k}><dt>{k}</dt><dd>{v}</dd></div>
      ))}
    </dl>
  );
}

function LeadRuns({ lead }: { lead: Lead }) {
  const runs = useApi(() => loadLeadRuns(lead), [lead.id]);
  return (
    <DataView state={runs} isEmpty={(d) => d.runs.length === 0} empty={<Empty title="No runs for this lead">Runs start when the lead arrives (speed to lead).</Empty>}>
      {(d) => <RunsTable runs={d.runs} workflowNames={d.names} caption="Runs of this lead" />}
    </DataView>
  );
}

function LeadBody({ lead, canWrite, onChanged }: { lead: Lead; canWrite: boolean; onChanged: (lead: Lead) => void }) {
  const [contacting, setContacting] = useState(false);
  const c = lead.lead.customer;
  const address = c.address ? [c.address.street, c.address.city, c.address.region, c.address.postalCode].filter(Boolean).join(", ") : null;
  const response = firstResponse(lead);
  return (
    <div className="stack">
      <div className="row">
        <LeadStatusBadge status={lead.status} />
        <span>{lead.status === "new" ? `Not contacted yet (${response.text})` : `Contacted after ${response.text}${lead.contact?.channel ? ` by ${lead.contact.channel}` : ""}`}</span>
        {lead.status === "new" && canWrite ? <Button onClick={() => setContacting(true)}>Mark contacted</Button> : null}
      </div>
      {lead.warnings.length ? (
        <div className="banner banner-warning">
          <ul className="wf-warnings">{lead.warnings.map((w) => <li key={w}>{w}</li>)}</ul>
        </div>
      ) : null}
      <div className="wf-lead-grid">
        <Facts items={[["Name", c.name], ["Email", c.email], ["Phone", c.phone ? `${c.phone}${c.phoneType ? ` (${c.phoneType})` : ""}` : null], ["Address", address], ["Prefers", c.contactPreference], ["Timeframe", c.timeframe?.description]]} />
        <Facts items={[["Source", sourceText(lead)], ["Service", lead.lead.provider.service], ["Dealer", lead.lead.vendor.name], ["Provider id", lead.externalId ? `${lead.externalId.value}${lead.externalId.source ? ` (${lead.externalId.source})` : ""}` : null], ["Requested", dateTime(lead.lead.requestDate)], ["Received", dateTime(lead.createdAt)], ["Contact note", lead.contact?.note]]} />
      </div>
      {lead.comments ? <blockquote className="wf-approval-summary">{lead.comments}</blockquote> : null}
      <Table rows={lead.lead.vehicles} columns={VEHICLE_COLUMNS} rowKey={(v) => `${v.interest}-${v.vin ?? ""}-${v.year ?? ""}-${v.model ?? ""}`} caption="Vehicles" />
      <h3 className="wf-subhead">Runs</h3>
      <LeadRuns lead={lead} />
      <LeadAdf id={lead.id} />
      <ContactedDialog lead={lead} open={contacting} onClose={() => setContacting(false)} onDone={onChanged} />
    </div>
  );
}

export function LeadDetail({ id, canWrite, onClose, onChanged }: { id: string; canWrite: boolean; onClose: () => void; onChanged: (lead: Lead) => void }) {
  const lead = useApi(() => unwrap(api.GET("/leads/{id}", { params: { path: { id } } })), [id]);
  const title = lead.data ? `${lead.data.customer.name ?? "Lead"} · ${lead.data.vehicle ? [lead.data.vehicle.year, lead.data.vehicle.make, lead.data.vehicle.model].filter(Boolean).join(" ") : "no vehicle"}` : "Lead";
  return (
    <Panel title={title} actions={<Button variant="ghost" onClick={onClose}>Close</Button>} className="wf-lead-detail">
      <DataView state={lead}>
        {(l) => (
          <LeadBody
            lead={l}
            canWrite={canWrite}
            onChanged={(next) => {
              lead.setData(() => next);
              onChanged(next);
            }}
          />
        )}
      </DataView>
    </Panel>
  );
}
