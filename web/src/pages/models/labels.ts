/** How versions are named on the models pages: v3, or the id when the version is unknown. */
import type { ModelVersion } from "./types";

export function versionLabel(versions: ModelVersion[], id: string | null | undefined): string {
  if (!id) return "—";
  const v = versions.find((x) => x.id === id);
  return v ? `v${v.version}` : id;
}

export function shortHash(sha: string | null | undefined): string {
  return sha ? sha.slice(0, 12) : "—";
}

/** `{epochs: 3, batchSize: 8}` → "epochs 3 · batchSize 8". */
export function keyValues(obj: Record<string, unknown> | null | undefined, digits = 4): string {
  const entries = Object.entries(obj ?? {}).filter(([, v]) => v !== undefined && v !== null);
  if (!entries.length) return "—";
  return entries.map(([k, v]) => `${k} ${typeof v === "number" ? Number(v.toFixed(digits)) : String(v)}`).join(" · ");
}
