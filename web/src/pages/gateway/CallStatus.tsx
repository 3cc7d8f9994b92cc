/** A call's HTTP status as a coloured badge, with the error code when it failed. */
import type { Schemas } from "../../api/client";
import { Badge } from "../../components/Badge";

export function CallStatus({ call }: { call: Pick<Schemas["UsageEvent"], "status" | "errorCode"> }) {
  const tone = call.status >= 500 ? "danger" : call.status >= 400 ? "warning" : "success";
  return (
    <span className="row">
      <Badge tone={tone}>{call.status}</Badge>
      {call.errorCode ? <span className="muted small">{call.errorCode}</span> : null}
    </span>
  );
}
