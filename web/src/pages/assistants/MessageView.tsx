/** One message of a conversation with its citations and what the pipeline read from it. */
import type { ReactNode } from "react";
import { Badge, type Tone } from "../../components/Badge";
import { num, percent, usd } from "../../lib/format";
import type { Signals } from "./signals";
import type { Citation } from "./types";

const SENTIMENT_TONE: Record<string, Tone> = { positive: "success", negative: "danger", neutral: "neutral" };

export function SignalBadges({ signals }: { signals: Signals }) {
  const { sentiment, intent, quality, leadScore, guard } = signals;
  if (!sentiment && !intent && !quality && !leadScore && !guard) return null;
  return (
    <div className="row signals" aria-label="Signals">
      {sentiment ? <Badge tone={SENTIMENT_TONE[sentiment.label] ?? "neutral"}>sentiment: {sentiment.label} ({num(sentiment.score, 2)})</Badge> : null}
      {intent ? <Badge tone="info">intent: {intent.intent.replace(/_/g, " ")} ({percent(intent.confidence)})</Badge> : null}
      {quality ? <Badge>quality: {num(quality.score)}</Badge> : null}
      {leadScore ? <Badge tone={leadScore.score >= 70 ? "success" : "neutral"}>lead score: {num(leadScore.score)} ({leadScore.grade})</Badge> : null}
      {guard?.blocked ? <Badge tone="warning">guard: blocked {guard.kinds.join(", ")}</Badge> : null}
    </div>
  );
}

export function Citations({ citations }: { citations: Citation[] }) {
  if (!citations.length) return null;
  return (
    <ol className="citations small" aria-label="Sources">
      {citations.map((c) => (
        <li key={`${c.n}-${c.documentId}-${c.chunkIndex}`} value={c.n}>
          <strong>{c.documentName}</strong>
          {c.title ? <> · {c.title}</> : null} <span className="muted">(passage {c.chunkIndex + 1})</span>
        </li>
      ))}
    </ol>
  );
}

export function MessageView({ role, children, citations, signals, meta, busy }: {
  role: "user" | "assistant" | "system";
  children: ReactNode;
  citations?: Citation[];
  signals?: Signals;
  meta?: { inputTokens: number; outputTokens: number; costNanoUsd: number };
  busy?: boolean;
}) {
  const who = role === "user" ? "Visitor" : role === "assistant" ? "Assistant" : "System";
  return (
    <article className={`message message-${role}`} aria-label={`${who} message`} aria-busy={busy || undefined}>
      <div className="message-who small muted">{who}</div>
      <div className="message-text">{children}</div>
      {citations ? <Citations citations={citations} /> : null}
      {signals ? <SignalBadges signals={signals} /> : null}
      {meta && (meta.inputTokens || meta.outputTokens) ? (
        <div className="muted small">{num(meta.inputTokens)} in · {num(meta.outputTokens)} out · {usd(meta.costNanoUsd)}</div>
      ) : null}
    </article>
  );
}
