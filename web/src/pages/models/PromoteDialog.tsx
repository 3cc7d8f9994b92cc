/**
 * Promoting a version to champion or challenger. Champion passes the eval gate (a completed
 * eval at least as good as the champion's minus the margin) unless an admin forces it.
 */
import { useId, useState } from "react";
import { api, unwrap } from "../../api/client";
import { useMe } from "../../app/me";
import { Button } from "../../components/Button";
import { Dialog } from "../../components/Dialog";
import { Checkbox, SelectField } from "../../components/Field";
import { FormError, useSubmit } from "../../components/useSubmit";
import { versionLabel } from "./labels";
import type { AliasName, ModelDetail, ModelVersion } from "./types";

export function PromoteDialog({ model, version, onClose, onDone }: { model: ModelDetail; version: ModelVersion | null; onClose: () => void; onDone: () => void }) {
  const formId = useId();
  const { me } = useMe();
  const [alias, setAlias] = useState<AliasName>("champion");
  const [force, setForce] = useState(false);
  const mayForce = me.type === "user" && (me.user.role === "owner" || me.user.role === "admin");
  const current = version ? model.aliases[alias] : null;

  const form = useSubmit(async () => {
    if (!version) return;
    const r = await unwrap(api.POST("/models/{id}/promote", { params: { path: { id: model.id } }, body: { versionId: version.id, alias, ...(force ? { force: true } : {}) } }));
    onDone();
    return r.changed ? `v${version.version} is now ${alias}${r.forced ? " (forced)" : ""}` : `v${version.version} already was ${alias}`;
  }, ["alias"]);

  return (
    <Dialog
      open={version !== null}
      title={version ? `Promote ${version.name}` : "Promote"}
      onClose={onClose}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>Cancel</Button>
          <Button type="submit" form={formId} busy={form.busy}>Promote to {alias}</Button>
        </>
      }
    >
      <form id={formId} onSubmit={form.onSubmit} className="stack">
        <SelectField label="Alias" value={alias} onChange={(e) => setAlias(e.target.value === "challenger" ? "challenger" : "champion")} error={form.errors.alias}
          options={[{ value: "champion", label: "champion: answers ft:" + model.key }, { value: "challenger", label: "challenger: takes the canary share" }]} />
        <p className="muted small">
          {current ? <>It replaces {versionLabel(model.versions, current)} as {alias}.</> : <>Nothing holds the {alias} alias yet.</>}{" "}
          {alias === "champion" ? <>Champion needs a completed eval scoring at least the champion&apos;s minus the eval margin ({model.evalMargin}).</> : null}
        </p>
        {alias === "champion" && mayForce ? <Checkbox label="Force: skip the eval gate (recorded in the audit log)" checked={force} onChange={(e) => setForce(e.target.checked)} /> : null}
        <FormError form={form} />
      </form>
    </Dialog>
  );
}
