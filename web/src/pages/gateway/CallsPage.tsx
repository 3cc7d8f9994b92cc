/**
 * Recent gateway calls, newest first, with filters and paging; each opens to everything
 * recorded about it. New calls show up on their own while the first page is in view.
 */
import { useMemo, useRef, useState } from "react";
import { api, type Schemas, unwrap } from "../../api/client";
import { useLive } from "../../api/live";
import { useApi, usePolling } from "../../api/use-api";
import { useMe } from "../../app/me";
import { navigate, useLocation } from "../../app/router";
import type { PageProps } from "../../app/routes";
import { Button } from "../../components/Button";
import { Page, Panel } from "../../components/Page";
import { DataView, Empty, ErrorState } from "../../components/States";
import { relative } from "../../lib/format";
import { type CallFilters, filtersOf, queryOf, searchOf } from "./call-filters";
import { CallDetail } from "./CallDetail";
import { CallFiltersBar } from "./CallFiltersBar";
import { CallsTable } from "./CallsTable";

const PAGE = 50;
/** While only the first page is shown, it is re-read this often (and sooner after a live message). */
const REFRESH_MS = 15_000;

export default function CallsPage(_props: PageProps) {
  const { can } = useMe();
  const { search } = useLocation();
  const filters = filtersOf(search);
  const filterKey = searchOf(filters);
  const [tick, setTick] = useState(0);
  const calls = useApi(() => unwrap(api.GET("/usage/events", { params: { query: { ...queryOf(filters), limit: PAGE } } })), [filterKey, tick]);
  const keys = useApi(() => (can("keys:read") ? unwrap(api.GET("/keys")).then((r) => r.data) : Promise.resolve(undefined)), []);
  const keyNames = useMemo(() => new Map((keys.data ?? []).map((k: Schemas["ApiKey"]) => [k.id, k.name])), [keys.data]);
  const [open, setOpen] = useState<Schemas["UsageEvent"] | null>(null);
  const [more, setMore] = useState<{ busy: boolean; error?: Error }>({ busy: false });
  const [loadedAt, setLoadedAt] = useState(Date.now());

  const firstPageOnly = (calls.data?.data.length ?? 0) <= PAGE;
  const fresh = useRef(false);
  useLive(["usage"], () => {
    fresh.current = true;
  });
  const lastRead = useRef(Date.now());
  usePolling(() => {
    if (!firstPageOnly || calls.loading) return;
    if (fresh.current || Date.now() - lastRead.current >= REFRESH_MS) {
      fresh.current = false;
      lastRead.current = Date.now();
      setTick((t) => t + 1);
      setLoadedAt(Date.now());
    }
  }, 3_000);

  const setFilters = (f: CallFilters) => navigate(`/gateway/calls${searchOf(f)}`, { replace: true });
  const refresh = () => {
    lastRead.current = Date.now();
    setLoadedAt(Date.now());
    setTick((t) => t + 1);
  };
  const loadMore = async (cursor: string) => {
    setMore({ busy: true });
    try {
      const page = await unwrap(api.GET("/usage/events", { params: { query: { ...queryOf(filters), limit: PAGE, cursor } } }));
      calls.setData((d) => d && { data: [...d.data, ...page.data], nextCursor: page.nextCursor });
      setMore({ busy: false });
    } catch (e) {
      setMore({ busy: false, error: e as Error });
    }
  };

  return (
    <Page
      title="Recent calls"
      description="Every call through the gateway in the last 30 days: who made it, where it went, what it cost. Open one for the details."
      actions={<Button variant="secondary" busy={calls.loading && calls.data !== undefined} onClick={refresh}>Refresh</Button>}
    >
      <CallFiltersBar filters={filters} keys={keys.data} onChange={setFilters} />
      <Panel>
        <DataView
          state={calls}
          isEmpty={(d) => d.data.length === 0}
          empty={<Empty title={filterKey ? "No calls match these filters" : "No gateway calls yet"}>{filterKey ? "Try another model, status or key." : "Calls to /v1/chat/completions, /v1/responses or /v1/messages show up here."}</Empty>}
        >
          {(d) => (
            <>
              <CallsTable calls={d.data} keyNames={keyNames} onOpen={setOpen} />
              <div className="row calls-footer">
                <span className="muted small">
                  {d.data.length} call{d.data.length === 1 ? "" : "s"} shown · updated {relative(loadedAt)}
                </span>
                {d.nextCursor ? (
                  <Button variant="secondary" busy={more.busy} onClick={() => void loadMore(d.nextCursor as string)}>Load older calls</Button>
                ) : null}
              </div>
              {more.error ? <ErrorState error={more.error} /> : null}
            </>
          )}
        </DataView>
      </Panel>
      {open ? <CallDetail call={open} keyName={open.apiKeyId ? keyNames.get(open.apiKeyId) : undefined} onClose={() => setOpen(null)} /> : null}
    </Page>
  );
}
