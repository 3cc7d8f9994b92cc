/** Overview cards about the platform itself: open anomalies and readiness. */
import type { Schemas } from "../../api/client";
import type { ApiState } from "../../api/use-api";
import { StatusBadge } from "../../components/Badge";
import { DataView } from "../../components/States";
import { num, relative } from "../../lib/format";
import { headline } from "../operations/anomalies";
import { CHECK_LABELS, type Readiness } from "../operations/readiness";
import { BigNumber, CardHint, OverviewCard } from "./OverviewCard";

export function AnomaliesCard({ state }: { state: ApiState<Schemas["AnomalyPage"]> }) {
  return (
    <OverviewCard title="Open anomalies" to="/operations">
      <DataView state={state}>
        {({ data }) =>
          data.length === 0 ? (
            <>
              <BigNumber value="0" label="open" />
              <CardHint>Spend, call volume and provider latency and errors look normal. The detector checks every minute.</CardHint>
            </>
          ) : (
            <>
              <BigNumber value={num(data.length)} label="open" />
              <ul className="overview-list small">
                {data.slice(0, 3).map((a) => (
                  <li key={a.id}>{headline(a)} <span className="muted">({relative(a.detectedAt)})</span></li>
                ))}
              </ul>
            </>
          )
        }
      </DataView>
    </OverviewCard>
  );
}

export function HealthCard({ state }: { state: ApiState<Readiness> }) {
  return (
    <OverviewCard title="Platform health" to="/operations">
      <DataView state={state}>
        {(r) => {
          const failed = Object.entries(r.checks).filter(([, c]) => !c.ok);
          return (
            <>
              <div className="big-number">
                <StatusBadge status={r.status === "ready" ? "ready" : "failed"} />
                <span className="big-number-label muted">{r.status === "ready" ? "all checks pass" : `${failed.length} check${failed.length === 1 ? "" : "s"} failing`}</span>
              </div>
              <CardHint>
                {failed.length
                  ? failed.map(([name, c]) => `${CHECK_LABELS[name] ?? name}: ${c.error ?? "failed"}`).join("; ")
                  : `${Object.keys(r.checks).map((n) => CHECK_LABELS[n] ?? n).join(", ")} answered, slowest in ${num(Math.max(0, ...Object.values(r.checks).map((c) => c.ms)))} ms.`}
              </CardHint>
            </>
          );
        }}
      </DataView>
    </OverviewCard>
  );
}
