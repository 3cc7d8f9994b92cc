/** One widget: the script tag to paste, a live preview, and changing or deleting it. */
import { useState } from "react";
import { api, unwrap } from "../../api/client";
import { useApi } from "../../api/use-api";
import { Link } from "../../app/router";
import { Button } from "../../components/Button";
import { CodeBlock } from "../../components/CodeBlock";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { Panel } from "../../components/Page";
import { DataView } from "../../components/States";
import type { Assistant, Widget } from "./types";
import { WidgetDialog } from "./WidgetDialog";
import { WidgetPreview } from "./WidgetPreview";

export function WidgetPanel({ widget, assistants, canWrite, onChanged, onDeleted }: { widget: Widget; assistants: Assistant[]; canWrite: boolean; onChanged: (w: Widget) => void; onDeleted: () => void }) {
  const snippet = useApi(() => unwrap(api.GET("/widgets/{id}/snippet", { params: { path: { id: widget.id } } })), [widget.id]);
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const assistant = assistants.find((a) => a.id === widget.assistantId);
  return (
    <>
      <Panel
        title={<>Install {widget.title}</>}
        actions={canWrite ? <div className="row"><Button variant="secondary" onClick={() => setEditing(true)}>Edit</Button><Button variant="ghost" onClick={() => setDeleting(true)}>Delete</Button></div> : null}
      >
        <p className="muted small">
          Answers with {assistant ? <Link to={`/assistants/${assistant.id}`}>{assistant.name}</Link> : <code>{widget.assistantId}</code>}. Paste this tag before <code>&lt;/body&gt;</code> on every page of your website:
        </p>
        <DataView state={snippet}>{(s) => <CodeBlock code={s.html} label="Copy snippet" />}</DataView>
      </Panel>
      <Panel title="Live preview">
        {canWrite ? <WidgetPreview widget={widget} /> : <p className="muted">Only admins can open the live preview; the snippet above works for anyone.</p>}
      </Panel>
      {editing ? (
        <WidgetDialog
          title={`Edit ${widget.title}`}
          submitLabel="Save changes"
          assistants={assistants}
          initial={widget}
          onClose={() => setEditing(false)}
          onSave={async (body) => {
            const saved = await unwrap(api.PATCH("/widgets/{id}", { params: { path: { id: widget.id } }, body }));
            setEditing(false);
            onChanged(saved);
            return "Widget saved";
          }}
        />
      ) : null}
      {deleting ? (
        <ConfirmDialog
          title={`Delete ${widget.title}?`}
          confirmLabel="Delete widget"
          onClose={() => setDeleting(false)}
          onConfirm={async () => {
            await unwrap(api.DELETE("/widgets/{id}", { params: { path: { id: widget.id } } }));
            onDeleted();
            return `Widget ${widget.title} deleted`;
          }}
        >
          Websites that embed <code>{widget.id}</code> stop showing the chat at once.
        </ConfirmDialog>
      ) : null}
    </>
  );
}
