/** Comma-separated lists typed into one field (tags, e-mail domains). */

export function splitList(text: string): string[] {
  return [...new Set(text.split(/[,\n]/).map((s) => s.trim()).filter(Boolean))];
}

export function joinList(items: readonly string[] | null | undefined): string {
  return (items ?? []).join(", ");
}
