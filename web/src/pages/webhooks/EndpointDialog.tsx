/** Adds a webhook endpoint or changes one: URL, description and which events it receives. */
import { useId, useState } from "react";
import { ApiError, api, type Schemas, unwrap } from "../../api/client";
import { useApi } from "../../api/use-api";
import { Button } from "../../components/Button";
import { Dialog } from "../../components/Dialog";
import { Checkbox, TextField } from "../../components/Field";
import { Loading } from "../../components/States";
import { FormError, useSubmit } from "../../components/useSubmit";
import { asEventTypes, groupOf } from "./event-types";

type Endpoint = Schemas["WebhookEndpoint"];

export function EndpointDialog({ endpoint, onCreated, onSaved, onClose }: {
  endpoint: Endpoint | null;
  onCreated: (e: Schemas["WebhookEndpointWithSecret"]) => void;
  onSaved: (e: Endpoint) => void;
  onClose: () => void;
}) {
  const formId = useId();
  const catalog = useApi(() => unwrap(api.GET("/events/types")), []);
  const [url, setUrl] = useState(endpoint?.url ?? "");
  const [description, setDescription] = useState(endpoint?.description ?? "");
  const [all, setAll] = useState(endpoint ? endpoint.eventTypes === null : true);
  const [types, setTypes] = useState<string[]>(endpoint?.eventTypes ?? []);
  const form = useSubmit(async () => {
    if (!all && types.length === 0) throw new ApiError(400, "validation_failed", "Choose at least one event type, or every event type", undefined, [{ path: "eventTypes", message: "choose at least one" }]);
    const eventTypes = all ? null : asEventTypes(types);
    if (endpoint) {
      const saved = await unwrap(api.PATCH("/webhooks/endpoints/{id}", { params: { path: { id: endpoint.id } }, body: { url: url.trim(), description: description.trim(), eventTypes } }));
      onSaved(saved);
      return "Endpoint saved";
    }
    const created = await unwrap(api.POST("/webhooks/endpoints", { body: { url: url.trim(), description: description.trim(), eventTypes } }));
    onCreated(created);
    return "Endpoint added";
  }, ["url", "description", "eventTypes"]);

  const toggle = (type: string, on: boolean) => setTypes((t) => (on ? [...t, type] : t.filter((x) => x !== type)));
  const entries = catalog.data?.data.filter((e) => e.type !== "webhook.test") ?? [];
  const groups = [...new Set(entries.map((e) => groupOf(e.type)))];

  return (
    <Dialog
      open
      title={endpoint ? "Edit endpoint" : "Add endpoint"}
      onClose={onClose}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>Cancel</Button>
          <Button type="submit" form={formId} busy={form.busy}>{endpoint ? "Save" : "Add endpoint"}</Button>
        </>
      }
    >
      <form id={formId} onSubmit={form.onSubmit} noValidate>
        <TextField label="Endpoint URL" type="url" required autoFocus value={url} onChange={(e) => setUrl(e.target.value)} error={form.errors.url} placeholder="https://crm.example.com/hooks/auterity" hint="https to a public host (plain http and local hosts work only in development). Each event is POSTed here, signed the Standard Webhooks way." />
        <TextField label="Description" value={description} onChange={(e) => setDescription(e.target.value)} error={form.errors.description} placeholder="DMS lead sync" />
        <fieldset className="choice-set">
          <legend>Events</legend>
          <label className="choice-radio"><input type="radio" name={`${formId}-events`} checked={all} onChange={() => setAll(true)} /> Every event type, including ones added later</label>
          <label className="choice-radio"><input type="radio" name={`${formId}-events`} checked={!all} onChange={() => setAll(false)} /> Only the types I choose</label>
          {!all ? (
            catalog.data ? (
              <div className="event-picker">
                {groups.map((g) => (
                  <div key={g} className="event-group">
                    <div className="event-group-title">{g}</div>
                    {entries.filter((e) => groupOf(e.type) === g).map((e) => (
                      <Checkbox key={e.type} checked={types.includes(e.type)} onChange={(ev) => toggle(e.type, ev.target.checked)} label={<><code>{e.type}</code> <span className="muted small">{e.description}</span></>} />
                    ))}
                  </div>
                ))}
              </div>
            ) : catalog.error ? <FormError form={{ error: catalog.error ?? null }} /> : <Loading label="Loading event types…" />
          ) : null}
          {form.errors.eventTypes ? <div className="field-error" role="alert">{form.errors.eventTypes}</div> : null}
        </fieldset>
        <FormError form={form} />
      </form>
    </Dialog>
  );
}
