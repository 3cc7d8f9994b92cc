/**
 * One assistant: its configuration and pipeline, a "try it" chat that streams the answer,
 * and its conversations with citations and signals.
 */
import { useState } from "react";
import { api, unwrap } from "../../api/client";
import { useApi } from "../../api/use-api";
import { useMe } from "../../app/me";
import { Link } from "../../app/router";
import type { PageProps } from "../../app/routes";
import { Button } from "../../components/Button";
import { Page, Panel } from "../../components/Page";
import { DataView } from "../../components/States";
import { AssistantDialog } from "./AssistantDialog";
import { DeleteAssistantDialog } from "./DeleteAssistantDialog";
import { PipelineDiagram } from "./PipelineDiagram";
import { ThreadsPanel } from "./ThreadsPanel";
import { TryChat } from "./TryChat";
import type { Assistant, KnowledgeBase } from "./types";

function Configuration({ a, bases }: { a: Assistant; bases: KnowledgeBase[] }) {
  const name = (id: string) => bases.find((b) => b.id === id)?.name ?? id;
  return (
    <dl className="facts">
      <dt>Model</dt><dd><code>{a.model}</code></dd>
      <dt>Knowledge</dt><dd>{a.knowledgeBaseIds.length ? a.knowledgeBaseIds.map(name).join(", ") : <span className="muted">none</span>} · <Link to="/knowledge">Knowledge bases</Link></dd>
      <dt>Department</dt><dd>{a.department ?? <span className="muted">any</span>}</dd>
      <dt>Lead threshold</dt><dd>lead score ≥ {a.leadThreshold}</dd>
      <dt>Instructions</dt><dd>{a.instructions ? <pre className="instructions">{a.instructions}</pre> : <span className="muted">none</span>}</dd>
    </dl>
  );
}

export default function AssistantPage({ params }: PageProps) {
  const id = params.id ?? "";
  const { can } = useMe();
  const canWrite = can("workflows:write");
  const assistant = useApi(() => unwrap(api.GET("/assistants/{id}", { params: { path: { id } } })), [id]);
  const bases = useApi(() => unwrap(api.GET("/knowledge-bases")).then((r) => r.data), []);
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [threadsVersion, setThreadsVersion] = useState(0);
  const [selected, setSelected] = useState<string | null>(null);
  const a = assistant.data;

  return (
    <Page
      title={a?.name ?? "Assistant"}
      description={<><Link to="/assistants">All assistants</Link> · <Link to="/widgets">Put it on your website</Link></>}
      actions={a && canWrite ? (
        <>
          <Button variant="secondary" onClick={() => setEditing(true)}>Edit</Button>
          <Button variant="danger" onClick={() => setDeleting(true)}>Delete</Button>
        </>
      ) : null}
    >
      <DataView state={assistant}>
        {(a) => (
          <>
            <div className="grid">
              <Panel title="Configuration"><Configuration a={a} bases={bases.data ?? []} /></Panel>
              <Panel title="Try it">
                {canWrite ? (
                  <TryChat
                    key={a.updatedAt}
                    assistantId={a.id}
                    onTurn={(threadId) => {
                      setSelected(threadId);
                      setThreadsVersion((v) => v + 1);
                    }}
                  />
                ) : (
                  <p className="muted">Chatting needs the workflows:write permission.</p>
                )}
              </Panel>
            </div>
            <Panel title="Pipeline"><PipelineDiagram steps={a.pipeline} /></Panel>
            <ThreadsPanel assistantId={a.id} version={threadsVersion} selected={selected} onSelect={setSelected} />
            {editing ? (
              <AssistantDialog
                title={`Edit ${a.name}`}
                initial={a}
                submitLabel="Save changes"
                onClose={() => setEditing(false)}
                onSave={async (body) => {
                  const saved = await unwrap(api.PATCH("/assistants/{id}", { params: { path: { id: a.id } }, body }));
                  setEditing(false);
                  assistant.setData(() => saved);
                  return "Assistant saved";
                }}
              />
            ) : null}
            {deleting ? <DeleteAssistantDialog assistant={a} onClose={() => setDeleting(false)} /> : null}
          </>
        )}
      </DataView>
    </Page>
  );
}
