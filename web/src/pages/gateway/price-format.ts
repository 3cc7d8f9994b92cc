/** Prices are quoted in USD per million tokens. */
export function perMtok(v: number | null): string {
  if (v === null) return "—";
  return `$${v.toLocaleString("en-US", { maximumFractionDigits: 4 })}`;
}
