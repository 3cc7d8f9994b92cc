/**
 * Server-sent events: a decoder from bytes to messages that copes with chunks split
 * anywhere (even inside a UTF-8 sequence or a CRLF), multi-line data and comments, and
 * an encoder. It scans with indexOf and keeps only the unfinished line between chunks.
 */

/** One decoded event with its data still as text, so a passthrough can forward it unparsed. */
export type SseMessage = { event?: string; data: string };

const LF = "\n";
const CR = "\r";

/** Incremental SSE decoder: push byte chunks, get the events they complete. */
export class SseDecoder {
  private readonly utf8 = new TextDecoder();
  // The unfinished line carried over from the previous chunk.
  private rest = "";
  // The previous chunk ended in CR, so a leading LF belongs to that line ending.
  private skipLF = false;
  private event: string | undefined;
  private data: string[] = [];

  /** Decodes one chunk of bytes and returns the events it completed. */
  push(bytes: Uint8Array): SseMessage[] {
    const out: SseMessage[] = [];
    this.feed(this.utf8.decode(bytes, { stream: true }), out);
    return out;
  }

  /** The upstream closed: an unterminated last line or event still counts. */
  flush(): SseMessage[] {
    const out: SseMessage[] = [];
    this.feed(this.utf8.decode(), out);
    if (this.rest) this.line(this.rest, out);
    this.rest = "";
    this.dispatch(out);
    return out;
  }

  private feed(chunk: string, out: SseMessage[]): void {
    let start = 0;
    if (this.skipLF && chunk.length > 0) {
      if (chunk[0] === LF) start = 1;
      this.skipLF = false;
    }
    const text = this.rest + (start ? chunk.slice(start) : chunk);
    this.rest = "";
    let i = 0;
    let lf = -2;
    let cr = -2;
    while (i < text.length) {
      if (lf !== -1 && lf < i) lf = text.indexOf(LF, i);
      if (cr !== -1 && cr < i) cr = text.indexOf(CR, i);
      const end = lf === -1 ? cr : cr === -1 ? lf : Math.min(lf, cr);
      if (end === -1) {
        this.rest = text.slice(i);
        return;
      }
      this.line(text.slice(i, end), out);
      i = end + 1;
      if (end === cr) {
        if (i < text.length) {
          if (text[i] === LF) i++;
        } else {
          this.skipLF = true;
        }
      }
    }
  }

  private line(line: string, out: SseMessage[]): void {
    if (line === "") {
      this.dispatch(out);
      return;
    }
    if (line[0] === ":") return;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value[0] === " ") value = value.slice(1);
    if (field === "data") this.data.push(value);
    else if (field === "event") this.event = value;
  }

  private dispatch(out: SseMessage[]): void {
    if (this.data.length > 0) {
      const data = this.data.length === 1 ? (this.data[0] ?? "") : this.data.join(LF);
      out.push(this.event === undefined ? { data } : { event: this.event, data });
    }
    this.event = undefined;
    this.data = [];
  }
}

/** One SSE event as text; multi-line data becomes several `data:` lines. */
export function sseText(data: string, event?: string): string {
  const body = data.includes(LF) ? data.split(LF).join("\ndata: ") : data;
  return event === undefined ? `data: ${body}\n\n` : `event: ${event}\ndata: ${body}\n\n`;
}

/** One SSE event whose data is `value` as JSON. */
export function sseJson(value: unknown, event?: string): string {
  return sseText(JSON.stringify(value), event);
}

/** One shared UTF-8 encoder for outgoing SSE text. */
export const sseEncoder = new TextEncoder();
