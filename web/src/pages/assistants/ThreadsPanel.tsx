/** An assistant's conversations: pick a thread to read it with citations and signals. */
import { api, unwrap } from "../../api/client";
import { useApi } from "../../api/use-api";
import { Link } from "../../app/router";
import { Badge } from "../../components/Badge";
import { Panel } from "../../components/Page";
import { DataView, Empty } from "../../components/States";
import { type Column, Table } from "../../components/Table";
import { dateTime, relative } from "../../lib/format";
import { MessageView } from "./MessageView";
import { signalsOf } from "./signals";
import type { Thread } from "./types";

function visitorOf(t: Thread): string {
  return t.visitor.name ?? t.visitor.email ?? t.visitor.phone ?? "Anonymous";
}

function ThreadMessages({ assistantId, threadId }: { assistantId: string; threadId: string }) {
  const thread = useApi(() => unwrap(api.GET("/assistants/{id}/threads/{threadId}", { params: { path: { id: assistantId, threadId } } })), [assistantId, threadId]);
  return (
    <DataView state={thread} isEmpty={(t) => t.messages.length === 0} empty={<Empty title="No messages in this thread" />}>
      {(t) => (
        <div className="stack thread-messages" aria-label={`Thread ${t.id}`}>
          <div className="muted small">
            Started {dateTime(t.createdAt)} · {t.channel} · {visitorOf(t)}
            {t.leadId ? <> · <Link to="/leads">lead {t.leadId}</Link></> : null}
          </div>
          {t.messages.map((m) => (
            <MessageView key={m.id} role={m.role} citations={m.citations} signals={signalsOf(m.signals)} meta={m}>
              {m.content}
            </MessageView>
          ))}
        </div>
      )}
    </DataView>
  );
}

export function ThreadsPanel({ assistantId, version, selected, onSelect }: { assistantId: string; version: number; selected: string | null; onSelect: (id: string | null) => void }) {
  const threads = useApi(() => unwrap(api.GET("/assistants/{id}/threads", { params: { path: { id: assistantId }, query: { limit: 50 } } })).then((r) => r.data), [assistantId, version]);
  const columns: Column<Thread>[] = [
    { header: "Last message", render: (t) => <span title={dateTime(t.updatedAt)}>{relative(t.updatedAt)}</span> },
    { header: "Channel", render: (t) => <Badge tone={t.channel === "widget" ? "info" : "neutral"}>{t.channel}</Badge> },
    { header: "Visitor", render: (t) => visitorOf(t) },
    { header: "Lead", render: (t) => (t.leadId ? <Badge tone="success">lead</Badge> : <span className="muted">—</span>) },
    { header: "Thread", render: (t) => <code className="small">{t.id}</code> },
  ];
  return (
    <Panel title="Conversations">
      <div className="threads">
        <DataView state={threads} isEmpty={(rows) => rows.length === 0} empty={<Empty title="No conversations yet">Try the assistant above, or put its widget on your website.</Empty>}>
          {(rows) => <Table rows={rows} columns={columns} rowKey={(t) => t.id} caption="Threads" onRowClick={(t) => onSelect(t.id === selected ? null : t.id)} />}
        </DataView>
        {selected ? <ThreadMessages key={`${selected}-${version}`} assistantId={assistantId} threadId={selected} /> : null}
      </div>
    </Panel>
  );
}
