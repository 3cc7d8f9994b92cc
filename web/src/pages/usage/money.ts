/**
 * Gateway costs are often fractions of a cent: show enough digits that a real cost never
 * reads as $0.0000.
 */
import { usd } from "../../lib/format";

export function cost(nano: number | null | undefined): string {
  if (nano === null || nano === undefined) return usd(nano);
  const dollars = Math.abs(nano) / 1e9;
  if (dollars === 0) return usd(0, 2);
  if (dollars >= 0.01) return usd(nano);
  // Two significant digits, at most nine decimals (nano-USD is exact).
  const digits = Math.min(9, Math.max(4, 1 - Math.floor(Math.log10(dollars))));
  return usd(nano, digits);
}
