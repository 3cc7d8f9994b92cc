/** Saying the customer was reached (how, and a note): stops the lead's escalations. */
import { type FormEvent, useState } from "react";
import { api, type Schemas, unwrap } from "../../../api/client";
import { Button } from "../../../components/Button";
import { Dialog } from "../../../components/Dialog";
import { SelectField, TextArea } from "../../../components/Field";
import { ErrorState } from "../../../components/States";
import { toast } from "../../../components/Toast";
import { fieldErrors } from "../api-errors";

type Channel = "email" | "sms" | "chat" | "phone";
const CHANNELS: { value: Channel; label: string }[] = [
  { value: "phone", label: "Phone call" },
  { value: "email", label: "Email" },
  { value: "sms", label: "Text message" },
  { value: "chat", label: "Chat" },
];

export function ContactedDialog({ lead, open, onClose, onDone }: { lead: Schemas["Lead"]; open: boolean; onClose: () => void; onDone: (lead: Schemas["Lead"]) => void }) {
  const [channel, setChannel] = useState<Channel>("phone");
  const [note, setNote] = useState("");
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<Error | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setErrors({});
    setFailure(null);
    try {
      const next = await unwrap(api.POST("/leads/{id}/contacted", { params: { path: { id: lead.id } }, body: { channel, ...(note.trim() ? { note: note.trim() } : {}) } }));
      toast(`${lead.customer.name ?? "The customer"} marked as contacted`);
      onDone(next);
      onClose();
    } catch (err) {
      const fields = fieldErrors(err);
      if (Object.keys(fields).length) setErrors(fields);
      else setFailure(err as Error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open={open} title={`Mark ${lead.customer.name ?? "this lead"} as contacted`} onClose={onClose}>
      <form onSubmit={(e) => void submit(e)}>
        <SelectField label="How you reached them" value={channel} onChange={(e) => setChannel(e.target.value as Channel)} options={CHANNELS} error={errors.channel} />
        <TextArea label="Note (optional)" value={note} onChange={(e) => setNote(e.target.value)} rows={3} error={errors.note} hint="Escalations for this lead stop once it is contacted." />
        {failure ? <ErrorState error={failure} /> : null}
        <Button type="submit" busy={busy}>Mark contacted</Button>
      </form>
    </Dialog>
  );
}
