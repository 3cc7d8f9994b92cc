/** Who saved something, by name rather than user id (when the viewer may list users). */
import { useMemo } from "react";
import { api, unwrap } from "../../api/client";
import { useApi } from "../../api/use-api";
import { useMe } from "../../app/me";

export function useUserNames(): (id: string | null) => string | null {
  const { can } = useMe();
  const allowed = can("users:read");
  const users = useApi(() => (allowed ? unwrap(api.GET("/users")).then((r) => r.data) : Promise.resolve([])), [allowed]);
  return useMemo(() => {
    const names = new Map((users.data ?? []).map((u) => [u.id, u.name || u.email]));
    return (id) => (id === null ? null : names.get(id) ?? id);
  }, [users.data]);
}
