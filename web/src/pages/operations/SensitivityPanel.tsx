/** The tenant's anomaly sensitivity: how far above normal a metric must go to raise one. */
import { type FormEvent, useEffect, useState } from "react";
import { api, ApiError, type Schemas, unwrap } from "../../api/client";
import { useApi } from "../../api/use-api";
import { useMe } from "../../app/me";
import { Button } from "../../components/Button";
import { SelectField } from "../../components/Field";
import { Panel } from "../../components/Page";
import { DataView } from "../../components/States";
import { toast } from "../../components/Toast";
import { dateTime } from "../../lib/format";

type Sensitivity = Schemas["AnomalySettings"]["sensitivity"];

const OPTIONS: { value: Sensitivity; label: string }[] = [
  { value: "off", label: "Off — never raise anomalies" },
  { value: "low", label: "Low — only extreme spikes (8 baseline scales)" },
  { value: "medium", label: "Medium — the default (5 baseline scales)" },
  { value: "high", label: "High — flag moderate spikes too (3 baseline scales)" },
];

function isSensitivity(v: string): v is Sensitivity {
  return OPTIONS.some((o) => o.value === v);
}

/** The API's message for the sensitivity field, when it named that field. */
function fieldError(e: unknown): string | null {
  if (!(e instanceof ApiError) || !Array.isArray(e.details)) return null;
  const hit = (e.details as { path?: unknown; message?: unknown }[]).find((d) => String(d.path ?? "").includes("sensitivity"));
  return hit && typeof hit.message === "string" ? hit.message : null;
}

export function SensitivityPanel() {
  const { can } = useMe();
  const state = useApi(() => unwrap(api.GET("/operations/anomaly-settings")), []);
  const [value, setValue] = useState<Sensitivity>("medium");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (state.data) setValue(state.data.sensitivity);
  }, [state.data]);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const saved = await unwrap(api.PUT("/operations/anomaly-settings", { body: { sensitivity: value } }));
      state.setData(() => saved);
      toast(`Sensitivity set to ${saved.sensitivity}`);
    } catch (err) {
      const message = fieldError(err);
      setError(message ?? (err as Error).message);
      if (!message) toast(`Could not save: ${(err as Error).message}`, "danger");
    } finally {
      setBusy(false);
    }
  };

  const writable = can("gateway:write");
  return (
    <Panel title="Anomaly sensitivity">
      <DataView state={state}>
        {(settings) => (
          <form onSubmit={(e) => void save(e)} className="sensitivity-form">
            <SelectField
              label="Sensitivity"
              value={value}
              options={OPTIONS}
              disabled={!writable || busy}
              error={error}
              hint={writable ? "Applies from the detector's next run, within a minute." : "Changing it needs the gateway:write permission."}
              onChange={(e) => isSensitivity(e.target.value) && setValue(e.target.value)}
              onKeyDown={(e) => {
                // A form with only a select has no implicit submission: Enter saves, as in any other form.
                if (e.key === "Enter") {
                  e.preventDefault();
                  e.currentTarget.form?.requestSubmit();
                }
              }}
            />
            <div className="row">
              <Button type="submit" busy={busy} disabled={!writable || value === settings.sensitivity}>Save</Button>
              <span className="muted small">{settings.updatedAt ? `Last changed ${dateTime(settings.updatedAt)}` : "Using the default (medium)."}</span>
            </div>
          </form>
        )}
      </DataView>
    </Panel>
  );
}
