/** Issues a new signing secret; the old one keeps signing alongside it for a grace period. */
import { useId, useState } from "react";
import { api, type Schemas, unwrap } from "../../api/client";
import { Button } from "../../components/Button";
import { Dialog } from "../../components/Dialog";
import { SelectField } from "../../components/Field";
import { FormError, useSubmit } from "../../components/useSubmit";

const GRACES = [
  { value: "0", label: "None: the old secret stops signing now" },
  { value: "3600", label: "1 hour" },
  { value: "86400", label: "24 hours (recommended)" },
  { value: "604800", label: "7 days" },
];

export function RotateSecretDialog({ endpoint, onRotated, onClose }: { endpoint: Schemas["WebhookEndpoint"]; onRotated: (e: Schemas["WebhookEndpointWithSecret"]) => void; onClose: () => void }) {
  const formId = useId();
  const [grace, setGrace] = useState("86400");
  const form = useSubmit(async () => {
    onRotated(await unwrap(api.POST("/webhooks/endpoints/{id}/rotate-secret", { params: { path: { id: endpoint.id } }, body: { graceSeconds: Number(grace) } })));
  }, ["graceSeconds"]);
  return (
    <Dialog
      open
      title="Rotate signing secret?"
      onClose={onClose}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>Cancel</Button>
          <Button type="submit" form={formId} variant="danger" busy={form.busy}>Rotate secret</Button>
        </>
      }
    >
      <form id={formId} onSubmit={form.onSubmit}>
        <p>A new secret is issued for <code>{endpoint.url}</code>. Give it to the partner; during the grace period each message is signed with both secrets, so nothing fails while they switch.</p>
        <SelectField label="Grace period" value={grace} onChange={(e) => setGrace(e.target.value)} options={GRACES} error={form.errors.graceSeconds} />
        <FormError form={form} />
      </form>
    </Dialog>
  );
}
