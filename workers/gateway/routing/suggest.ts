/**
 * "Did you mean …?" for misspelled keys and values in a routing document.
 */

// Words people reach for that are spelled differently here.
const SYNONYMS: Record<string, string> = {
  retries: "retry",
  timeout: "timeout_ms",
  ttl: "ttl_seconds",
  percent: "canary_percent",
  canary: "canary_percent",
  models: "model",
  tag: "tags",
  day: "days",
  hour: "hours",
  need: "needs",
  fallbacks: "targets",
  target: "targets",
  rule: "rules",
  defaults: "default",
  statuses: "on",
};

function squash(s: string): string {
  return s.toLowerCase().replace(/[_\-\s]/g, "");
}

function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur.push(Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost));
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}

/** The candidate `word` was most likely meant to be, or null when none is close. */
export function closest(word: string, candidates: readonly string[]): string | null {
  const synonym = SYNONYMS[word.toLowerCase()];
  if (synonym && candidates.includes(synonym)) return synonym;
  const w = squash(word);
  let best: { c: string; d: number } | null = null;
  for (const c of candidates) {
    const s = squash(c);
    if (s === w) return c;
    const d = distance(w, s);
    const close = d <= Math.max(1, Math.floor(s.length / 3)) || (w.length >= 4 && (s.startsWith(w) || w.startsWith(s)));
    if (close && (!best || d < best.d)) best = { c, d };
  }
  return best?.c ?? null;
}
