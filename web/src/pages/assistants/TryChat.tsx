/**
 * "Try it": chat with the assistant as a visitor would. The answer streams in as it is
 * written; the turn is stored as an API thread like any other.
 */
import { useState } from "react";
import { ApiError, rawCall } from "../../api/client";
import { Button } from "../../components/Button";
import { TextArea } from "../../components/Field";
import { FormError, useSubmit } from "../../components/useSubmit";
import { readChatEvents } from "./chat-stream";
import { MessageView } from "./MessageView";
import type { Signals } from "./signals";
import type { Citation } from "./types";

type Turn = {
  id: number;
  question: string;
  answer: string;
  citations: Citation[];
  signals?: Signals;
  meta?: { inputTokens: number; outputTokens: number; costNanoUsd: number };
  error?: ApiError;
  streaming: boolean;
};

export function TryChat({ assistantId, onTurn }: { assistantId: string; onTurn: (threadId: string) => void }) {
  const [text, setText] = useState("");
  const [threadId, setThreadId] = useState<string | null>(null);
  const [turns, setTurns] = useState<Turn[]>([]);

  const form = useSubmit(async () => {
    const content = text.trim();
    if (!content) return;
    const id = Date.now();
    const update = (patch: (t: Turn) => Turn) => setTurns((cur) => cur.map((t) => (t.id === id ? patch(t) : t)));
    setTurns((cur) => [...cur, { id, question: content, answer: "", citations: [], streaming: true }]);
    setText("");
    let thread = threadId;
    try {
      const res = await rawCall(`/api/v1/assistants/${encodeURIComponent(assistantId)}/chat`, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "text/event-stream" },
        body: JSON.stringify({ content, ...(threadId ? { threadId } : {}) }),
      });
      if (!res.body) throw new ApiError(0, "no_stream", "The answer did not stream");
      await readChatEvents(res.body, (e) => {
        if (e.event === "thread") {
          thread = e.threadId;
          setThreadId(e.threadId);
        } else if (e.event === "delta") update((t) => ({ ...t, answer: t.answer + e.text }));
        else if (e.event === "citations") update((t) => ({ ...t, citations: e.citations }));
        else if (e.event === "done") update((t) => ({ ...t, signals: e.signals, meta: { inputTokens: e.inputTokens, outputTokens: e.outputTokens, costNanoUsd: e.costNanoUsd } }));
        else if (e.event === "error") update((t) => ({ ...t, error: new ApiError(200, e.code, e.message, e.requestId) }));
      });
    } catch (err) {
      update((t) => ({ ...t, error: err instanceof ApiError ? err : new ApiError(0, "error", (err as Error).message) }));
    } finally {
      update((t) => ({ ...t, streaming: false }));
      if (thread) onTurn(thread);
    }
  });
  const send = () => void form.run();

  return (
    <div className="try-chat">
      <div className="chat-log" role="log" aria-label="Conversation">
        {turns.length === 0 ? <p className="muted small">Ask what a visitor would ask. Answers cite your knowledge bases when they match.</p> : null}
        {turns.map((t) => (
          <div key={t.id} className="stack">
            <MessageView role="user">{t.question}</MessageView>
            <MessageView role="assistant" citations={t.citations} signals={t.signals} meta={t.meta} busy={t.streaming}>
              {t.answer || (t.streaming ? <span className="muted">…</span> : null)}
              {t.error ? <FormError form={{ error: t.error }} /> : null}
            </MessageView>
          </div>
        ))}
      </div>
      <form onSubmit={form.onSubmit} className="chat-form">
        <TextArea
          label="Message"
          value={text}
          rows={2}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter" && !e.shiftKey) {
              e.preventDefault();
              send();
            }
          }}
          hint="Enter sends, Shift+Enter starts a new line."
        />
        <FormError form={form} />
        <div className="row">
          <Button type="submit" busy={form.busy} disabled={!text.trim()}>Send</Button>
          <Button variant="secondary" disabled={!threadId || form.busy} onClick={() => { setThreadId(null); setTurns([]); }}>New conversation</Button>
          {threadId ? <span className="muted small">Thread <code>{threadId}</code></span> : null}
        </div>
      </form>
    </div>
  );
}
