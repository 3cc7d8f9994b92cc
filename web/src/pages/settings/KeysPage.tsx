/**
 * API keys: the list (by prefix, never the secret), creating a key (its secret shown once),
 * and revoking one after a confirmation.
 */
import { useState } from "react";
import { api, type Schemas, unwrap } from "../../api/client";
import { useApi } from "../../api/use-api";
import { useMe } from "../../app/me";
import type { PageProps } from "../../app/routes";
import { Badge, StatusBadge } from "../../components/Badge";
import { Button } from "../../components/Button";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { Checkbox } from "../../components/Field";
import { Page, Panel } from "../../components/Page";
import { SecretDialog } from "../../components/SecretDialog";
import { Empty, DataView } from "../../components/States";
import { type Column, Table } from "../../components/Table";
import { date, dateTime, relative } from "../../lib/format";
import { CreateKeyDialog } from "./CreateKeyDialog";

type ApiKey = Schemas["ApiKey"];

function keyStatus(k: ApiKey, now = Date.now()): "active" | "revoked" | "expired" {
  if (k.revokedAt !== null) return "revoked";
  if (k.expiresAt !== null && k.expiresAt <= now) return "expired";
  return "active";
}

export default function KeysPage(_props: PageProps) {
  const { can } = useMe();
  const keys = useApi(() => unwrap(api.GET("/keys")), []);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<Schemas["ApiKeyCreated"] | null>(null);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const [hideRevoked, setHideRevoked] = useState(false);
  const writable = can("keys:write");

  const revoke = async (k: ApiKey) => {
    const after = await unwrap(api.DELETE("/keys/{id}", { params: { path: { id: k.id } } }));
    keys.setData((d) => d && { data: d.data.map((x) => (x.id === after.id ? after : x)) });
    return `Key "${k.name}" revoked`;
  };

  const columns: Column<ApiKey>[] = [
    { header: "Name", render: (k) => <strong>{k.name}</strong> },
    { header: "Key", render: (k) => <code className="key-prefix">{k.prefix}…</code> },
    { header: "Scopes", render: (k) => <span className="row">{k.scopes.map((s) => <Badge key={s} tone={s === "admin" ? "warning" : "info"}>{s}</Badge>)}</span> },
    { header: "Tags", render: (k) => (k.tags.length ? k.tags.join(", ") : <span className="muted">—</span>) },
    { header: "Last used", render: (k) => (k.lastUsedAt ? <span title={dateTime(k.lastUsedAt)}>{relative(k.lastUsedAt)}</span> : <span className="muted">Never</span>) },
    { header: "Expires", render: (k) => (k.expiresAt ? date(k.expiresAt) : <span className="muted">Never</span>) },
    { header: "Status", render: (k) => <span title={k.revokedAt ? `Revoked ${dateTime(k.revokedAt)}` : undefined}><StatusBadge status={keyStatus(k)} /></span> },
    { header: "Created", render: (k) => date(k.createdAt) },
    {
      header: <span className="sr-only">Actions</span>,
      render: (k) =>
        writable && k.revokedAt === null ? (
          <Button variant="secondary" onClick={() => setRevoking(k)} aria-label={`Revoke ${k.name}`}>Revoke</Button>
        ) : null,
    },
  ];

  return (
    <Page
      title="API keys"
      description="Keys let your systems call the gateway, start workflows and post leads. Each key's secret is shown once, when it is created."
      actions={writable ? <Button onClick={() => setCreating(true)}>Create key</Button> : null}
    >
      <Panel title="Keys" actions={<Checkbox label="Hide revoked keys" checked={hideRevoked} onChange={(e) => setHideRevoked(e.target.checked)} />}>
        <DataView state={keys} isEmpty={(d) => d.data.length === 0} empty={<Empty title="No API keys yet">Create one to let a system call Auterity.</Empty>}>
          {(d) => {
            const rows = hideRevoked ? d.data.filter((k) => k.revokedAt === null) : d.data;
            return rows.length ? <Table rows={rows} columns={columns} rowKey={(k) => k.id} caption="API keys" /> : <Empty title="Every key is revoked" />;
          }}
        </DataView>
      </Panel>

      {creating ? (
        <CreateKeyDialog
          onClose={() => setCreating(false)}
          onCreated={(k) => {
            setCreating(false);
            setCreated(k);
            const { key: _secret, ...listed } = k;
            keys.setData((d) => d && { data: [listed, ...d.data] });
          }}
        />
      ) : null}
      {created ? (
        <SecretDialog title={`API key “${created.name}”`} secret={created.key} onClose={() => setCreated(null)}>
          <p className="muted small">
            Send it as <code>Authorization: Bearer &lt;key&gt;</code>. The list will show it as <code>{created.prefix}…</code>.
          </p>
        </SecretDialog>
      ) : null}
      {revoking ? (
        <ConfirmDialog title="Revoke this key?" confirmLabel="Revoke key" onConfirm={() => revoke(revoking)} onClose={() => setRevoking(null)}>
          <p>
            <strong>{revoking.name}</strong> (<code>{revoking.prefix}…</code>) stops working at once: every call made with it will be refused. This cannot be undone.
          </p>
        </ConfirmDialog>
      ) : null}
    </Page>
  );
}
