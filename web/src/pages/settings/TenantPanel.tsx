/** The dealership group itself: name and time zone (budgets and reports use its calendar days). */
import { useState } from "react";
import { api, type Schemas, unwrap } from "../../api/client";
import { Button } from "../../components/Button";
import { TextField } from "../../components/Field";
import { Panel } from "../../components/Page";
import { FormError, useSubmit } from "../../components/useSubmit";
import { date } from "../../lib/format";
import { TimeZoneField } from "./TimeZoneField";

export function TenantPanel({ tenant, writable, onSaved }: { tenant: Schemas["Tenant"]; writable: boolean; onSaved: (t: Schemas["Tenant"]) => void }) {
  const [name, setName] = useState(tenant.name);
  const [timezone, setTimezone] = useState(tenant.timezone);
  const changed = name !== tenant.name || timezone !== tenant.timezone;

  const form = useSubmit(async () => {
    const saved = await unwrap(api.PATCH("/tenant", { body: { name, timezone } }));
    onSaved(saved);
    return "Dealership group saved";
  }, ["name", "timezone"]);

  return (
    <Panel title="Dealership group">
      <form onSubmit={form.onSubmit} noValidate className="tenant-form">
        <div className="grid">
          <TextField label="Name" value={name} onChange={(e) => setName(e.target.value)} error={form.errors.name} disabled={!writable} required />
          <TimeZoneField value={timezone} onChange={(e) => setTimezone(e.target.value)} error={form.errors.timezone} disabled={!writable} hint="Budget windows and daily reports follow this zone." required />
        </div>
        <p className="muted small">
          Slug <code>{tenant.slug}</code> (used for single sign-on links) · created {date(tenant.createdAt)}
        </p>
        <FormError form={form} />
        {writable ? (
          <div className="row">
            <Button type="submit" busy={form.busy} disabled={!changed}>Save changes</Button>
            {changed ? (
              <Button variant="ghost" onClick={() => { setName(tenant.name); setTimezone(tenant.timezone); form.reset(); }}>Discard</Button>
            ) : null}
          </div>
        ) : null}
      </form>
    </Panel>
  );
}
