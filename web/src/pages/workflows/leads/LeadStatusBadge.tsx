import type { Schemas } from "../../../api/client";
import { Badge } from "../../../components/Badge";

/** New leads want attention (amber); contacted ones are done (green). */
export function LeadStatusBadge({ status }: { status: Schemas["LeadSummary"]["status"] }) {
  return status === "new" ? <Badge tone="warning">new</Badge> : <Badge tone="success">contacted</Badge>;
}
