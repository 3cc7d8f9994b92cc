/** Model aliases: stable names callers use, repointed here without touching their code. */
import { useState } from "react";
import { api, type Schemas, unwrap } from "../../api/client";
import { useApi } from "../../api/use-api";
import { Button } from "../../components/Button";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { Panel } from "../../components/Page";
import { DataView, Empty } from "../../components/States";
import { type Column, Table } from "../../components/Table";
import { date } from "../../lib/format";
import { AliasDialog } from "./AliasDialog";

type Alias = Schemas["ModelAlias"];

export function AliasesPanel({ canEdit, onChanged }: { canEdit: boolean; onChanged: () => void }) {
  const aliases = useApi(() => unwrap(api.GET("/gateway/aliases")), []);
  const [editing, setEditing] = useState<Alias | "new" | null>(null);
  const [removing, setRemoving] = useState<Alias | null>(null);
  const changed = () => {
    void aliases.reload();
    onChanged();
  };
  const columns: Column<Alias>[] = [
    { header: "Alias", render: (a) => <code className="gw-nowrap">{a.alias}</code> },
    { header: "Points to", render: (a) => <code className="gw-nowrap">{a.target}</code> },
    { header: "Added", render: (a) => date(a.createdAt) },
    {
      header: <span className="sr-only">Actions</span>,
      render: (a) =>
        canEdit ? (
          <span className="row gw-row-actions">
            <Button variant="secondary" onClick={() => setEditing(a)} aria-label={`Repoint alias ${a.alias}`}>Repoint</Button>
            <Button variant="ghost" onClick={() => setRemoving(a)} aria-label={`Remove alias ${a.alias}`}>Remove</Button>
          </span>
        ) : null,
    },
  ];
  return (
    <Panel title="Aliases" actions={canEdit ? <Button variant="secondary" onClick={() => setEditing("new")}>Add alias</Button> : null}>
      <DataView state={aliases} isEmpty={(d) => d.data.length === 0} empty={<Empty title="No aliases">An alias such as <code>lead-writer</code> lets you switch the model behind it without changing any caller.</Empty>}>
        {(d) => <Table caption="Model aliases" rows={d.data} columns={columns} rowKey={(a) => a.alias} />}
      </DataView>
      {editing ? (
        <AliasDialog
          alias={editing === "new" ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            changed();
          }}
        />
      ) : null}
      {removing ? (
        <ConfirmDialog
          title={`Remove alias ${removing.alias}?`}
          confirmLabel="Remove alias"
          onClose={() => setRemoving(null)}
          onConfirm={async () => {
            await unwrap(api.DELETE("/gateway/aliases/{alias}", { params: { path: { alias: removing.alias } } }));
            changed();
            return `Alias "${removing.alias}" removed`;
          }}
        >
          <p>Calls that ask for <code>{removing.alias}</code> will fail with “model not found” from now on.</p>
        </ConfirmDialog>
      ) : null}
    </Panel>
  );
}
