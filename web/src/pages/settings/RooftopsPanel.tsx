/** The group's rooftops with their departments as a tree: add, edit and delete (with a confirmation). */
import { type ReactNode, useState } from "react";
import { api, type Schemas, unwrap } from "../../api/client";
import { useApi } from "../../api/use-api";
import { Badge } from "../../components/Badge";
import { Button } from "../../components/Button";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { Panel } from "../../components/Page";
import { DataView, Empty } from "../../components/States";
import { type RooftopDraft, RooftopDialog } from "./RooftopDialog";

type Rooftop = Schemas["Rooftop"];

function Node({ r, children, writable, onEdit, onDelete, onAddDepartment }: {
  r: Rooftop;
  children?: ReactNode;
  writable: boolean;
  onEdit: () => void;
  onDelete: () => void;
  onAddDepartment?: () => void;
}) {
  return (
    <li className={`rooftop-node rooftop-node-${r.kind}`}>
      <div className="rooftop-row">
        <span className="rooftop-name">{r.name}</span>
        <Badge tone={r.kind === "rooftop" ? "info" : "neutral"}>{r.kind}</Badge>
        <span className="muted small">{r.timezone ?? "group time zone"}</span>
        <span className="rooftop-spacer" />
        {writable ? (
          <span className="row">
            {onAddDepartment ? <Button variant="ghost" onClick={onAddDepartment} aria-label={`Add a department to ${r.name}`}>+ Department</Button> : null}
            <Button variant="ghost" onClick={onEdit} aria-label={`Edit ${r.name}`}>Edit</Button>
            <Button variant="ghost" onClick={onDelete} aria-label={`Delete ${r.name}`}>Delete</Button>
          </span>
        ) : null}
      </div>
      {children}
    </li>
  );
}

export function RooftopsPanel({ tenantZone, writable }: { tenantZone: string; writable: boolean }) {
  const list = useApi(() => unwrap(api.GET("/rooftops")), []);
  const [draft, setDraft] = useState<RooftopDraft | null>(null);
  const [deleting, setDeleting] = useState<Rooftop | null>(null);

  const remove = async (r: Rooftop) => {
    await unwrap(api.DELETE("/rooftops/{id}", { params: { path: { id: r.id } } }));
    list.setData((d) => d && { data: d.data.filter((x) => x.id !== r.id) });
    return `${r.name} deleted`;
  };
  const saved = (r: Rooftop) => {
    setDraft(null);
    list.setData((d) => d && { data: d.data.some((x) => x.id === r.id) ? d.data.map((x) => (x.id === r.id ? r : x)) : [...d.data, r] });
  };

  return (
    <Panel title="Rooftops and departments" actions={writable ? <Button variant="secondary" onClick={() => setDraft({ kind: "rooftop", parentId: null })}>Add rooftop</Button> : null}>
      <DataView state={list} isEmpty={(d) => d.data.length === 0} empty={<Empty title="No rooftops yet">Add each dealership location, then its departments.</Empty>}>
        {(d) => {
          const roofs = d.data.filter((r) => r.kind === "rooftop").sort((a, b) => a.name.localeCompare(b.name));
          const orphans = d.data.filter((r) => r.kind === "department" && !roofs.some((p) => p.id === r.parentId));
          const node = (r: Rooftop, extra?: Partial<Parameters<typeof Node>[0]>) => (
            <Node key={r.id} r={r} writable={writable} onEdit={() => setDraft({ existing: r })} onDelete={() => setDeleting(r)} {...extra} />
          );
          return (
            <ul className="rooftop-tree" aria-label="Rooftops and departments">
              {roofs.map((roof) => {
                const departments = d.data.filter((x) => x.kind === "department" && x.parentId === roof.id).sort((a, b) => a.name.localeCompare(b.name));
                return node(roof, {
                  onAddDepartment: () => setDraft({ kind: "department", parentId: roof.id }),
                  children: departments.length ? <ul>{departments.map((dep) => node(dep))}</ul> : null,
                });
              })}
              {orphans.map((dep) => node(dep))}
            </ul>
          );
        }}
      </DataView>

      {draft && list.data ? (
        <RooftopDialog draft={draft} rooftops={list.data.data} tenantZone={tenantZone} onSaved={saved} onClose={() => setDraft(null)} />
      ) : null}
      {deleting ? (
        <ConfirmDialog title={`Delete ${deleting.name}?`} confirmLabel="Delete" onConfirm={() => remove(deleting)} onClose={() => setDeleting(null)}>
          <p>
            The {deleting.kind} <strong>{deleting.name}</strong> will be removed. A rooftop must have no departments and no users left; move them first.
          </p>
        </ConfirmDialog>
      ) : null}
    </Panel>
  );
}
