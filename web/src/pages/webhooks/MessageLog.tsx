/**
 * An endpoint's message log, newest first: status, attempts and the partner's last answer;
 * filter by status, "Load more", refreshed every few seconds while shown; a row opens the message.
 */
import { useState } from "react";
import { api, type Schemas, unwrap } from "../../api/client";
import { useApi, usePolling } from "../../api/use-api";
import { StatusBadge } from "../../components/Badge";
import { Button } from "../../components/Button";
import { SelectField } from "../../components/Field";
import { DataView, Empty } from "../../components/States";
import { type Column, Table } from "../../components/Table";
import { toast } from "../../components/Toast";
import { dateTime, relative } from "../../lib/format";
import { MessageDialog } from "./MessageDialog";
import { ResponseCode } from "./ResponseCode";

type Message = Schemas["WebhookMessage"];
type Status = Message["status"];
type Page = { data: Message[]; next: string | null };

const PAGE = 25;
const STATUSES: Status[] = ["pending", "delivered", "failed"];

/** The fresh first page folded into what is shown: updated rows replaced, new ones on top. */
function fold(first: Page, shown: Page | undefined): Page {
  if (!shown || shown.data.length <= first.data.length) return first;
  const fresh = new Map(first.data.map((m) => [m.id, m]));
  const older = shown.data.filter((m) => !fresh.has(m.id));
  return { data: [...first.data, ...older], next: shown.next };
}

function nextOrDelivered(m: Message) {
  if (m.deliveredAt) return dateTime(m.deliveredAt);
  if (m.status !== "pending") return "—";
  return m.nextAttemptAt && m.nextAttemptAt > Date.now() ? `next try ${relative(m.nextAttemptAt)}` : "sending now";
}

const columns: Column<Message>[] = [
  { header: "Created", render: (m) => <span title={dateTime(m.createdAt)}>{relative(m.createdAt)}</span> },
  { header: "Event", render: (m) => <code>{m.eventType}</code> },
  { header: "Status", render: (m) => <StatusBadge status={m.status} /> },
  { header: "Attempts", render: (m) => m.attempts, align: "right" },
  { header: "Last response", render: (m) => <ResponseCode code={m.lastStatusCode} /> },
  { header: "Last error", render: (m) => (m.lastError ? <span className="cell-clip" title={m.lastError}>{m.lastError}</span> : <span className="muted">—</span>) },
  { header: "Next / delivered", render: nextOrDelivered },
];

/** `paused` stops the refresh while the endpoint itself is being changed (deleted, disabled…). */
export function MessageLog({ endpointId, writable, refreshKey, paused }: { endpointId: string; writable: boolean; refreshKey: number; paused: boolean }) {
  const [status, setStatus] = useState<Status | "">("");
  const [open, setOpen] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const query = (cursor?: string) => ({ params: { path: { id: endpointId }, query: { status: status || undefined, limit: PAGE, cursor } } });
  const log = useApi(() => unwrap(api.GET("/webhooks/endpoints/{id}/messages", query())), [endpointId, status, refreshKey]);

  usePolling(() => {
    if (paused || log.loading) return;
    unwrap(api.GET("/webhooks/endpoints/{id}/messages", query()))
      .then((first) => log.setData((shown) => fold(first, shown)))
      .catch(() => undefined); // The next poll tries again; the log keeps what it shows.
  }, 4000);

  const loadMore = async (cursor: string) => {
    setLoadingMore(true);
    try {
      const page = await unwrap(api.GET("/webhooks/endpoints/{id}/messages", query(cursor)));
      log.setData((d) => d && { data: [...d.data, ...page.data], next: page.next });
    } catch (e) {
      toast((e as Error).message, "danger");
    } finally {
      setLoadingMore(false);
    }
  };

  return (
    <section className="stack" aria-label="Message log">
      <div className="panel-header">
        <h2>Message log</h2>
        <SelectField label="Status" value={status} onChange={(e) => setStatus(STATUSES.find((s) => s === e.target.value) ?? "")} options={[{ value: "", label: "Any status" }, ...STATUSES.map((s) => ({ value: s, label: s }))]} />
      </div>
      <DataView state={log} isEmpty={(d) => d.data.length === 0} empty={<Empty title="No messages yet">Events this endpoint subscribes to appear here as they are sent. Send a test event to try it.</Empty>}>
        {(d) => (
          <>
            <Table rows={d.data} columns={columns} rowKey={(m) => m.id} caption="Messages, newest first" onRowClick={(m) => setOpen(m.id)} />
            <div className="row">
              <span className="muted small">{d.data.length === 1 ? "1 message" : `${d.data.length} messages`} shown · select one for its payload and attempts</span>
              {d.next ? <Button variant="secondary" busy={loadingMore} onClick={() => d.next && void loadMore(d.next)}>Load more</Button> : null}
            </div>
          </>
        )}
      </DataView>
      {open ? (
        <MessageDialog
          messageId={open}
          writable={writable}
          onClose={() => setOpen(null)}
          onResent={(m) => log.setData((d) => d && { ...d, data: d.data.map((x) => (x.id === m.id ? m : x)) })}
        />
      ) : null}
    </section>
  );
}
