/** An endpoint's state in one word: enabled (green), failing (amber: retrying without success), disabled (red). */
import type { Schemas } from "../../api/client";
import { Badge } from "../../components/Badge";

export function EndpointStatus({ endpoint }: { endpoint: Schemas["WebhookEndpoint"] }) {
  if (endpoint.status === "disabled") return <Badge tone="danger">disabled</Badge>;
  if (endpoint.failingSince !== null) return <Badge tone="warning">failing</Badge>;
  return <Badge tone="success">enabled</Badge>;
}
