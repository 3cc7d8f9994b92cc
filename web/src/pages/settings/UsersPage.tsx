/**
 * Users and roles: who can sign in, with which role and rooftop scope; add, change,
 * deactivate (with a confirmation) and reactivate; and what each role may do.
 */
import { useState } from "react";
import { api, type Schemas, unwrap } from "../../api/client";
import { useApi } from "../../api/use-api";
import { useMe } from "../../app/me";
import type { PageProps } from "../../app/routes";
import { Badge, StatusBadge } from "../../components/Badge";
import { Button } from "../../components/Button";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { SelectField } from "../../components/Field";
import { Page, Panel } from "../../components/Page";
import { DataView, Empty } from "../../components/States";
import { type Column, Table } from "../../components/Table";
import { toast } from "../../components/Toast";
import { dateTime, relative } from "../../lib/format";
import { RolesLegend } from "./RolesLegend";
import { ROLES, roleLabel } from "./roles";
import { scopeOptions, UserDialog } from "./UserDialog";

type User = Schemas["User"];
type Filters = { role: string; status: string; rooftopId: string };

export default function UsersPage(_props: PageProps) {
  const { me, can } = useMe();
  const [filters, setFilters] = useState<Filters>({ role: "", status: "", rooftopId: "" });
  const users = useApi(() => {
    const role = ROLES.find((r) => r.id === filters.role)?.id;
    const status = filters.status === "active" || filters.status === "disabled" ? filters.status : undefined;
    return unwrap(api.GET("/users", { params: { query: { role, status, rooftopId: filters.rooftopId || undefined } } }));
  }, [filters.role, filters.status, filters.rooftopId]);
  const rooftops = useApi(() => unwrap(api.GET("/rooftops")), []);
  const [editing, setEditing] = useState<User | "new" | null>(null);
  const [disabling, setDisabling] = useState<User | null>(null);
  const writable = can("users:write");
  const myId = me.type === "user" ? me.user.id : null;
  const places = rooftops.data?.data ?? [];
  const placeName = (id: string | null) => (id ? (scopeOptions(places).find((o) => o.value === id)?.label ?? id) : "All rooftops");

  const replace = (u: User) => users.setData((d) => d && { data: d.data.some((x) => x.id === u.id) ? d.data.map((x) => (x.id === u.id ? u : x)) : [...d.data, u] });
  const disable = async (u: User) => {
    replace(await unwrap(api.DELETE("/users/{id}", { params: { path: { id: u.id } } })));
    return `${u.name} deactivated`;
  };
  const reactivate = async (u: User) => {
    try {
      replace(await unwrap(api.PATCH("/users/{id}", { params: { path: { id: u.id } }, body: { status: "active" } })));
      toast(`${u.name} reactivated`);
    } catch (e) {
      toast((e as Error).message, "danger");
    }
  };

  const columns: Column<User>[] = [
    { header: "Name", render: (u) => <div><strong>{u.name}</strong>{u.id === myId ? <span className="muted small"> (you)</span> : null}<div className="muted small">{u.email}</div></div> },
    { header: "Role", render: (u) => <Badge tone={u.role === "owner" || u.role === "admin" ? "warning" : "neutral"}>{roleLabel(u.role)}</Badge> },
    { header: "Rooftop scope", render: (u) => placeName(u.rooftopId) },
    { header: "Status", render: (u) => <StatusBadge status={u.status === "active" ? "active" : "disabled"} /> },
    { header: "Signs in with", render: (u) => (u.hasPassword ? "Password" : "SSO only") },
    { header: "Last sign-in", render: (u) => (u.lastLoginAt ? <span title={dateTime(u.lastLoginAt)}>{relative(u.lastLoginAt)}</span> : <span className="muted">Never</span>) },
    {
      header: <span className="sr-only">Actions</span>,
      render: (u) =>
        writable ? (
          <span className="row">
            <Button variant="ghost" onClick={() => setEditing(u)} aria-label={`Edit ${u.name}`}>Edit</Button>
            {u.status === "active" && u.id !== myId ? <Button variant="ghost" onClick={() => setDisabling(u)} aria-label={`Deactivate ${u.name}`}>Deactivate</Button> : null}
            {u.status === "disabled" ? <Button variant="ghost" onClick={() => void reactivate(u)} aria-label={`Reactivate ${u.name}`}>Reactivate</Button> : null}
          </span>
        ) : null,
    },
  ];

  const set = (k: keyof Filters) => (e: { target: { value: string } }) => setFilters((f) => ({ ...f, [k]: e.target.value }));
  return (
    <Page title="Users & roles" description="Everyone who can sign in to this dealership group, their role, and which rooftop they work in." actions={writable ? <Button onClick={() => setEditing("new")}>Add user</Button> : null}>
      <Panel>
        <div className="toolbar" role="search" aria-label="Filter users">
          <SelectField label="Role" value={filters.role} onChange={set("role")} options={[{ value: "", label: "Any role" }, ...ROLES.map((r) => ({ value: r.id, label: r.label }))]} />
          <SelectField label="Status" value={filters.status} onChange={set("status")} options={[{ value: "", label: "Any status" }, { value: "active", label: "Active" }, { value: "disabled", label: "Deactivated" }]} />
          <SelectField label="Rooftop" value={filters.rooftopId} onChange={set("rooftopId")} options={[{ value: "", label: "Any rooftop" }, ...scopeOptions(places).slice(1)]} />
        </div>
        <DataView state={users} isEmpty={(d) => d.data.length === 0} empty={<Empty title="No users match these filters" />}>
          {(d) => <Table rows={d.data} columns={columns} rowKey={(u) => u.id} caption="Users" />}
        </DataView>
      </Panel>
      <RolesLegend />

      {editing ? (
        <UserDialog user={editing === "new" ? null : editing} rooftops={places} onClose={() => setEditing(null)} onSaved={(u) => { setEditing(null); replace(u); }} />
      ) : null}
      {disabling ? (
        <ConfirmDialog title={`Deactivate ${disabling.name}?`} confirmLabel="Deactivate" onConfirm={() => disable(disabling)} onClose={() => setDisabling(null)}>
          <p>
            <strong>{disabling.email}</strong> is signed out everywhere and can no longer sign in. The account is kept so the audit log still names it; you can reactivate it later.
          </p>
        </ConfirmDialog>
      ) : null}
    </Page>
  );
}
