/**
 * Webhooks: the partner endpoints events are sent to (add one, its secret shown once), and the
 * chosen endpoint (`?endpoint=<id>`) with its actions and message log.
 */
import { useState } from "react";
import { api, type Schemas, unwrap } from "../../api/client";
import { useApi, usePolling } from "../../api/use-api";
import { useMe } from "../../app/me";
import { navigate, useLocation } from "../../app/router";
import type { PageProps } from "../../app/routes";
import { Button } from "../../components/Button";
import { Page, Panel } from "../../components/Page";
import { SecretDialog } from "../../components/SecretDialog";
import { DataView, Empty } from "../../components/States";
import { type Column, Table } from "../../components/Table";
import { relative } from "../../lib/format";
import { EndpointDetail } from "./EndpointDetail";
import { EndpointDialog } from "./EndpointDialog";
import { EndpointStatus } from "./EndpointStatus";

type Endpoint = Schemas["WebhookEndpoint"];

const columns: Column<Endpoint>[] = [
  { header: "URL", render: (e) => <div><code className="endpoint-url">{e.url}</code>{e.description ? <div className="muted small">{e.description}</div> : null}</div> },
  { header: "Events", render: (e) => (e.eventTypes === null ? "All" : e.eventTypes.length === 1 ? <code>{e.eventTypes[0]}</code> : `${e.eventTypes.length} types`) },
  { header: "Status", render: (e) => <EndpointStatus endpoint={e} /> },
  { header: "Last success", render: (e) => (e.lastSuccessAt ? relative(e.lastSuccessAt) : <span className="muted">Never</span>) },
];

export default function WebhooksPage(_props: PageProps) {
  const { can } = useMe();
  const { search } = useLocation();
  const selectedId = search.get("endpoint");
  const endpoints = useApi(() => unwrap(api.GET("/webhooks/endpoints")), []);
  const [adding, setAdding] = useState(false);
  const [created, setCreated] = useState<Schemas["WebhookEndpointWithSecret"] | null>(null);
  const writable = can("webhooks:write");
  const select = (id: string | null) => navigate(id ? `/webhooks?endpoint=${encodeURIComponent(id)}` : "/webhooks");
  const replace = (e: Endpoint) => endpoints.setData((d) => d && { data: d.data.some((x) => x.id === e.id) ? d.data.map((x) => (x.id === e.id ? e : x)) : [e, ...d.data] });
  const selected = endpoints.data?.data.find((e) => e.id === selectedId) ?? null;
  // Deliveries change an endpoint's last success, failing state and (after 410 or days of failure) status.
  usePolling(() => {
    if (!endpoints.loading) void endpoints.reload();
  }, 10_000);

  return (
    <Page
      title="Webhooks"
      description="Send platform events (new leads, finished runs, trained models…) to your partners' systems, signed, retried for up to a day and a half, and logged attempt by attempt."
      actions={writable ? <Button onClick={() => setAdding(true)}>Add endpoint</Button> : null}
    >
      <Panel title="Endpoints">
        <DataView state={endpoints} isEmpty={(d) => d.data.length === 0} empty={<Empty title="No endpoints yet">Add your CRM's or DMS's webhook URL to start receiving events.</Empty>}>
          {(d) => (
            <>
              <Table rows={d.data} columns={columns} rowKey={(e) => e.id} caption="Webhook endpoints" onRowClick={(e) => select(e.id)} />
              {!selectedId ? <p className="muted small">Select an endpoint for its message log and actions.</p> : null}
            </>
          )}
        </DataView>
      </Panel>

      {selected ? (
        <EndpointDetail key={selected.id} endpoint={selected} writable={writable} onChanged={replace} onDeleted={() => { endpoints.setData((d) => d && { data: d.data.filter((x) => x.id !== selected.id) }); select(null); }} />
      ) : selectedId && endpoints.data ? (
        <Panel><Empty title="This endpoint no longer exists">It may have been deleted. <Button variant="ghost" onClick={() => select(null)}>Back to all endpoints</Button></Empty></Panel>
      ) : null}

      {adding ? (
        <EndpointDialog
          endpoint={null}
          onClose={() => setAdding(false)}
          onSaved={() => undefined}
          onCreated={(e) => {
            setAdding(false);
            const { secret: _secret, ...listed } = e;
            replace(listed);
            setCreated(e);
            select(e.id);
          }}
        />
      ) : null}
      {created ? (
        <SecretDialog title="Endpoint signing secret" secret={created.secret} onClose={() => setCreated(null)}>
          <p className="muted small">
            Give it to the partner behind <code>{created.url}</code>: they verify each request's <code>webhook-signature</code> header with it (Standard Webhooks). You can rotate it later.
          </p>
        </SecretDialog>
      ) : null}
    </Page>
  );
}
