/**
 * Reading YAML that a person wrote, so problems can point back at it: syntax errors carry
 * the parser's position, and `locate` maps a path into the parsed value (rules.1.weight)
 * back to the line and column where that node is written.
 */
import { isMap, isNode, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document } from "yaml";

export type Path = readonly PropertyKey[];
export type Position = { line: number; column: number };
export type Locator = (path: Path, key?: string) => Position;
export type SourceProblem = Position & { path: string; message: string };

export type YamlSource = { ok: true; value: unknown; locate: Locator } | { ok: false; problems: SourceProblem[] };

/** "rules.1.targets" for a path; "(root)" for the empty one. */
export function pathText(path: Path): string {
  return path.map(String).join(".") || "(root)";
}

function child(node: unknown, seg: PropertyKey): { node: unknown; keyNode?: unknown } | null {
  if (isMap(node)) {
    const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
    return pair ? { node: pair.value, keyNode: pair.key } : null;
  }
  if (isSeq(node) && typeof seg === "number") return node.items[seg] === undefined ? null : { node: node.items[seg] };
  return null;
}

function startOf(node: unknown): number | null {
  if (isPair(node)) return startOf(node.key);
  return isNode(node) && node.range ? node.range[0] : null;
}

/** Finds the deepest node along `path` (or the key `key` of the object there) and returns its position. */
function locatorFor(doc: Document, counter: LineCounter): Locator {
  return (path, key) => {
    let node: unknown = doc.contents;
    let offset = startOf(node) ?? 0;
    const steps = key === undefined ? path : [...path, key];
    for (const seg of steps) {
      const next = child(node, seg);
      if (!next) break;
      // A key with no value (`weight:`) still has a position: its key's.
      offset = startOf(next.node) ?? startOf(next.keyNode) ?? offset;
      if (seg === key) offset = startOf(next.keyNode) ?? offset;
      node = next.node;
    }
    const pos = counter.linePos(offset);
    return { line: pos.line, column: pos.col };
  };
}

/** Parses YAML text; `emptyMessage` is the problem reported for an empty document. */
export function readYaml(text: string, emptyMessage: string): YamlSource {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((e) => {
        const pos = counter.linePos(e.pos[0]);
        return { line: pos.line, column: pos.col, path: "(yaml)", message: e.message.split(" at line ")[0] ?? e.message };
      }),
    };
  }
  if (doc.contents === null) return { ok: false, problems: [{ line: 1, column: 1, path: "(root)", message: emptyMessage }] };
  try {
    return { ok: true, value: doc.toJS({ maxAliasCount: 50 }), locate: locatorFor(doc, counter) };
  } catch (err) {
    return { ok: false, problems: [{ line: 1, column: 1, path: "(root)", message: err instanceof Error ? err.message : "the document cannot be read" }] };
  }
}

/** The value at `path` inside a parsed document (for messages that quote what was written). */
export function valueAt(root: unknown, path: Path): unknown {
  let v = root;
  for (const seg of path) {
    if (typeof v !== "object" || v === null) return undefined;
    const next: unknown = Reflect.get(v, seg);
    v = next;
  }
  return v;
}
