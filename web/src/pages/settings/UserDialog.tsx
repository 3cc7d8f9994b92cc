/** Adds a user (with a password, or SSO-only) or changes one's name, role and rooftop scope. */
import { useId, useState } from "react";
import { api, type Schemas, unwrap } from "../../api/client";
import { Button } from "../../components/Button";
import { Dialog } from "../../components/Dialog";
import { SelectField, TextField } from "../../components/Field";
import { FormError, useSubmit } from "../../components/useSubmit";
import { type Role, roleLabel, useGrantableRoles } from "./roles";

type User = Schemas["User"];
type Rooftop = Schemas["Rooftop"];

/** "All rooftops" plus each rooftop and department, departments under their rooftop. */
export function scopeOptions(rooftops: Rooftop[]): { value: string; label: string }[] {
  const roofs = rooftops.filter((r) => r.kind === "rooftop");
  const out = [{ value: "", label: "All rooftops (the whole group)" }];
  for (const roof of roofs) {
    out.push({ value: roof.id, label: roof.name });
    for (const dep of rooftops.filter((r) => r.parentId === roof.id)) out.push({ value: dep.id, label: `${roof.name} › ${dep.name}` });
  }
  return out;
}

export function UserDialog({ user, rooftops, onSaved, onClose }: { user: User | null; rooftops: Rooftop[]; onSaved: (u: User) => void; onClose: () => void }) {
  const formId = useId();
  const [email, setEmail] = useState(user?.email ?? "");
  const [name, setName] = useState(user?.name ?? "");
  const roles = useGrantableRoles();
  const [role, setRole] = useState<Role>(user?.role ?? "member");
  const [rooftopId, setRooftopId] = useState(user?.rooftopId ?? "");
  const [password, setPassword] = useState("");
  const roleOptions = (user && !roles.includes(user.role) ? [user.role, ...roles] : roles).map((r) => ({ value: r, label: roleLabel(r) }));

  const form = useSubmit(async () => {
    const scope = rooftopId || null;
    const saved = user
      ? await unwrap(api.PATCH("/users/{id}", { params: { path: { id: user.id } }, body: { name, role, rooftopId: scope } }))
      : await unwrap(api.POST("/users", { body: { email: email.trim(), name, role, rooftopId: scope, ...(password ? { password } : {}) } }));
    onSaved(saved);
    return user ? `${saved.name} updated` : `${saved.name} added as ${roleLabel(saved.role)}`;
  }, user ? ["name", "role", "rooftopId"] : ["email", "name", "role", "rooftopId", "password"]);

  return (
    <Dialog
      open
      title={user ? `Edit ${user.name}` : "Add user"}
      onClose={onClose}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>Cancel</Button>
          <Button type="submit" form={formId} busy={form.busy}>{user ? "Save" : "Add user"}</Button>
        </>
      }
    >
      <form id={formId} onSubmit={form.onSubmit} noValidate>
        {user ? (
          <p className="muted">{user.email}</p>
        ) : (
          <TextField label="E-mail" type="email" autoFocus required autoComplete="off" value={email} onChange={(e) => setEmail(e.target.value)} error={form.errors.email} />
        )}
        <TextField label="Name" required autoFocus={Boolean(user)} value={name} onChange={(e) => setName(e.target.value)} error={form.errors.name} />
        <SelectField label="Role" value={role} onChange={(e) => setRole(roleOptions.find((o) => o.value === e.target.value)?.value ?? role)} options={roleOptions} error={form.errors.role} hint="What each role may do is listed under “Roles” on this page." />
        <SelectField label="Rooftop scope" value={rooftopId} onChange={(e) => setRooftopId(e.target.value)} options={scopeOptions(rooftops)} error={form.errors.rooftopId} hint="Department admins manage only the users of their own rooftop." />
        {user ? null : (
          <TextField label="Password (optional)" type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} error={form.errors.password} hint="At least 10 characters. Leave empty for someone who signs in only through single sign-on." />
        )}
        <FormError form={form} />
      </form>
    </Dialog>
  );
}
