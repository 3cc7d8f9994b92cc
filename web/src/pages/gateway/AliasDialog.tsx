/** Adds or repoints a model alias: a name callers use, and the model it resolves to. */
import { useState } from "react";
import { ApiError, api, type Schemas, unwrap } from "../../api/client";
import { Button } from "../../components/Button";
import { Dialog } from "../../components/Dialog";
import { TextField } from "../../components/Field";
import { FormError, useSubmit } from "../../components/useSubmit";

export function AliasDialog({ alias, onClose, onSaved }: { alias: Schemas["ModelAlias"] | null; onClose: () => void; onSaved: () => void }) {
  const [name, setName] = useState(alias?.alias ?? "");
  const [target, setTarget] = useState(alias?.target ?? "");
  const form = useSubmit(async () => {
    if (!name.trim()) throw new ApiError(400, "validation_failed", "Name the alias", undefined, [{ path: "alias", message: "Name the alias" }]);
    const saved = await unwrap(api.PUT("/gateway/aliases/{alias}", { params: { path: { alias: name.trim() } }, body: { target: target.trim() } }));
    onSaved();
    return `Alias "${saved.alias}" now points to ${saved.target}`;
  }, ["alias", "target"]);
  return (
    <Dialog open title={alias ? `Repoint alias ${alias.alias}` : "Add an alias"} onClose={onClose}>
      <form onSubmit={form.onSubmit}>
        <TextField label="Alias" value={name} onChange={(e) => setName(e.target.value)} disabled={alias !== null} autoFocus={alias === null} placeholder="lead-writer" hint="What callers put in the model field." error={form.errors.alias} />
        <TextField label="Target model" value={target} onChange={(e) => setTarget(e.target.value)} autoFocus={alias !== null} placeholder="anthropic/claude-3-5-haiku-latest" hint="provider/model, a catalog model, or a model of one of your providers." error={form.errors.target} />
        <FormError form={form} />
        <div className="gw-actions">
          <Button variant="secondary" onClick={onClose}>Cancel</Button>
          <Button type="submit" busy={form.busy}>{alias ? "Save alias" : "Add alias"}</Button>
        </div>
      </form>
    </Dialog>
  );
}
