/**
 * Chat widgets: one script tag puts an assistant on a dealer's website. Create one, copy its
 * snippet, and try it in the live preview before it goes on the site.
 */
import { useState } from "react";
import { api, unwrap } from "../../api/client";
import { useApi } from "../../api/use-api";
import { useMe } from "../../app/me";
import { Link, navigate, useLocation } from "../../app/router";
import type { PageProps } from "../../app/routes";
import { Badge } from "../../components/Badge";
import { Button } from "../../components/Button";
import { Page, Panel } from "../../components/Page";
import { DataView, Empty } from "../../components/States";
import { type Column, Table } from "../../components/Table";
import { date } from "../../lib/format";
import type { Widget } from "./types";
import { WidgetDialog } from "./WidgetDialog";
import { WidgetPanel } from "./WidgetPanel";

export default function WidgetsPage(_props: PageProps) {
  const { can } = useMe();
  const canWrite = can("tenant:write");
  const { search } = useLocation();
  const widgets = useApi(() => unwrap(api.GET("/widgets")).then((r) => r.data), []);
  const assistants = useApi(() => unwrap(api.GET("/assistants")).then((r) => r.data), []);
  const [creating, setCreating] = useState(false);
  const selected = widgets.data?.find((w) => w.id === search.get("widget")) ?? widgets.data?.[0];
  const select = (id: string) => navigate(`/widgets?widget=${encodeURIComponent(id)}`, { replace: true });
  const assistantName = (id: string) => assistants.data?.find((a) => a.id === id)?.name ?? id;
  const noAssistants = assistants.data !== undefined && assistants.data.length === 0;

  const columns: Column<Widget>[] = [
    {
      header: "Widget",
      render: (w) => (
        <div className="row">
          <span className="swatch" style={{ background: w.accentColor }} aria-hidden="true" />
          <div><strong>{w.title}</strong>{w.id === selected?.id ? <> <Badge tone="info">open</Badge></> : null}<div className="muted small"><code>{w.id}</code></div></div>
        </div>
      ),
    },
    { header: "Assistant", render: (w) => assistantName(w.assistantId) },
    { header: "Allowed websites", render: (w) => <span className="small">{w.allowedOrigins.join(", ")}</span> },
    { header: "Position", render: (w) => w.position.replace("-", " ") },
    { header: "Created", render: (w) => date(w.createdAt) },
  ];

  return (
    <Page
      title="Chat widget"
      description="Put an assistant on your website with one script tag. Visitors chat; good conversations become leads."
      actions={canWrite ? <Button onClick={() => setCreating(true)} disabled={noAssistants}>New widget</Button> : null}
    >
      {noAssistants ? <div className="banner banner-info">A widget answers with an assistant: <Link to="/assistants">create an assistant</Link> first.</div> : null}
      <Panel>
        <DataView state={widgets} isEmpty={(rows) => rows.length === 0} empty={<Empty title="No widgets yet">Create one, paste its snippet into your website, and list the website as allowed.</Empty>}>
          {(rows) => <Table rows={rows} columns={columns} rowKey={(w) => w.id} caption="Widgets" onRowClick={(w) => select(w.id)} />}
        </DataView>
      </Panel>
      {selected ? (
        <WidgetPanel
          key={selected.id}
          widget={selected}
          assistants={assistants.data ?? []}
          canWrite={canWrite}
          onChanged={(w) => widgets.setData((cur) => cur?.map((x) => (x.id === w.id ? w : x)))}
          onDeleted={() => {
            widgets.setData((cur) => cur?.filter((x) => x.id !== selected.id));
            navigate("/widgets", { replace: true });
          }}
        />
      ) : null}
      {creating ? (
        <WidgetDialog
          title="New widget"
          submitLabel="Create widget"
          assistants={assistants.data ?? []}
          onClose={() => setCreating(false)}
          onSave={async (body) => {
            const w = await unwrap(api.POST("/widgets", { body }));
            setCreating(false);
            widgets.setData((cur) => [w, ...(cur ?? [])]);
            select(w.id);
            return `Widget ${w.title} created`;
          }}
        />
      ) : null}
    </Page>
  );
}
