/**
 * The pieces of RFC 822 / MIME that lead e-mails need: header blocks (folded lines
 * included), Content-Type parameters, multipart bodies, and the quoted-printable and
 * base64 transfer encodings. Works on "binary strings" (one character per byte) so that
 * each part can be decoded in its own charset afterwards.
 */
import { bytesOf } from "./charset";

export type Headers822 = Map<string, string>;
export type MimeEntity = { headers: Headers822; body: string };

/** Splits at the first blank line; unfolds continuation lines. The first occurrence of a header wins. */
export function splitEntity(raw: string): MimeEntity {
  // A part with no headers starts with its blank line.
  const bare = /^\r?\n/.exec(raw);
  if (bare) return { headers: new Map(), body: raw.slice(bare[0].length) };
  const match = /\r?\n\r?\n/.exec(raw);
  const head = match ? raw.slice(0, match.index) : raw;
  const body = match ? raw.slice(match.index + match[0].length) : "";
  const headers: Headers822 = new Map();
  for (const line of head.replace(/\r?\n[ \t]+/g, " ").split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!headers.has(name)) headers.set(name, line.slice(colon + 1).trim());
  }
  return { headers, body };
}

export type ContentType = { type: string; params: Map<string, string> };

/** `text/xml; charset="utf-8"; name=lead.xml` → type and lower-cased parameter names. */
export function parseHeaderValue(value: string | undefined, fallback: string): ContentType {
  const first = (value ?? "").split(";")[0] ?? "";
  const params = new Map<string, string>();
  const paramRe = /;\s*([^=\s;]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)/g;
  for (const m of (value ?? "").slice(first.length).matchAll(paramRe)) {
    const raw = (m[2] ?? "").trim();
    params.set((m[1] ?? "").toLowerCase(), raw.startsWith('"') ? raw.slice(1, -1).replace(/\\(.)/g, "$1") : raw);
  }
  return { type: first.trim().toLowerCase() || fallback, params };
}

/** The parts of a multipart body, between `--boundary` lines; preamble and epilogue dropped. */
export function splitMultipart(body: string, boundary: string): string[] {
  const parts: string[] = [];
  let current: string[] | null = null;
  const open = `--${boundary}`;
  for (const line of body.split(/\r?\n/)) {
    const trimmed = line.trimEnd();
    if (trimmed === `${open}--`) {
      if (current) parts.push(current.join("\n"));
      return parts;
    }
    if (trimmed === open) {
      if (current) parts.push(current.join("\n"));
      current = [];
      continue;
    }
    current?.push(line);
  }
  // A missing closing boundary: keep the last part anyway.
  if (current) parts.push(current.join("\n"));
  return parts;
}

/** Quoted-printable to bytes; soft line breaks removed, malformed `=` sequences kept as written. */
export function decodeQuotedPrintable(text: string): Uint8Array {
  const joined = text.replace(/=[ \t]*\r?\n/g, "");
  const out: number[] = [];
  for (let i = 0; i < joined.length; i++) {
    const c = joined.charCodeAt(i);
    const hex = joined.slice(i + 1, i + 3);
    if (c === 0x3d && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      out.push(Number.parseInt(hex, 16));
      i += 2;
    } else {
      out.push(c & 0xff);
    }
  }
  return Uint8Array.from(out);
}

/** Base64 to bytes, ignoring line breaks and anything outside the alphabet; null when it cannot be decoded. */
export function decodeBase64(text: string): Uint8Array | null {
  let clean = text.replace(/[^A-Za-z0-9+/]/g, "");
  if (clean.length % 4 === 1) return null;
  while (clean.length % 4 !== 0) clean += "=";
  try {
    return bytesOf(atob(clean));
  } catch {
    return null;
  }
}

/** A part's body as bytes, undoing its Content-Transfer-Encoding. */
export function transferDecode(body: string, encoding: string | undefined): Uint8Array | null {
  const e = (encoding ?? "7bit").trim().toLowerCase();
  if (e === "base64") return decodeBase64(body);
  if (e === "quoted-printable") return decodeQuotedPrintable(body);
  return bytesOf(body);
}

const KNOWN_HEADERS = ["from", "to", "subject", "date", "mime-version", "content-type", "received", "return-path", "message-id", "reply-to", "delivered-to"];

/** True when `raw` starts like an e-mail: header lines (after an optional mbox "From " line), at least one of them a mail header. */
export function looksLikeEmail(raw: string): boolean {
  const start = raw.replace(/^\uFEFF/, "").replace(/^\s+/, "").replace(/^From [^\n]*\n/, "");
  if (!/^[!-9;-~]+:/.test(start)) return false;
  const { headers } = splitEntity(start);
  return KNOWN_HEADERS.some((h) => headers.has(h));
}
