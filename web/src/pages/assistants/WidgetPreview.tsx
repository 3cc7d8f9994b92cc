/**
 * The live preview: the Worker's preview page for the widget, loaded in a frame. It runs on
 * this dashboard's own origin, which every widget accepts, so it works before the dealer's
 * site is listed; the signed-in admin's token opens it outside development.
 */
import { useState } from "react";
import { currentSession } from "../../api/session";
import { Button } from "../../components/Button";
import type { Widget } from "./types";

export function WidgetPreview({ widget }: { widget: Widget }) {
  const [loads, setLoads] = useState(0);
  const token = currentSession()?.accessToken;
  const src = `/widget/preview/${encodeURIComponent(widget.id)}${token ? `?${new URLSearchParams({ access_token: token })}` : ""}`;
  return (
    <div className="stack">
      <p className="muted small">
        This is the widget exactly as visitors see it, answering with its assistant (conversations here are stored like real ones, on the widget channel).
        The preview runs on this dashboard&apos;s own address, <code>{location.origin}</code>, which every widget accepts;
        on the web the widget answers only on its allowed websites: {widget.allowedOrigins.map((o) => <code key={o}>{o} </code>)}
      </p>
      <iframe key={`${widget.updatedAt}-${loads}`} className="widget-preview" title={`Live preview of ${widget.title}`} src={src} />
      <div><Button variant="secondary" onClick={() => setLoads((n) => n + 1)}>Reload preview</Button></div>
    </div>
  );
}
