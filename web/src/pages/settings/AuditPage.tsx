/**
 * The audit log: who did what and when, newest first, filtered the ways the API supports,
 * paged with "Load more"; each entry opens to its before/after.
 */
import { useState } from "react";
import { api, type Schemas, unwrap } from "../../api/client";
import { useApi } from "../../api/use-api";
import { useMe } from "../../app/me";
import type { PageProps } from "../../app/routes";
import { Button } from "../../components/Button";
import { Page, Panel } from "../../components/Page";
import { DataView, Empty } from "../../components/States";
import { toast } from "../../components/Toast";
import { type AuditFilter, AuditFilters, NO_FILTER } from "./AuditFilters";
import { AuditTable } from "./AuditTable";

const PAGE = 50;

function queryOf(f: AuditFilter, cursor?: string) {
  const iso = (local: string) => (local ? new Date(local).toISOString() : undefined);
  return {
    action: f.action.trim() || undefined,
    resourceType: f.resourceType || undefined,
    resourceId: f.resourceId.trim() || undefined,
    actorId: f.actorId || undefined,
    from: iso(f.from),
    to: iso(f.to),
    limit: PAGE,
    cursor,
  };
}

/** Names for actor ids: users by e-mail, keys by name and prefix (where the caller may list them). */
function useActors() {
  const { can } = useMe();
  return useApi(async () => {
    const [users, keys] = await Promise.all([
      can("users:read") ? unwrap(api.GET("/users")).then((d) => d.data) : Promise.resolve([] as Schemas["User"][]),
      can("keys:read") ? unwrap(api.GET("/keys")).then((d) => d.data) : Promise.resolve([] as Schemas["ApiKey"][]),
    ]);
    return [
      ...users.map((u) => ({ value: u.id, label: u.email })),
      ...keys.map((k) => ({ value: k.id, label: `key ${k.name} (${k.prefix}…)` })),
    ];
  }, []);
}

export default function AuditPage(_props: PageProps) {
  const [filter, setFilter] = useState<AuditFilter>(NO_FILTER);
  const entries = useApi(() => unwrap(api.GET("/audit", { params: { query: queryOf(filter) } })), [filter]);
  const actors = useActors();
  const [loadingMore, setLoadingMore] = useState(false);
  const names = new Map((actors.data ?? []).map((a) => [a.value, a.label]));
  const actorName = (e: Schemas["AuditEntry"]) => (e.actorId ? (names.get(e.actorId) ?? e.actorId) : e.actorType === "system" ? "Auterity" : "—");

  const loadMore = async (cursor: string) => {
    setLoadingMore(true);
    try {
      const next = await unwrap(api.GET("/audit", { params: { query: queryOf(filter, cursor) } }));
      entries.setData((d) => d && { data: [...d.data, ...next.data], nextCursor: next.nextCursor });
    } catch (e) {
      toast((e as Error).message, "danger");
    } finally {
      setLoadingMore(false);
    }
  };

  return (
    <Page title="Audit log" description="Every change made in this dealership group, by people and API keys, newest first. Secrets are never recorded.">
      <Panel>
        <AuditFilters value={filter} actors={actors.data ?? []} onApply={setFilter} />
        <DataView state={entries} isEmpty={(d) => d.data.length === 0} empty={<Empty title="No audit entries match">Try a wider time window or fewer filters.</Empty>}>
          {(d) => (
            <div className="stack">
              <AuditTable entries={d.data} actorName={actorName} />
              <div className="row">
                <span className="muted small">{d.data.length === 1 ? "1 entry" : `${d.data.length} entries`} shown</span>
                {d.nextCursor ? (
                  <Button variant="secondary" busy={loadingMore} onClick={() => d.nextCursor && void loadMore(d.nextCursor)}>Load more</Button>
                ) : (
                  <span className="muted small">· that is all</span>
                )}
              </div>
            </div>
          )}
        </DataView>
      </Panel>
    </Page>
  );
}
