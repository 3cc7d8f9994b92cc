/** Sends again every message of a time window (by default the failed ones), with the same ids. */
import { useId, useState } from "react";
import { api, type Schemas, unwrap } from "../../api/client";
import { Button } from "../../components/Button";
import { Dialog } from "../../components/Dialog";
import { Checkbox, TextField } from "../../components/Field";
import { FormError, useSubmit } from "../../components/useSubmit";

type Status = Schemas["WebhookMessage"]["status"];
const DAY = 86_400_000;

/** epoch ms → the value of a datetime-local input, in the browser's zone. */
function localInput(ms: number): string {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}

export function RecoverDialog({ endpoint, onRecovered, onClose }: { endpoint: Schemas["WebhookEndpoint"]; onRecovered: () => void; onClose: () => void }) {
  const formId = useId();
  const [since, setSince] = useState(localInput(endpoint.failingSince ?? Date.now() - DAY));
  const [until, setUntil] = useState("");
  const [statuses, setStatuses] = useState<Status[]>(["failed"]);
  const form = useSubmit(async () => {
    const body = { since: new Date(since).getTime(), ...(until ? { until: new Date(until).getTime() } : {}), statuses };
    const { recovered } = await unwrap(api.POST("/webhooks/endpoints/{id}/recover", { params: { path: { id: endpoint.id } }, body }));
    onRecovered();
    return recovered === 1 ? "1 message queued again" : `${recovered} messages queued again`;
  }, ["since", "until", "statuses"]);
  const toggle = (s: Status, on: boolean) => setStatuses((xs) => (on ? [...xs, s] : xs.filter((x) => x !== s)));
  return (
    <Dialog
      open
      title="Recover messages"
      onClose={onClose}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>Cancel</Button>
          <Button type="submit" form={formId} busy={form.busy}>Send them again</Button>
        </>
      }
    >
      <form id={formId} onSubmit={form.onSubmit} noValidate>
        <p className="muted">After an outage, send again what the partner missed. Each message keeps its webhook-id, so a partner that already processed one can recognise it.</p>
        <div className="row">
          <TextField label="From" type="datetime-local" required value={since} onChange={(e) => setSince(e.target.value)} error={form.errors.since} />
          <TextField label="To (empty: now)" type="datetime-local" value={until} onChange={(e) => setUntil(e.target.value)} error={form.errors.until} />
        </div>
        <fieldset className="choice-set">
          <legend>Which messages</legend>
          <Checkbox label="Failed" checked={statuses.includes("failed")} onChange={(e) => toggle("failed", e.target.checked)} />
          <Checkbox label="Still pending (retrying)" checked={statuses.includes("pending")} onChange={(e) => toggle("pending", e.target.checked)} />
          <Checkbox label="Delivered (send duplicates on purpose)" checked={statuses.includes("delivered")} onChange={(e) => toggle("delivered", e.target.checked)} />
          {form.errors.statuses ? <div className="field-error" role="alert">{form.errors.statuses}</div> : null}
        </fieldset>
        <FormError form={form} />
      </form>
    </Dialog>
  );
}
