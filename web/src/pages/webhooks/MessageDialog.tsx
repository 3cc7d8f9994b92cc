/** One webhook message: its payload, every delivery attempt with the partner's answer, and resend. */
import { api, type Schemas, unwrap } from "../../api/client";
import { useApi, usePolling } from "../../api/use-api";
import { StatusBadge } from "../../components/Badge";
import { Button } from "../../components/Button";
import { CodeBlock } from "../../components/CodeBlock";
import { Dialog } from "../../components/Dialog";
import { DataView, Empty } from "../../components/States";
import { type Column, Table } from "../../components/Table";
import { FormError, useSubmit } from "../../components/useSubmit";
import { dateTime, duration, relative } from "../../lib/format";
import { ResponseCode } from "./ResponseCode";

type Attempt = Schemas["WebhookAttempt"];

const attemptColumns: Column<Attempt>[] = [
  { header: "#", render: (a) => a.attempt, align: "right" },
  { header: "When", render: (a) => dateTime(a.createdAt) },
  { header: "Response", render: (a) => <ResponseCode code={a.statusCode} /> },
  { header: "Time", render: (a) => duration(a.latencyMs), align: "right" },
  { header: "Error / reply", render: (a) => (a.error ? <span className="danger-text">{a.error}</span> : a.responseSnippet ? <code className="reply-snippet">{a.responseSnippet}</code> : <span className="muted">—</span>) },
];

export function MessageDialog({ messageId, writable, onResent, onClose }: { messageId: string; writable: boolean; onResent: (m: Schemas["WebhookMessage"]) => void; onClose: () => void }) {
  const detail = useApi(() => unwrap(api.GET("/webhooks/messages/{id}", { params: { path: { id: messageId } } })), [messageId]);
  // While it is pending, its attempts come in: follow them.
  usePolling(() => {
    if (detail.data?.status === "pending" && !detail.loading) void detail.reload();
  }, 2000);
  const form = useSubmit(async () => {
    const m = await unwrap(api.POST("/webhooks/messages/{id}/resend", { params: { path: { id: messageId } } }));
    onResent(m);
    await detail.reload();
    return "Message queued to be sent again";
  });

  return (
    <Dialog
      open
      title="Webhook message"
      onClose={onClose}
      footer={
        <>
          {writable ? <Button variant="secondary" busy={form.busy} onClick={() => void form.run()}>Resend</Button> : null}
          <Button onClick={onClose}>Close</Button>
        </>
      }
    >
      <DataView state={detail}>
        {(m) => {
          const attempts: Attempt[] = m.attempts;
          return (
          <div className="stack">
            <dl className="facts">
              <dt>Status</dt><dd><StatusBadge status={m.status} /> {m.status === "pending" && m.nextAttemptAt ? <span className="muted small">next try {relative(m.nextAttemptAt)}</span> : null}</dd>
              <dt>Event</dt><dd><code>{m.eventType}</code></dd>
              <dt>webhook-id</dt><dd><code>{m.id}</code> <span className="muted small">(the same on every attempt and resend)</span></dd>
              <dt>Created</dt><dd>{dateTime(m.createdAt)}</dd>
              <dt>Delivered</dt><dd>{m.deliveredAt ? dateTime(m.deliveredAt) : "—"}</dd>
            </dl>
            <FormError form={form} />
            <div>
              <h3 className="sub-title">Payload</h3>
              <CodeBlock code={JSON.stringify(m.payload, null, 2)} />
            </div>
            <div>
              <h3 className="sub-title">Attempts ({attempts.length})</h3>
              {attempts.length ? <Table rows={attempts} columns={attemptColumns} rowKey={(a) => a.id} caption="Delivery attempts" /> : <Empty title="Not attempted yet">It is queued and goes out within seconds.</Empty>}
            </div>
          </div>
          );
        }}
      </DataView>
    </Dialog>
  );
}
