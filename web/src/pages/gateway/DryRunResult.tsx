/** What a dry run answered: the matching rule, the targets in order, what was skipped and why. */
import type { Schemas } from "../../api/client";
import { Badge, StatusBadge } from "../../components/Badge";
import { duration, num } from "../../lib/format";
import { perMtok } from "./price-format";

type Result = Schemas["RoutingDryRun"];
type Info = Schemas["RoutingTargetInfo"];

const VIA: Record<NonNullable<Info["resolved"]>["via"], string> = { alias: " (your alias)", "provider-models": " (your provider)", catalog: " (catalog)", qualified: "", registry: " (model registry)" };

function TargetFacts({ info }: { info: Info }) {
  const caps = info.capabilities ? (["tools", "json", "vision"] as const).filter((c) => info.capabilities?.[c]) : [];
  return (
    <span className="muted small target-facts">
      {info.resolved ? <>→ <code>{info.resolved.provider}/{info.resolved.model}</code>{VIA[info.resolved.via] ?? ""} · </> : null}
      <StatusBadge status={info.circuit} />
      {info.price ? ` · ${perMtok(info.price.inputPerMtok)} in / ${perMtok(info.price.outputPerMtok)} out per Mtok` : " · no price"}
      {info.latencyMs !== null ? ` · ~${duration(info.latencyMs)}` : ""}
      {info.contextWindow ? ` · ${num(info.contextWindow)} token context` : ""}
      {caps.length ? ` · ${caps.join(", ")}` : ""}
    </span>
  );
}

export function DryRunResult({ result }: { result: Result }) {
  const first = result.targets[0];
  return (
    <div className="dry-run-result" aria-live="polite">
      <div className="dry-run-headline">
        <div>
          <span className="muted small">This request would go to</span>
          <div className="dry-run-target">{first ? <code>{first.model}</code> : <span>no target</span>}</div>
        </div>
        <div className="row">
          {result.rule ? <Badge tone="info">rule {result.rule}</Badge> : <Badge>no rule matched</Badge>}
          <Badge>{result.strategy.replace("_", " ")}</Badge>
          <Badge>{result.source.kind === "draft" ? "draft rules" : result.source.version ? `saved version ${result.source.version}` : "no rules saved"}</Badge>
          {result.cache ? <Badge tone="success">cached {result.cache.ttlSeconds} s</Badge> : null}
        </div>
      </div>
      <p className="dry-run-reason">{result.reason}</p>
      <h3 className="gw-subhead">Targets in order</h3>
      <ol className="dry-run-targets">
        {result.targets.map((t, i) => (
          <li key={`${t.model}:${i}`}>
            <code>{t.model}</code> <span className="muted small">· timeout {duration(t.timeoutMs)} · {t.retry.attempts} {t.retry.attempts === 1 ? "try" : "tries"}</span>
            <br />
            <TargetFacts info={t.info} />
          </li>
        ))}
      </ol>
      {result.skipped.length ? (
        <>
          <h3 className="gw-subhead">Skipped</h3>
          <ul className="dry-run-skipped">
            {result.skipped.map((s, i) => (
              <li key={`${s.model}:${i}`}><code>{s.model}</code>: {s.why}</li>
            ))}
          </ul>
        </>
      ) : null}
      {result.evaluated.length ? (
        <>
          <h3 className="gw-subhead">Rules checked</h3>
          <ul className="dry-run-evaluated">
            {result.evaluated.map((e) => (
              <li key={e.rule}>
                <Badge tone={e.matched ? "success" : "neutral"}>{e.matched ? "matched" : "no match"}</Badge> <strong>{e.rule}</strong> <span className="muted">{e.reason}</span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <p className="muted small">
        As routing saw it: about {num(result.request.estimatedPromptTokens)} prompt tokens
        {result.request.maxOutputTokens !== null ? `, up to ${num(result.request.maxOutputTokens)} out` : ""}, local time {result.request.localTime} ({result.request.timezone})
        {result.request.tags.length ? `, tags ${result.request.tags.join(", ")}` : ""}.
      </p>
      {result.warnings.length ? (
        <ul className="muted small">
          {result.warnings.map((w, i) => (
            <li key={`${w.line}:${w.column}:${i}`}>Line {w.line}: {w.message}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
