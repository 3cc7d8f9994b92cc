/**
 * One webhook endpoint: its state, what it receives, the actions on it (test, enable/disable,
 * rotate secret, recover, edit, delete) and its message log.
 */
import { type FormEvent, useState } from "react";
import { api, type Schemas, unwrap } from "../../api/client";
import { useApi } from "../../api/use-api";
import { Button } from "../../components/Button";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { SelectField } from "../../components/Field";
import { Panel } from "../../components/Page";
import { SecretDialog } from "../../components/SecretDialog";
import { FormError, useSubmit } from "../../components/useSubmit";
import { dateTime, relative } from "../../lib/format";
import { EndpointDialog } from "./EndpointDialog";
import { EndpointStatus } from "./EndpointStatus";
import { asEventTypes } from "./event-types";
import { MessageLog } from "./MessageLog";
import { RecoverDialog } from "./RecoverDialog";
import { RotateSecretDialog } from "./RotateSecretDialog";

type Endpoint = Schemas["WebhookEndpoint"];
type Open = "edit" | "disable" | "rotate" | "recover" | "delete" | null;

const REASONS: Record<string, string> = {
  manual: "someone disabled it",
  gone: "the partner answered 410 Gone",
  failing: "no delivery succeeded for 5 days",
};

export function EndpointDetail({ endpoint, writable, onChanged, onDeleted }: { endpoint: Endpoint; writable: boolean; onChanged: (e: Endpoint) => void; onDeleted: () => void }) {
  const [open, setOpen] = useState<Open>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const [refreshKey, setRefreshKey] = useState(0);
  const [testType, setTestType] = useState("webhook.test");
  const catalog = useApi(() => unwrap(api.GET("/events/types")), []);
  const id = { params: { path: { id: endpoint.id } } };
  const enabled = endpoint.status === "enabled";

  const testing = useSubmit(async () => {
    const [eventType] = asEventTypes([testType]);
    const m = await unwrap(api.POST("/webhooks/endpoints/{id}/test", { ...id, body: { eventType } }));
    setRefreshKey((k) => k + 1);
    return `Test event ${m.eventType} queued`;
  });
  const enabling = useSubmit(async () => {
    onChanged(await unwrap(api.PATCH("/webhooks/endpoints/{id}", { ...id, body: { enabled: true } })));
    return "Endpoint enabled";
  });
  // Sending a test and enabling share one busy state and one error line: starting either clears the other's failure.
  const busy = testing.busy || enabling.busy;
  const sendTest = (e: FormEvent) => {
    enabling.reset();
    testing.onSubmit(e);
  };
  const enable = () => {
    testing.reset();
    void enabling.run();
  };
  const disable = async () => {
    onChanged(await unwrap(api.PATCH("/webhooks/endpoints/{id}", { ...id, body: { enabled: false } })));
    return "Endpoint disabled";
  };
  const remove = async () => {
    await unwrap(api.DELETE("/webhooks/endpoints/{id}", id));
    onDeleted();
    return "Endpoint deleted";
  };

  const types = catalog.data?.data.map((e) => e.type) ?? ["webhook.test"];
  return (
    <Panel
      className="endpoint-detail"
      title={<span className="row"><code className="endpoint-url">{endpoint.url}</code> <EndpointStatus endpoint={endpoint} /></span>}
      actions={writable ? (
        <span className="row">
          <Button variant="secondary" onClick={() => setOpen("edit")}>Edit</Button>
          {enabled ? <Button variant="secondary" onClick={() => setOpen("disable")}>Disable</Button> : <Button variant="secondary" busy={busy} onClick={enable}>Enable</Button>}
          <Button variant="secondary" onClick={() => setOpen("rotate")}>Rotate secret</Button>
          <Button variant="ghost" onClick={() => setOpen("delete")}>Delete</Button>
        </span>
      ) : null}
    >
      <div className="stack">
        {endpoint.description ? <p className="muted">{endpoint.description}</p> : null}
        {!enabled ? (
          <div className="banner banner-warning" role="status">
            <span>Disabled{endpoint.disabledReason ? `: ${REASONS[endpoint.disabledReason] ?? endpoint.disabledReason}` : ""}. No events are delivered here. Enable it, then recover what the partner missed.</span>
            {writable ? <Button busy={busy} onClick={enable}>Enable</Button> : null}
          </div>
        ) : null}
        <dl className="facts">
          <dt>Events</dt><dd>{endpoint.eventTypes === null ? "Every event type" : endpoint.eventTypes.map((t) => <code key={t} className="type-chip">{t}</code>)}</dd>
          <dt>Last success</dt><dd>{endpoint.lastSuccessAt ? <span title={dateTime(endpoint.lastSuccessAt)}>{relative(endpoint.lastSuccessAt)}</span> : "Never"}</dd>
          {endpoint.failingSince ? <><dt>Failing since</dt><dd className="danger-text">{dateTime(endpoint.failingSince)}</dd></> : null}
          {endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > Date.now() ? <><dt>Old secret signs until</dt><dd>{dateTime(endpoint.previousSecretExpiresAt)}</dd></> : null}
          <dt>Created</dt><dd>{dateTime(endpoint.createdAt)}</dd>
        </dl>
        {writable ? (
          <form className="toolbar" onSubmit={sendTest} aria-label="Send a test event">
            <SelectField label="Test event" value={testType} onChange={(e) => setTestType(e.target.value)} options={types.map((t) => ({ value: t, label: t === "webhook.test" ? "webhook.test (a ping)" : `${t} (catalog example)` }))} />
            <Button type="submit" busy={busy} disabled={!enabled} title={enabled ? undefined : "Enable the endpoint first"}>Send test event</Button>
            <Button variant="secondary" onClick={() => setOpen("recover")} disabled={!enabled} title={enabled ? undefined : "Enable the endpoint first"}>Recover messages…</Button>
          </form>
        ) : null}
        <FormError form={{ error: testing.error ?? enabling.error }} />
        <MessageLog endpointId={endpoint.id} writable={writable} refreshKey={refreshKey} paused={open !== null} />
      </div>

      {open === "edit" ? (
        <EndpointDialog endpoint={endpoint} onCreated={() => undefined} onSaved={(e) => { setOpen(null); onChanged(e); }} onClose={() => setOpen(null)} />
      ) : null}
      {open === "disable" ? (
        <ConfirmDialog title="Disable this endpoint?" confirmLabel="Disable" onConfirm={disable} onClose={() => setOpen(null)}>
          <p>Events stop going to <code>{endpoint.url}</code> until you enable it again. Messages waiting for a retry are marked failed; recover them after enabling it.</p>
        </ConfirmDialog>
      ) : null}
      {open === "rotate" ? (
        <RotateSecretDialog endpoint={endpoint} onClose={() => setOpen(null)} onRotated={(e) => { setOpen(null); setSecret(e.secret); const { secret: _s, ...rest } = e; onChanged(rest); }} />
      ) : null}
      {open === "recover" ? (
        <RecoverDialog endpoint={endpoint} onClose={() => setOpen(null)} onRecovered={() => { setOpen(null); setRefreshKey((k) => k + 1); }} />
      ) : null}
      {open === "delete" ? (
        <ConfirmDialog title="Delete this endpoint?" confirmLabel="Delete endpoint" onConfirm={remove} onClose={() => setOpen(null)}>
          <p><code>{endpoint.url}</code> and its whole message log are deleted. The partner receives nothing more. This cannot be undone.</p>
        </ConfirmDialog>
      ) : null}
      {secret ? (
        <SecretDialog title="New signing secret" secret={secret} onClose={() => setSecret(null)}>
          <p className="muted small">Partners verify the <code>webhook-signature</code> header with it (Standard Webhooks).</p>
        </SecretDialog>
      ) : null}
    </Panel>
  );
}
