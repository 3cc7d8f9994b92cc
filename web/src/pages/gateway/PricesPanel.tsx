/**
 * The prices in effect per provider model (the platform's, or this dealership's own where it
 * set one), searchable, with each model's history and setting a price of your own.
 */
import { useState } from "react";
import { api, type Schemas, unwrap } from "../../api/client";
import { useApi } from "../../api/use-api";
import { Badge } from "../../components/Badge";
import { Button } from "../../components/Button";
import { TextField } from "../../components/Field";
import { Panel } from "../../components/Page";
import { DataView, Empty } from "../../components/States";
import { type Column, Table } from "../../components/Table";
import { type PriceDraft, PriceDialog } from "./PriceDialog";
import { PriceHistoryDialog } from "./PriceHistoryDialog";
import { perMtok } from "./price-format";

type Price = Schemas["EffectivePrice"];

export function PricesPanel({ canEdit }: { canEdit: boolean }) {
  const prices = useApi(() => unwrap(api.GET("/gateway/prices")), []);
  const [query, setQuery] = useState("");
  const [editing, setEditing] = useState<PriceDraft | "new" | null>(null);
  const [history, setHistory] = useState<Price | null>(null);

  const columns: Column<Price>[] = [
    { header: "Model", render: (p) => <code>{p.provider}/{p.model}</code> },
    { header: "Input / Mtok", align: "right", render: (p) => perMtok(p.inputPerMtok) },
    { header: "Output / Mtok", align: "right", render: (p) => perMtok(p.outputPerMtok) },
    { header: "Cached / Mtok", align: "right", render: (p) => perMtok(p.cachedInputPerMtok) },
    { header: "Source", render: (p) => (p.source === "tenant" ? <Badge tone="info">yours</Badge> : <Badge>platform</Badge>) },
    {
      header: <span className="sr-only">Actions</span>,
      render: (p) => (
        <span className="row gw-row-actions">
          <Button variant="ghost" onClick={() => setHistory(p)} aria-label={`Price history of ${p.provider}/${p.model}`}>History</Button>
          {canEdit ? <Button variant="ghost" onClick={() => setEditing(p)} aria-label={`Set your price for ${p.provider}/${p.model}`}>Set price</Button> : null}
        </span>
      ),
    },
  ];

  return (
    <Panel title="Prices" actions={canEdit ? <Button variant="secondary" onClick={() => setEditing("new")}>Set a price</Button> : null}>
      <DataView state={prices} isEmpty={(d) => d.data.length === 0} empty={<Empty title="No prices">Set a price for a model of your own provider so its calls are costed.</Empty>}>
        {(d) => {
          const q = query.trim().toLowerCase();
          const rows = q ? d.data.filter((p) => `${p.provider}/${p.model}`.toLowerCase().includes(q)) : d.data;
          return (
            <>
              <TextField label="Find a model" type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder="gpt-4o" />
              {rows.length ? <Table caption="Prices in effect" rows={rows} columns={columns} rowKey={(p) => `${p.provider}/${p.model}`} /> : <Empty title={`No model matches “${query}”`} />}
            </>
          );
        }}
      </DataView>
      {editing ? (
        <PriceDialog
          draft={editing === "new" ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            void prices.reload();
          }}
        />
      ) : null}
      {history ? <PriceHistoryDialog provider={history.provider} model={history.model} onClose={() => setHistory(null)} /> : null}
    </Panel>
  );
}
