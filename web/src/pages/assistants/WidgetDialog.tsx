/** Creating or editing a chat widget: which assistant answers, where it may run, how it looks. */
import { useId, useState } from "react";
import { Button } from "../../components/Button";
import { Dialog } from "../../components/Dialog";
import { SelectField, TextArea, TextField } from "../../components/Field";
import { FormError, useSubmit } from "../../components/useSubmit";
import type { Assistant, Widget, WidgetBody } from "./types";

const POSITIONS: { value: WidgetBody["position"] & string; label: string }[] = [
  { value: "bottom-right", label: "Bottom right" },
  { value: "bottom-left", label: "Bottom left" },
];

export function WidgetDialog({ title, submitLabel, assistants, initial, onClose, onSave }: {
  title: string;
  submitLabel: string;
  assistants: Assistant[];
  initial?: Widget;
  onClose: () => void;
  /** Saves and answers the toast to show. */
  onSave: (body: WidgetBody) => Promise<string>;
}) {
  const formId = useId();
  const [assistantId, setAssistantId] = useState(initial?.assistantId ?? assistants[0]?.id ?? "");
  const [origins, setOrigins] = useState((initial?.allowedOrigins ?? []).join("\n"));
  const [widgetTitle, setWidgetTitle] = useState(initial?.title ?? "Chat with us");
  const [greeting, setGreeting] = useState(initial?.greeting ?? "Hi! How can we help you today?");
  const [accentColor, setAccentColor] = useState(initial?.accentColor ?? "#1f6feb");
  const [position, setPosition] = useState<"bottom-right" | "bottom-left">(initial?.position ?? "bottom-right");

  const form = useSubmit(async () => {
    const allowedOrigins = origins.split(/[\s,]+/).map((o) => o.trim()).filter(Boolean);
    return onSave({ assistantId, allowedOrigins, title: widgetTitle.trim(), greeting: greeting.trim(), accentColor, position });
  }, ["assistantId", "allowedOrigins", "title", "greeting", "accentColor", "position"]);

  return (
    <Dialog
      open
      title={title}
      onClose={onClose}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>Cancel</Button>
          <Button type="submit" form={formId} busy={form.busy}>{submitLabel}</Button>
        </>
      }
    >
      <form id={formId} onSubmit={form.onSubmit}>
        <SelectField label="Assistant" value={assistantId} onChange={(e) => setAssistantId(e.target.value)} error={form.errors.assistantId}
          options={assistants.map((a) => ({ value: a.id, label: a.name }))} />
        <TextArea label="Allowed websites" value={origins} rows={3} onChange={(e) => setOrigins(e.target.value)} error={form.errors.allowedOrigins} placeholder="https://www.demo-motors.example"
          hint="One origin a line: scheme, host and port, no path. The widget answers only on these sites (and in this dashboard's preview)." />
        <TextField label="Title" value={widgetTitle} onChange={(e) => setWidgetTitle(e.target.value)} error={form.errors.title} />
        <TextField label="Greeting" value={greeting} onChange={(e) => setGreeting(e.target.value)} error={form.errors.greeting} />
        <div className="grid grid-tight">
          <TextField label="Accent colour" type="color" value={accentColor} onChange={(e) => setAccentColor(e.target.value)} error={form.errors.accentColor} />
          <SelectField label="Position" value={position} onChange={(e) => setPosition(e.target.value === "bottom-left" ? "bottom-left" : "bottom-right")} error={form.errors.position} options={POSITIONS} />
        </div>
        <FormError form={form} />
      </form>
    </Dialog>
  );
}
