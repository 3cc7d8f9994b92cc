/** Adds or edits a rooftop (a dealership location) or a department under one. */
import { useId, useState } from "react";
import { api, type Schemas, unwrap } from "../../api/client";
import { Button } from "../../components/Button";
import { Dialog } from "../../components/Dialog";
import { SelectField, TextField } from "../../components/Field";
import { FormError, useSubmit } from "../../components/useSubmit";
import { TimeZoneField } from "./TimeZoneField";

type Rooftop = Schemas["Rooftop"];
type Kind = Rooftop["kind"];

export type RooftopDraft = { existing: Rooftop } | { kind: Kind; parentId: string | null };

export function RooftopDialog({ draft, rooftops, tenantZone, onSaved, onClose }: {
  draft: RooftopDraft;
  rooftops: Rooftop[];
  tenantZone: string;
  onSaved: (r: Rooftop) => void;
  onClose: () => void;
}) {
  const formId = useId();
  const existing = "existing" in draft ? draft.existing : null;
  const [kind, setKind] = useState<Kind>(existing?.kind ?? ("kind" in draft ? draft.kind : "rooftop"));
  const [name, setName] = useState(existing?.name ?? "");
  const [parentId, setParentId] = useState(existing?.parentId ?? ("parentId" in draft ? draft.parentId : null) ?? "");
  const [timezone, setTimezone] = useState(existing?.timezone ?? "");
  const parents = rooftops.filter((r) => r.kind === "rooftop" && r.id !== existing?.id);

  const form = useSubmit(async () => {
    const tz = timezone.trim() || null;
    const parent = kind === "department" ? parentId || null : null;
    const saved = existing
      ? await unwrap(api.PATCH("/rooftops/{id}", { params: { path: { id: existing.id } }, body: { name, timezone: tz, ...(kind === "department" ? { parentId: parent } : {}) } }))
      : await unwrap(api.POST("/rooftops", { body: { kind, name, parentId: parent, timezone: tz } }));
    onSaved(saved);
    return existing ? `${saved.name} saved` : `${kind === "rooftop" ? "Rooftop" : "Department"} “${saved.name}” added`;
  }, [...(existing ? [] : ["kind"]), "name", ...(kind === "department" ? ["parentId"] : []), "timezone"]);

  const noun = kind === "rooftop" ? "rooftop" : "department";
  return (
    <Dialog
      open
      title={existing ? `Edit ${existing.name}` : `Add ${noun}`}
      onClose={onClose}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>Cancel</Button>
          <Button type="submit" form={formId} busy={form.busy}>{existing ? "Save" : `Add ${noun}`}</Button>
        </>
      }
    >
      <form id={formId} onSubmit={form.onSubmit} noValidate>
        {existing ? null : (
          <SelectField label="Kind" value={kind} onChange={(e) => setKind(e.target.value === "department" ? "department" : "rooftop")} error={form.errors.kind}
            options={[{ value: "rooftop", label: "Rooftop (a dealership location)" }, { value: "department", label: "Department (sales, service… of a rooftop)" }]} />
        )}
        <TextField label="Name" autoFocus required value={name} onChange={(e) => setName(e.target.value)} error={form.errors.name} placeholder={kind === "rooftop" ? "Demo Motors Northside" : "Service"} />
        {kind === "department" ? (
          <SelectField label="Rooftop" value={parentId} onChange={(e) => setParentId(e.target.value)} error={form.errors.parentId}
            options={[{ value: "", label: "Choose a rooftop…" }, ...parents.map((r) => ({ value: r.id, label: r.name }))]} />
        ) : null}
        <TimeZoneField label="Time zone (optional)" value={timezone} onChange={(e) => setTimezone(e.target.value)} error={form.errors.timezone} hint={`Leave empty to use the group's (${tenantZone}).`} />
        <FormError form={form} />
      </form>
    </Dialog>
  );
}
