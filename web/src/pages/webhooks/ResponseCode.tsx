/** A partner's HTTP answer as a coloured code: green 2xx, amber 3xx/4xx, red 5xx, grey when none came. */
import { Badge } from "../../components/Badge";

export function ResponseCode({ code }: { code: number | null }) {
  if (code === null) return <span className="muted">none</span>;
  const tone = code < 300 ? "success" : code < 500 ? "warning" : "danger";
  return <Badge tone={tone}>{code}</Badge>;
}
