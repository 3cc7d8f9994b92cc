/** "Updated 4 s ago", kept current every second. */
import { useEffect, useState } from "react";
import { dateTime, relative } from "../../lib/format";

export function UpdatedAgo({ at }: { at: number | undefined }) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(id);
  }, []);
  if (at === undefined) return null;
  // `now` ticks once a second, so a fresh read can be a moment "ahead" of it.
  const text = Math.max(now, Date.now()) - at < 2_000 ? "just now" : relative(at, Math.max(now, at));
  return (
    <span className="muted small" title={dateTime(at)}>
      Updated {text}
    </span>
  );
}
