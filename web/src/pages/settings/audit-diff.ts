/**
 * Before/after of an audit entry as rows a person can read: one row per field (nested
 * objects flattened to dotted paths, arrays kept whole), marked added, removed, changed or same.
 */

export type DiffKind = "added" | "removed" | "changed" | "same";
export type DiffRow = { path: string; before: string | undefined; after: string | undefined; kind: DiffKind };

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function flatten(value: Json | null | undefined, prefix = "", out = new Map<string, string>()): Map<string, string> {
  if (!value) return out;
  for (const [k, v] of Object.entries(value)) {
    const path = prefix ? `${prefix}.${k}` : k;
    if (isObject(v) && Object.keys(v).length > 0) flatten(v, path, out);
    else out.set(path, typeof v === "string" ? v : JSON.stringify(v) ?? "undefined");
  }
  return out;
}

export function diffRows(before: Json | null | undefined, after: Json | null | undefined): DiffRow[] {
  const b = flatten(before);
  const a = flatten(after);
  const paths = [...new Set([...a.keys(), ...b.keys()])];
  return paths.map((path) => {
    const was = b.get(path);
    const now = a.get(path);
    const kind: DiffKind = was === undefined ? "added" : now === undefined ? "removed" : was === now ? "same" : "changed";
    return { path, before: was, after: now, kind };
  });
}
