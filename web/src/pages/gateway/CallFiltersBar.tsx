/** Filters for recent calls: model and key id apply on Enter, the selects at once. */
import { type FormEvent, useEffect, useState } from "react";
import type { Schemas } from "../../api/client";
import { Button } from "../../components/Button";
import { SelectField, TextField } from "../../components/Field";
import { type CallFilters, STATUSES } from "./call-filters";

export function CallFiltersBar({ filters, keys, onChange }: { filters: CallFilters; keys: Schemas["ApiKey"][] | undefined; onChange: (f: CallFilters) => void }) {
  const [model, setModel] = useState(filters.model);
  const [keyId, setKeyId] = useState(filters.apiKeyId);
  useEffect(() => setModel(filters.model), [filters.model]);
  useEffect(() => setKeyId(filters.apiKeyId), [filters.apiKeyId]);
  const apply = (f: Partial<CallFilters>) => onChange({ ...filters, model, apiKeyId: keyId, ...f });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    apply({});
  };
  const active = filters.model || filters.status || filters.apiKeyId;
  return (
    <form className="toolbar" onSubmit={submit} role="search" aria-label="Filter calls">
      <TextField label="Model (asked for or served)" value={model} onChange={(e) => setModel(e.target.value)} placeholder="gpt-4o-mini" />
      <SelectField label="Status" value={filters.status} onChange={(e) => apply({ status: e.target.value })} options={STATUSES} />
      {keys ? (
        <SelectField
          label="API key"
          value={filters.apiKeyId}
          onChange={(e) => apply({ apiKeyId: e.target.value })}
          options={[{ value: "", label: "Any key" }, ...keys.map((k) => ({ value: k.id, label: `${k.name} (${k.prefix}…)` }))]}
        />
      ) : (
        <TextField label="API key id" value={keyId} onChange={(e) => setKeyId(e.target.value.trim())} placeholder="key_…" />
      )}
      <Button type="submit" variant="secondary">Apply</Button>
      {active ? <Button variant="ghost" onClick={() => onChange({ model: "", status: "", apiKeyId: "" })}>Clear filters</Button> : null}
    </form>
  );
}
