/** The providers this dealership added: OpenAI-compatible hosts and its own OpenAI/Anthropic keys. */
import { useState } from "react";
import { api, type Schemas, unwrap } from "../../api/client";
import { useApi } from "../../api/use-api";
import { Badge } from "../../components/Badge";
import { Button } from "../../components/Button";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { Panel } from "../../components/Page";
import { DataView, Empty } from "../../components/States";
import { type Column, Table } from "../../components/Table";
import { date } from "../../lib/format";
import { ProviderDialog } from "./ProviderDialog";

type Provider = Schemas["GatewayProvider"];

export function ProvidersPanel({ canEdit, onChanged }: { canEdit: boolean; onChanged: () => void }) {
  const providers = useApi(() => unwrap(api.GET("/gateway/providers")), []);
  const [editing, setEditing] = useState<Provider | "new" | null>(null);
  const [removing, setRemoving] = useState<Provider | null>(null);
  const changed = () => {
    void providers.reload();
    onChanged();
  };

  const columns: Column<Provider>[] = [
    { header: "Name", render: (p) => <strong className="gw-nowrap">{p.name}</strong> },
    { header: "Kind", render: (p) => <Badge tone={p.kind === "openai-compatible" ? "info" : "neutral"}>{p.kind}</Badge> },
    { header: "Base URL", render: (p) => (p.baseUrl ? <code>{p.baseUrl}</code> : <span className="muted">default</span>) },
    { header: "Models", render: (p) => (p.models.length ? <span className="gw-models">{p.models.map((m) => <code key={m}>{m}</code>)}</span> : <span className="muted">catalog only</span>) },
    { header: "Key", render: (p) => (p.hasApiKey ? <code>••••{p.apiKeyLast4}</code> : <span className="muted">none</span>) },
    { header: "Added", render: (p) => date(p.createdAt) },
    {
      header: <span className="sr-only">Actions</span>,
      render: (p) =>
        canEdit ? (
          <span className="row gw-row-actions">
            <Button variant="secondary" onClick={() => setEditing(p)} aria-label={`Edit provider ${p.name}`}>Edit</Button>
            <Button variant="ghost" onClick={() => setRemoving(p)} aria-label={`Remove provider ${p.name}`}>Remove</Button>
          </span>
        ) : null,
    },
  ];

  return (
    <Panel title="Providers" actions={canEdit ? <Button variant="secondary" onClick={() => setEditing("new")}>Add provider</Button> : null}>
      <DataView state={providers} isEmpty={(d) => d.data.length === 0} empty={<Empty title="No providers of your own">Calls use the platform's OpenAI and Anthropic accounts. Add an OpenAI-compatible host, or your own key for either.</Empty>}>
        {(d) => <Table caption="Providers" rows={d.data} columns={columns} rowKey={(p) => p.name} />}
      </DataView>
      {editing ? (
        <ProviderDialog
          provider={editing === "new" ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            changed();
          }}
        />
      ) : null}
      {removing ? (
        <ConfirmDialog
          title={`Remove provider ${removing.name}?`}
          confirmLabel="Remove provider"
          onClose={() => setRemoving(null)}
          onConfirm={async () => {
            await unwrap(api.DELETE("/gateway/providers/{name}", { params: { path: { name: removing.name } } }));
            changed();
            return `Provider "${removing.name}" removed`;
          }}
        >
          <p>
            Its stored key is deleted and calls to <code>{removing.name}/…</code> stop working at once. Aliases or routing rules that point at it must be changed first.
          </p>
        </ConfirmDialog>
      ) : null}
    </Panel>
  );
}
