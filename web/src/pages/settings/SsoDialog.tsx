/** Sets up or changes single sign-on through an OpenID Connect provider (Entra ID, Okta, Google…). */
import { useId, useState } from "react";
import { api, type Schemas, unwrap } from "../../api/client";
import { Button } from "../../components/Button";
import { Dialog } from "../../components/Dialog";
import { Checkbox, SelectField, TextField } from "../../components/Field";
import { FormError, useSubmit } from "../../components/useSubmit";
import { joinList, splitList } from "./lists";
import { roleLabel, useGrantableRoles } from "./roles";

type SsoRole = Schemas["SsoConfigInput"]["defaultRole"];
const SSO_ROLES: SsoRole[] = ["admin", "department_admin", "member", "viewer"];

export function SsoDialog({ current, onSaved, onClose }: { current: Schemas["SsoConfig"] | null; onSaved: (c: Schemas["SsoConfig"]) => void; onClose: () => void }) {
  const formId = useId();
  const [issuer, setIssuer] = useState(current?.issuer ?? "");
  const [clientId, setClientId] = useState(current?.clientId ?? "");
  const [clientSecret, setClientSecret] = useState("");
  const [domains, setDomains] = useState(joinList(current?.allowedDomains));
  const [defaultRole, setDefaultRole] = useState<SsoRole>(current?.defaultRole === "owner" || !current ? "member" : current.defaultRole);
  const [enabled, setEnabled] = useState(current?.enabled ?? true);
  const grantable = useGrantableRoles();
  const roles = SSO_ROLES.filter((r) => grantable.includes(r));

  const form = useSubmit(async () => {
    const saved = await unwrap(
      api.PUT("/sso", { body: { issuer: issuer.trim(), clientId: clientId.trim(), ...(clientSecret ? { clientSecret } : {}), allowedDomains: splitList(domains), defaultRole, enabled } }),
    );
    onSaved(saved);
    return current ? "Single sign-on updated" : "Single sign-on configured";
  }, ["issuer", "clientId", "clientSecret", "allowedDomains", "defaultRole"]);

  return (
    <Dialog
      open
      title={current ? "Single sign-on settings" : "Set up single sign-on"}
      onClose={onClose}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>Cancel</Button>
          <Button type="submit" form={formId} busy={form.busy}>Save</Button>
        </>
      }
    >
      <form id={formId} onSubmit={form.onSubmit} noValidate>
        <TextField label="Issuer URL" type="url" autoFocus required value={issuer} onChange={(e) => setIssuer(e.target.value)} error={form.errors.issuer} placeholder="https://login.microsoftonline.com/<directory-id>/v2.0" hint="Auterity reads the provider's discovery document from this address when you save." />
        <TextField label="Client ID" required value={clientId} onChange={(e) => setClientId(e.target.value)} error={form.errors.clientId} />
        <TextField label="Client secret" type="password" autoComplete="new-password" required={!current} value={clientSecret} onChange={(e) => setClientSecret(e.target.value)} error={form.errors.clientSecret} hint={current ? "Leave empty to keep the stored secret." : undefined} />
        <TextField label="Allowed e-mail domains" value={domains} onChange={(e) => setDomains(e.target.value)} error={form.errors.allowedDomains} placeholder="demo-motors.com, demomotors.net" hint="Comma-separated. Empty allows any domain your provider signs in." />
        <SelectField label="Role of new users" value={defaultRole} onChange={(e) => setDefaultRole(roles.find((r) => r === e.target.value) ?? "member")} error={form.errors.defaultRole}
          options={roles.map((r) => ({ value: r, label: roleLabel(r) }))} hint="Given to someone the first time they sign in; change it later under Users." />
        <Checkbox label="Enabled (people can sign in with SSO)" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
        <FormError form={form} />
      </form>
    </Dialog>
  );
}
