/**
 * The open-anomalies banner above every page: what is off ("Gateway calls are 20× normal in
 * the last 5 minutes"), since when, a link to Operations and an acknowledge button. It loads
 * the open, unacknowledged anomalies once and again whenever the live socket's operations
 * topic says one was detected or resolved. Hidden without usage:read or when all is normal.
 */
import { useEffect } from "react";
import { useLive } from "../api/live";
import { useApi } from "../api/use-api";
import { relative } from "../lib/format";
import { AcknowledgeButton } from "../pages/operations/AcknowledgeButton";
import { type Anomaly, headline, loadUnacknowledged, notifyAnomaliesChanged, onAnomaliesChanged } from "../pages/operations/anomalies";
import { useMe } from "./me";
import { Link, useLocation } from "./router";

/** More than this many are summarised as "and N more" with a link to Operations. */
const SHOWN = 3;

export function AnomalyBanner() {
  const { can } = useMe();
  return can("usage:read") ? <OpenAnomalies canAcknowledge={can("gateway:write")} /> : null;
}

function OpenAnomalies({ canAcknowledge }: { canAcknowledge: boolean }) {
  const state = useApi(loadUnacknowledged, []);
  const { reload } = state;
  useLive(["operations"], (msg) => {
    if (msg.type === "anomaly.detected" || msg.type === "anomaly.resolved") notifyAnomaliesChanged();
  });
  useEffect(() => onAnomaliesChanged(() => void reload()), [reload]);

  const open = state.data ?? [];
  if (open.length === 0) return null;
  return (
    <section className="banner banner-danger anomaly-banner" aria-label="Anomalies needing attention" aria-live="polite">
      <ul className="anomaly-banner-list">
        {open.slice(0, SHOWN).map((a) => (
          <BannerItem key={a.id} anomaly={a} canAcknowledge={canAcknowledge} />
        ))}
      </ul>
      <div className="row">
        {open.length > SHOWN ? <span className="small">and {open.length - SHOWN} more</span> : null}
        <OperationsLink />
      </div>
    </section>
  );
}

function OperationsLink() {
  const { pathname } = useLocation();
  if (pathname === "/operations") return null;
  return <Link to="/operations" className="btn btn-secondary">View in Operations</Link>;
}

function BannerItem({ anomaly, canAcknowledge }: { anomaly: Anomaly; canAcknowledge: boolean }) {
  return (
    <li className="anomaly-banner-item">
      <span className="anomaly-banner-icon" aria-hidden="true">▲</span>
      <div className="anomaly-banner-text">
        <strong>{headline(anomaly)}</strong>
        <span className="small"> · detected {Date.now() - anomaly.detectedAt < 60_000 ? "just now" : relative(anomaly.detectedAt)}</span>
        <div className="small anomaly-banner-summary">{anomaly.summary}</div>
      </div>
      {canAcknowledge ? (
        <AcknowledgeButton anomaly={anomaly} label={`Acknowledge: ${headline(anomaly)}`} />
      ) : null}
    </li>
  );
}
