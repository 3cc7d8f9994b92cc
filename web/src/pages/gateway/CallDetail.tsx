/** Everything recorded about one gateway call, in a dialog opened from the list. */
import type { ReactNode } from "react";
import type { Schemas } from "../../api/client";
import { Badge } from "../../components/Badge";
import { CodeBlock } from "../../components/CodeBlock";
import { Dialog } from "../../components/Dialog";
import { dateTime, duration, num } from "../../lib/format";
import { cost } from "../usage/money";
import { CallStatus } from "./CallStatus";

type UsageEvent = Schemas["UsageEvent"];

const PRICE_SOURCES: Record<string, string> = { tenant: "your price", platform: "platform price", unknown: "no price known: counted at $0" };

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="gw-detail-row">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

export function CallDetail({ call, keyName, onClose }: { call: UsageEvent; keyName: string | undefined; onClose: () => void }) {
  const served = call.modelServed ?? "—";
  return (
    <Dialog open title={`Call ${call.id}`} onClose={onClose}>
      <dl className="gw-details">
        <Row label="When">{dateTime(call.createdAt)}</Row>
        <Row label="Request id">{call.requestId ? <code>{call.requestId}</code> : <span className="muted">—</span>}</Row>
        <Row label="Status"><CallStatus call={call} /></Row>
        <Row label="Endpoint"><code>{call.endpoint}</code>{call.stream ? <> <Badge tone="info">stream</Badge></> : null}</Row>
        <Row label="Model asked for"><code>{call.modelRequested}</code></Row>
        <Row label="Model served"><code>{served}</code>{call.modelServed && call.modelServed !== call.modelRequested ? <span className="muted small"> (routed)</span> : null}</Row>
        <Row label="Provider">{call.provider ?? <span className="muted">none reached</span>}</Row>
        <Row label="Attempts">{num(call.attempts)}{call.attempts > 1 ? <span className="muted small"> (retried or failed over)</span> : call.attempts === 0 ? <span className="muted small"> (no upstream call)</span> : null}</Row>
        <Row label="Cache">{call.cacheHit ? <Badge tone="success">hit: answered from the cache</Badge> : <span className="muted">miss</span>}</Row>
        <Row label="Latency">{duration(call.latencyMs)}</Row>
        <Row label="Time to first token">{call.ttftMs === null ? <span className="muted">—</span> : duration(call.ttftMs)}</Row>
        <Row label="Tokens">{num(call.inputTokens)} in · {num(call.outputTokens)} out · {num(call.cachedTokens)} cached</Row>
        <Row label="Cost">{cost(call.costNanoUsd)}{call.priceSource ? <span className="muted small"> ({PRICE_SOURCES[call.priceSource]})</span> : null}</Row>
        <Row label="API key">{call.apiKeyId ? <>{keyName ? `${keyName} ` : null}<code>{call.apiKeyId}</code></> : <span className="muted">none (signed-in user)</span>}</Row>
        {call.userId ? <Row label="User"><code>{call.userId}</code></Row> : null}
        <Row label="Tags">{call.tags.length ? <span className="row">{call.tags.map((t) => <Badge key={t}>{t}</Badge>)}</span> : <span className="muted">none</span>}</Row>
        {call.template ? <Row label="Prompt template"><code>{call.template}</code></Row> : null}
        {call.errorCode ? <Row label="Error code"><code>{call.errorCode}</code></Row> : null}
      </dl>
      <details className="call-raw">
        <summary>Raw record</summary>
        <CodeBlock code={JSON.stringify(call, null, 2)} />
      </details>
    </Dialog>
  );
}
