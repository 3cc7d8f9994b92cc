/**
 * Splitting a list for D1, which binds at most 100 parameters per statement: queries over
 * many tenants or providers run in parts of a safe size.
 */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
