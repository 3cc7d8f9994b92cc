/**
 * The home page: today at a glance (AI spend and calls, workflow runs, approvals waiting,
 * leads, anomalies, platform health), each card linking to its page. A dealership with no
 * activity yet also sees its first steps.
 */
import { useEffect } from "react";
import { api, unwrap } from "../../api/client";
import { useApi, usePolling } from "../../api/use-api";
import { useMe } from "../../app/me";
import type { PageProps } from "../../app/routes";
import { Page } from "../../components/Page";
import { onAnomaliesChanged } from "../operations/anomalies";
import { loadReadiness } from "../operations/readiness";
import { ApprovalsCard, LeadsCard, RunsCard, SpendCard } from "./ActivityCards";
import { GettingStarted } from "./GettingStarted";
import { AnomaliesCard, HealthCard } from "./OperationsCards";
import { loadApprovals, loadLeadsToday, loadRunsByStatus, loadUsageToday } from "./overview-data";
import { dayKey } from "./tenant-day";

/** Calls the API only when the user may read it (the card is hidden otherwise). */
function allowed<T>(ok: boolean, load: () => Promise<T>, nothing: T): () => Promise<T> {
  return () => (ok ? load() : Promise.resolve(nothing));
}

const REFRESH_MS = 60_000;

export default function OverviewPage(_props: PageProps) {
  const { me, can } = useMe();
  const tz = me.tenant.timezone;
  const today = dayKey(tz);
  const usage = useApi(allowed(can("usage:read"), () => loadUsageToday(tz, today), { today: null, yesterday: null, todayKey: today }), [tz, today]);
  const runs = useApi(allowed(can("workflows:read"), () => loadRunsByStatus(), { counts: {}, total: 0, capped: false }), []);
  const approvals = useApi(allowed(can("workflows:read"), loadApprovals, []), []);
  const leads = useApi(allowed(can("workflows:read"), () => loadLeadsToday(tz), { count: 0, uncontacted: 0, more: false, latest: null }), [tz]);
  const anomalies = useApi(
    allowed(can("usage:read"), () => unwrap(api.GET("/operations/anomalies", { params: { query: { status: "open", limit: 50 } } })), { data: [], nextCursor: null }),
    [],
  );
  const health = useApi(loadReadiness, []);
  const reloadAnomalies = anomalies.reload;
  useEffect(() => onAnomaliesChanged(() => void reloadAnomalies()), [reloadAnomalies]);
  usePolling(() => {
    for (const s of [usage, runs, approvals, leads, health]) void s.reload();
  }, REFRESH_MS);

  // Nothing has happened here yet: show the first steps above the (empty) cards.
  const fresh =
    can("usage:read") && can("workflows:read") && usage.data !== undefined && runs.data !== undefined && leads.data !== undefined &&
    !usage.data.today && !usage.data.yesterday && runs.data.total === 0 && leads.data.count === 0;

  return (
    <Page title="Overview" description={`${me.tenant.name} today (${tz}).`}>
      {fresh ? <GettingStarted /> : null}
      <div className="grid overview-grid">
        {can("usage:read") ? <SpendCard state={usage} /> : null}
        {can("workflows:read") ? <RunsCard state={runs} /> : null}
        {can("workflows:read") ? <ApprovalsCard state={approvals} /> : null}
        {can("workflows:read") ? <LeadsCard state={leads} /> : null}
        {can("usage:read") ? <AnomaliesCard state={anomalies} /> : null}
        <HealthCard state={health} />
      </div>
    </Page>
  );
}
