/**
 * Cutting documents into chunks for retrieval. Markdown and plain text are cut by heading
 * into windows of about CHUNK_CHARS with CHUNK_OVERLAP characters shared by neighbours (so
 * a sentence cut at a border is still whole in one of them); each chunk keeps its heading
 * path as its title. A CSV export becomes one chunk per row, written as "header: value"
 * pairs so a vehicle row reads as text.
 */
import type { KnowledgeDocumentKind } from "../../d1/schema";
import { AppError } from "../errors";
import { parseCsv } from "./csv";

export const CHUNK_CHARS = 800;
export const CHUNK_OVERLAP = 100;

export type Chunk = { title: string | null; text: string };

type Section = { path: string[]; body: string };

const HEADING = /^(#{1,6})\s+(.+?)\s*#*\s*$/;

function sections(markdown: string): Section[] {
  const out: Section[] = [];
  const path: string[] = [];
  let lines: string[] = [];
  let fenced = false;
  const flush = () => {
    const body = lines.join("\n").trim();
    if (body) out.push({ path: [...path], body });
    lines = [];
  };
  for (const line of markdown.split(/\r?\n/)) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    const m = fenced ? null : HEADING.exec(line);
    if (!m) {
      lines.push(line);
      continue;
    }
    flush();
    const level = m[1]?.length ?? 1;
    path.length = Math.min(path.length, level - 1);
    path.push(m[2] ?? "");
  }
  flush();
  return out;
}

/** Where to end a window that starts at `start`: the last paragraph, line, sentence or word break before the limit. */
function windowEnd(text: string, start: number): number {
  const limit = start + CHUNK_CHARS;
  if (limit >= text.length) return text.length;
  const floor = start + CHUNK_CHARS / 2;
  for (const brk of ["\n\n", "\n", ". ", "? ", "! ", " "]) {
    const at = text.lastIndexOf(brk, limit - brk.length);
    if (at >= floor) return at + brk.length;
  }
  return limit;
}

/** Splits one section's text into overlapping windows. */
export function splitText(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  while (start < text.length) {
    const end = windowEnd(text, start);
    const piece = text.slice(start, end).trim();
    if (piece) out.push(piece);
    if (end >= text.length) break;
    // Step back by the overlap, then forward to a word start, so no chunk begins mid-word.
    let next = Math.max(end - CHUNK_OVERLAP, start + 1);
    const space = text.indexOf(" ", next);
    if (space !== -1 && space < end) next = space + 1;
    start = next;
  }
  return out;
}

/** Markdown (or plain text, which is Markdown without headings) into titled chunks. */
export function chunkMarkdown(markdown: string): Chunk[] {
  return sections(markdown).flatMap((s) => {
    const title = s.path.length > 0 ? s.path.join(" > ") : null;
    return splitText(s.body).map((text) => ({ title, text }));
  });
}

/** A CSV export with a header row: one chunk per data row, titled by its row number. */
export function chunkCsv(csv: string): Chunk[] {
  const [header, ...rows] = parseCsv(csv);
  if (!header || rows.length === 0) throw new AppError("validation_failed", "The CSV needs a header row and at least one data row");
  const names = header.map((h, i) => h.trim() || `column ${i + 1}`);
  return rows.map((row, i) => ({
    title: `Row ${i + 1}`,
    text: row
      .map((value, j) => [names[j] ?? `column ${j + 1}`, value.trim()] as const)
      .filter(([, value]) => value !== "")
      .map(([name, value]) => `${name}: ${value}`)
      .join("; "),
  }));
}

/** The chunks of a document of this kind. */
export function chunkDocument(kind: KnowledgeDocumentKind, text: string): Chunk[] {
  return kind === "csv" ? chunkCsv(text) : chunkMarkdown(text);
}
