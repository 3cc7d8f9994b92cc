/** Short confirmations and failures ("Key revoked"), announced politely to screen readers. */
import { useEffect, useState } from "react";

type Toast = { id: number; text: string; tone: "success" | "danger" };
const listeners = new Set<(t: Toast) => void>();
let nextId = 1;

export function toast(text: string, tone: Toast["tone"] = "success"): void {
  const t = { id: nextId++, text, tone };
  for (const l of listeners) l(t);
}

export function Toaster() {
  const [items, setItems] = useState<Toast[]>([]);
  useEffect(() => {
    const add = (t: Toast) => {
      // The newest few; a burst of actions should not cover the page.
      setItems((xs) => [...xs, t].slice(-3));
      setTimeout(() => setItems((xs) => xs.filter((x) => x.id !== t.id)), 4000);
    };
    listeners.add(add);
    return () => void listeners.delete(add);
  }, []);
  return (
    <div className="toaster" role="status" aria-live="polite">
      {items.map((t) => (
        <div key={t.id} className={`toast toast-${t.tone}`}>{t.text}</div>
      ))}
    </div>
  );
}
