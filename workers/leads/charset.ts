/**
 * Bytes to text for lead bodies and e-mail parts. Lead systems still send Latin-1 and
 * Windows-1252 (smart quotes from Outlook), often while claiming UTF-8, so a body that is
 * not valid UTF-8 is read as Windows-1252 rather than filled with replacement characters.
 */

// Windows-1252 differs from Latin-1 only in 0x80–0x9F; WHATWG reads "iso-8859-1" this way too.
const CP1252_80_9F = "€\uFFFD‚ƒ„…†‡ˆ‰Š‹Œ\uFFFDŽ\uFFFD\uFFFD‘’“”•–—˜™š›œ\uFFFDžŸ";

const SINGLE_BYTE = new Set(["iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "windows-1252", "cp1252", "us-ascii", "ascii", "iso-8859-15", "ansi_x3.4-1968"]);

/** Each byte as one character (0–255): how raw e-mail is read before its parts are decoded. */
export function binaryString(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i += 8192) out += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return out;
}

/** The inverse of binaryString (characters above 255 keep their low byte). */
export function bytesOf(binary: string): Uint8Array {
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i) & 0xff;
  return out;
}

function decodeWindows1252(bytes: Uint8Array): string {
  let out = "";
  for (const b of bytes) out += b >= 0x80 && b <= 0x9f ? CP1252_80_9F.charAt(b - 0x80) : String.fromCharCode(b);
  return out;
}

function decodeUtf16(bytes: Uint8Array, bigEndian: boolean): string {
  const units = new Uint16Array(Math.floor(bytes.length / 2));
  for (let i = 0; i < units.length; i++) {
    const a = bytes[2 * i] ?? 0;
    const b = bytes[2 * i + 1] ?? 0;
    units[i] = bigEndian ? (a << 8) | b : (b << 8) | a;
  }
  let out = "";
  for (let i = 0; i < units.length; i += 8192) out += String.fromCharCode(...units.subarray(i, i + 8192));
  return out.replace(/^\uFEFF/, "");
}

export type Decoded = { text: string; warning: string | null };

function decodeUtf8(bytes: Uint8Array): Decoded {
  try {
    return { text: new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes), warning: null };
  } catch {
    return { text: decodeWindows1252(bytes), warning: "the text is not valid UTF-8; it was read as Windows-1252" };
  }
}

/** Decodes `bytes` in `charset` (a BOM wins over the label; unknown labels fall back to UTF-8). */
export function decodeText(bytes: Uint8Array, charset: string | null): Decoded {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: decodeUtf16(bytes.subarray(2), false), warning: null };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: decodeUtf16(bytes.subarray(2), true), warning: null };
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return decodeUtf8(bytes.subarray(3));
  const label = (charset ?? "utf-8").trim().toLowerCase();
  if (SINGLE_BYTE.has(label)) return { text: decodeWindows1252(bytes), warning: null };
  if (label === "utf-16le" || label === "utf-16") return { text: decodeUtf16(bytes, false), warning: null };
  if (label === "utf-16be") return { text: decodeUtf16(bytes, true), warning: null };
  return decodeUtf8(bytes);
}

/** The encoding an XML declaration names (`<?xml version="1.0" encoding="ISO-8859-1"?>`), if any. */
export function xmlDeclaredEncoding(bytes: Uint8Array): string | null {
  const head = binaryString(bytes.subarray(0, 300));
  return /<\?xml[^>]*\bencoding\s*=\s*["']?([A-Za-z0-9._-]+)/i.exec(head)?.[1] ?? null;
}
