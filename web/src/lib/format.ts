/** Display formats used on every page: money, numbers, times, durations. */

/** Costs are integers of nano-USD (10⁻⁹ $) throughout the API. */
export function usd(nano: number | null | undefined, digits?: number): string {
  if (nano === null || nano === undefined) return "—";
  const dollars = nano / 1e9;
  const d = digits ?? (Math.abs(dollars) >= 100 ? 0 : Math.abs(dollars) >= 1 ? 2 : 4);
  return dollars.toLocaleString("en-US", { style: "currency", currency: "USD", minimumFractionDigits: d, maximumFractionDigits: d });
}

export function num(n: number | null | undefined, digits = 0): string {
  if (n === null || n === undefined || Number.isNaN(n)) return "—";
  return n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

export function percent(ratio: number | null | undefined, digits = 0): string {
  if (ratio === null || ratio === undefined || Number.isNaN(ratio)) return "—";
  return `${(ratio * 100).toFixed(digits)} %`;
}

/** Accepts epoch ms or an ISO string. */
export function dateTime(at: number | string | null | undefined): string {
  if (at === null || at === undefined || at === "") return "—";
  const d = new Date(at);
  return Number.isNaN(d.getTime()) ? String(at) : d.toLocaleString("en-US", { dateStyle: "medium", timeStyle: "short" });
}

export function date(at: number | string | null | undefined): string {
  if (at === null || at === undefined || at === "") return "—";
  const d = new Date(at);
  return Number.isNaN(d.getTime()) ? String(at) : d.toLocaleDateString("en-US", { dateStyle: "medium" });
}

/** "3 min ago", "in 2 h". */
export function relative(at: number | string | null | undefined, now = Date.now()): string {
  if (at === null || at === undefined) return "—";
  const t = typeof at === "number" ? at : new Date(at).getTime();
  const diff = t - now;
  const abs = Math.abs(diff);
  const unit = abs < 60_000 ? ["s", 1000] : abs < 3_600_000 ? ["min", 60_000] : abs < 86_400_000 ? ["h", 3_600_000] : ["d", 86_400_000];
  const n = Math.round(abs / (unit[1] as number));
  return diff < 0 ? `${n} ${unit[0]} ago` : `in ${n} ${unit[0]}`;
}

export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 3_600_000) return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
  return `${Math.floor(ms / 3_600_000)} h ${Math.round((ms % 3_600_000) / 60_000)} min`;
}

/** 330 B, 12.5 KB, 3.2 MB. */
export function bytes(n: number | null | undefined): string {
  if (n === null || n === undefined) return "—";
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${num(n / 1024, 1)} KB`;
  return `${num(n / 1024 / 1024, 1)} MB`;
}
